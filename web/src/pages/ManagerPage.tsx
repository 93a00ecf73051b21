import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { FieldError } from '../components/FieldError';
import { AssignAdvocateDocument, CaseloadDocument, CaseVersionDocument } from '../gql/graphql';
import { CaseloadTable, DeadlineList, type Entry } from '../caseload/CaseloadTable';
import { newKey } from '../outbox/outbox';

/** The organisation's caseload, drift and deadlines, and hand-over. */
export function ManagerPage() {
  // After a hand-over, read the caseload only once it reflects it (read-your-writes).
  const [position, setPosition] = useState<number | null>(null);
  const { data, error, reload } = useQuery(CaseloadDocument, { advocateId: null, upcomingDays: 30, atLeastPosition: position });
  const caseload = data?.caseload.__typename === 'Caseload' ? data.caseload : null;
  const failure = data && !caseload && 'message' in data.caseload ? data.caseload.message : null;
  return (
    <main id="main">
      <h1>Organisation overview</h1>
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {failure ? <p className="form-error" role="alert">{failure} <button type="button" onClick={reload}>Read again</button></p> : null}
      {caseload ? (
        <>
          <p className="meta">
            {caseload.cases.length} open cases · {caseload.cases.filter((c) => c.drifting).length} drifting (no contact for {caseload.within} days) ·{' '}
            {caseload.upcoming.length} clocks due within {caseload.upcomingDays} days · {caseload.overdue.length} overdue
          </p>
          <CaseloadTable cases={caseload.cases} showAdvocate />
          <div className="columns">
            <DeadlineList title={`Due in the next ${caseload.upcomingDays} days`} deadlines={caseload.upcoming} />
            <DeadlineList title="Overdue" deadlines={caseload.overdue} />
          </div>
          <HandOver cases={caseload.cases} onDone={setPosition} />
        </>
      ) : failure ? null : <p>Loading…</p>}
    </main>
  );
}

function HandOver({ cases, onDone }: { cases: readonly Entry[]; onDone: (position: number) => void }) {
  const [caseId, setCaseId] = useState('');
  const [advocateId, setAdvocateId] = useState('');
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<{ field?: string; message: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setRefusal(null);
    setDone(null);
    if (!caseId) return setRefusal({ field: 'caseId', message: 'caseId: choose the case to hand over' });
    const read = (await request(CaseVersionDocument, { id: caseId })).case;
    if (read.__typename !== 'Case') return setRefusal({ message: read.message });
    const answer = (await request(AssignAdvocateDocument, { input: {
      caseId, advocateId, note: note || null, expectedVersion: read.version, idempotencyKey: newKey() } })).assignAdvocate;
    if (answer.__typename === 'AdvocateAssigned') {
      setDone(`Handed over to ${advocateId}.`);
      onDone(answer.position);
      return;
    }
    setRefusal({ ...(answer.__typename === 'ValidationFailed' ? { field: answer.field } : {}), message: answer.message });
  }
  const err = (field: string) => (refusal?.field === field ? refusal.message : undefined);
  return (
    <section className="panel" aria-labelledby="handover-heading">
      <h2 id="handover-heading">Hand a case over</h2>
      <form onSubmit={submit} noValidate>
        {refusal && !['caseId', 'advocateId', 'note'].includes(refusal.field ?? '') ? <p className="form-error" role="alert">{refusal.message}</p> : null}
        {done ? <p role="status">{done}</p> : null}
        <div className="field">
          <label htmlFor="handover-case">Case</label>
          <select id="handover-case" value={caseId} onChange={(e) => setCaseId(e.target.value)} aria-describedby={err('caseId') ? 'handover-case-error' : undefined}>
            <option value="">Choose…</option>
            {cases.map((c) => <option key={c.caseId} value={c.caseId}>{c.reference} ({c.advocateId ?? 'unassigned'})</option>)}
          </select>
          <FieldError id="handover-case-error" message={err('caseId')} />
        </div>
        <div className="field">
          <label htmlFor="handover-advocate">New advocate</label>
          <input id="handover-advocate" value={advocateId} onChange={(e) => setAdvocateId(e.target.value)} aria-describedby={err('advocateId') ? 'handover-advocate-error' : undefined} />
          <FieldError id="handover-advocate-error" message={err('advocateId')} />
        </div>
        <div className="field">
          <label htmlFor="handover-note">Hand-over note</label>
          <textarea id="handover-note" value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={err('note') ? 'handover-note-error' : undefined} />
          <FieldError id="handover-note-error" message={err('note')} />
        </div>
        <button type="submit">Hand over</button>
      </form>
    </section>
  );
}
