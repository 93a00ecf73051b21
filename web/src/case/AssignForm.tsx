import { useState, type FormEvent, type ReactNode } from 'react';
import { request } from '../api/client';
import { FieldError, describedBy } from '../components/FieldError';
import { AssignAdvocateDocument, CaseVersionDocument } from '../gql/graphql';
import { newKey } from '../outbox/outbox';
import type { Refusal } from '../steps/StepForm';

export type Assigned = { kind: 'assigned'; advocateId: string; position: number };

/** Assigns the case's advocate (the first, or a hand-over), guarded by the
 *  version just read so a change made meanwhile is refused, never overwritten. */
export async function assignAdvocate(caseId: string, advocateId: string, note: string): Promise<Assigned | Refusal> {
  const read = (await request(CaseVersionDocument, { id: caseId })).case;
  if (read.__typename !== 'Case') return { message: read.message };
  const answer = (await request(AssignAdvocateDocument, { input: {
    caseId, advocateId, note: note || null, expectedVersion: read.version, idempotencyKey: newKey() } })).assignAdvocate;
  if (answer.__typename === 'AdvocateAssigned') return { kind: 'assigned', advocateId, position: answer.position };
  if (answer.__typename === 'VersionConflict') {
    return { message: 'The case changed while you were writing; read it again before assigning.' };
  }
  return { field: answer.__typename === 'ValidationFailed' ? answer.field : undefined, message: answer.message };
}

const OWN_FIELDS = ['advocateId', 'note'];

type Props = {
  idPrefix: string;
  submitLabel: string;
  initialAdvocate?: string;
  /** Fields before the advocate's (the case, on the overview), given the message for a field. */
  leading?: (errorFor: (field: string) => string | undefined) => ReactNode;
  /** Fields `leading` shows messages for. */
  leadingFields?: readonly string[];
  onSubmit: (advocateId: string, note: string) => Promise<Assigned | Refusal>;
  onAssigned: (assigned: Assigned) => void;
};

/** The advocate and hand-over note, each refusal beside its field; the caller
 *  says what was done. */
export function AssignForm({ idPrefix, submitLabel, initialAdvocate = '', leading, leadingFields = [], onSubmit, onAssigned }: Props) {
  const [advocateId, setAdvocateId] = useState(initialAdvocate);
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setRefusal(null);
    const outcome = await onSubmit(advocateId.trim(), note);
    if ('kind' in outcome) onAssigned(outcome);
    else setRefusal(outcome);
  }
  const errorFor = (field: string) => (refusal?.field === field ? refusal.message : undefined);
  const general = refusal && ![...OWN_FIELDS, ...leadingFields].includes(refusal.field ?? '') ? refusal.message : undefined;
  const advocateError = errorFor('advocateId');
  const noteError = errorFor('note');
  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      {general ? <p className="form-error" role="alert">{general}</p> : null}
      {leading?.(errorFor)}
      <div className="field">
        <label htmlFor={`${idPrefix}-advocate`}>New advocate</label>
        <input id={`${idPrefix}-advocate`} value={advocateId} onChange={(e) => setAdvocateId(e.target.value)}
          aria-invalid={advocateError ? true : undefined} aria-describedby={describedBy(`${idPrefix}-advocate-error`, advocateError)} />
        <FieldError id={`${idPrefix}-advocate-error`} message={advocateError} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-note`}>Hand-over note</label>
        <textarea id={`${idPrefix}-note`} value={note} onChange={(e) => setNote(e.target.value)}
          aria-invalid={noteError ? true : undefined} aria-describedby={describedBy(`${idPrefix}-note-error`, noteError)} />
        <FieldError id={`${idPrefix}-note-error`} message={noteError} />
      </div>
      <button type="submit">{submitLabel}</button>
    </form>
  );
}

/** Who holds the case, and the assignment the caller's role may make: anyone
 *  working the case takes up one no advocate holds; only a manager hands over. */
export function AssignmentPanel({ caseId, advocateId, subject, mayHandOver, onAssigned }: {
  caseId: string; advocateId: string | null; subject: string; mayHandOver: boolean; onAssigned: (assigned: Assigned) => void;
}) {
  const heading = advocateId ? 'Hand this case over' : 'Assign an advocate';
  // The form starts afresh once the case shows the new advocate, so what was
  // done is said here, where it outlives the form.
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="panel no-print" aria-labelledby="assignment-heading">
      <h2 id="assignment-heading">{heading}</h2>
      {done ? <p role="status">{done}</p> : null}
      {advocateId && !mayHandOver ? (
        <p>Held by {advocateId}. A manager hands a case over to another advocate.</p>
      ) : (
        <>
          <p>{advocateId ? `Held by ${advocateId}.` : 'No advocate holds this case yet.'}</p>
          <AssignForm
            key={advocateId ?? ''}
            idPrefix="assign"
            submitLabel={advocateId ? 'Hand over' : 'Assign'}
            initialAdvocate={advocateId ? '' : subject}
            onSubmit={(advocate, note) => assignAdvocate(caseId, advocate, note)}
            onAssigned={(assigned) => {
              setDone(`${advocateId ? 'Handed over' : 'Assigned'} to ${assigned.advocateId}.`);
              onAssigned(assigned);
            }}
          />
        </>
      )}
    </section>
  );
}
