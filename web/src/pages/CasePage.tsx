import { useCallback, useEffect, useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { FieldError } from '../components/FieldError';
import { Link } from '../components/Link';
import { CaseDeadlinesDocument, CaseTimelineDocument, CorrectStepDocument,
  AttachEvidenceDocument, DescribeDateDocument, DisputeStepDocument, GiveConsentDocument, RetractStepDocument,
  StepKindsDocument, WithdrawConsentDocument,
  type ChronologyPurpose, type CorrectStepMutation } from '../gql/graphql';
import { AssignmentPanel } from '../case/AssignForm';
import { ConsentPanel, EvidenceForm } from '../case/CaseRecordPanel';
import { CompensationTab } from '../compensation/CompensationTab';
import { DeadlinesTable } from '../deadlines/DeadlinesTable';
import { OutboxBanner, useOutbox } from '../outbox/context';
import { newKey } from '../outbox/outbox';
import { DateField, type DateDescriber } from '../steps/DateField';
import { StepForm, type Refusal, type StepDraft } from '../steps/StepForm';
import { ChronologyPanel, PURPOSE_LABELS, moment } from '../timeline/ChronologyPanel';
import type { Row } from '../timeline/Timeline';

type StepAnswer = CorrectStepMutation['correctStep'];

function refusalOf(answer: StepAnswer | { __typename: string; message?: string; field?: string }): Refusal | null {
  if ('stepId' in answer) return null;
  return { field: 'field' in answer ? answer.field : undefined, message: answer.message ?? 'Refused.' };
}

type Editing = { row: Row; mode: 'correct' | 'retract' | 'dispute' } | null;

/** A case for those who work it (its advocates and managers): the timeline to
 *  read and act on, deadlines, compensation evidence, consent and assignment. */
export function CasePage({ caseId, subject, mayHandOver }: { caseId: string; subject: string; mayHandOver: boolean }) {
  const [purpose, setPurpose] = useState<ChronologyPurpose>('FULL');
  const [asAt, setAsAt] = useState('');
  const [changedSince, setChangedSince] = useState('');
  const [tab, setTab] = useState<'timeline' | 'deadlines' | 'compensation'>('timeline');
  const [editing, setEditing] = useState<Editing>(null);
  const timeline = useQuery(CaseTimelineDocument, { caseId, purpose, asAt: moment(asAt), changedSince: moment(changedSince) });
  const kinds = useQuery(StepKindsDocument, {});
  const { outbox, pending, lastSent } = useOutbox();
  const { reload } = timeline;
  useEffect(() => {
    if (lastSent?.caseId === caseId) reload();
  }, [lastSent, caseId, reload]);
  const describe: DateDescriber = useCallback(async (edtf) => (await request(DescribeDateDocument, { edtf })).describeDate, []);

  const theCase = timeline.data?.case.__typename === 'Case' ? timeline.data.case : null;
  const chronology = timeline.data?.chronology.__typename === 'Chronology' ? timeline.data.chronology : null;
  const failure = timeline.data && !chronology ? ('message' in timeline.data.chronology ? timeline.data.chronology.message : '') : null;

  async function recordStep(draft: StepDraft): Promise<Refusal | null> {
    if (!theCase) return { message: 'The case is not loaded.' };
    const outcome = await outbox.submit(caseId, theCase.reference, {
      caseId,
      expectedVersion: theCase.version,
      kind: draft.kind,
      occurred: draft.occurred || null,
      summary: draft.summary,
      details: draft.details,
      sources: draft.sources,
    });
    if (outcome.kind === 'refused' && outcome.answer.__typename !== 'VersionConflict') return refusalOf(outcome.answer);
    return null;
  }

  async function correct(row: Row, draft: StepDraft): Promise<Refusal | null> {
    const answer = (await request(CorrectStepDocument, { input: {
      caseId, stepId: row.stepId, expectedVersion: theCase?.version ?? null, idempotencyKey: newKey(),
      kind: draft.kind, occurred: draft.occurred || null, summary: draft.summary, details: draft.details,
      sources: draft.sources, reason: draft.reason ?? '',
    } })).correctStep;
    return settle(refusalOf(answer));
  }

  function settle(refusal: Refusal | null): Refusal | null {
    if (!refusal) {
      setEditing(null);
      timeline.reload();
    }
    return refusal;
  }

  return (
    <main id="main" className="case-page">
      <p className="no-print"><Link to="/">← All cases</Link></p>
      <h1>{theCase?.reference ?? chronology?.reference ?? 'Case'}</h1>
      {theCase ? (
        <p className="meta no-print">
          Version {theCase.version} · {theCase.closed ? 'closed' : 'open'} · advocate {theCase.advocateId ?? 'unassigned'} ·
          consents: {theCase.consents.map((c) => c.toLowerCase().replace(/_/g, ' ')).join(', ') || 'none'}
        </p>
      ) : null}
      <OutboxBanner pending={pending} onResend={(k, v) => outbox.resend(k, v)} onDrop={(k) => outbox.drop(k)} />
      <div role="tablist" aria-label="Case views" className="tabs no-print">
        {(['timeline', 'deadlines', 'compensation'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
            {name === 'timeline' ? 'Timeline' : name === 'deadlines' ? 'Deadlines' : 'Compensation evidence'}
          </button>
        ))}
      </div>
      {tab === 'timeline' ? (
        <div>
          <ChronologyPanel
            caseId={caseId}
            purpose={purpose}
            purposeControl={
              <label>Purpose{' '}
                <select value={purpose} onChange={(e) => setPurpose(e.target.value as ChronologyPurpose)}>
                  {Object.entries(PURPOSE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                </select>
              </label>
            }
            asAt={asAt}
            onAsAt={setAsAt}
            changedSince={changedSince}
            onChangedSince={setChangedSince}
            state={{ chronology, failure, error: timeline.error, loading: timeline.loading }}
            mayIncludeSensitive
            {...(chronology && !chronology.asAt ? { actions: (row: Row) => row.status === 'RETRACTED' ? null : (
              <div className="row-actions">
                <button type="button" onClick={() => setEditing({ row, mode: 'correct' })}>Correct<span className="visually-hidden"> {row.label}, {row.when}</span></button>
                <button type="button" onClick={() => setEditing({ row, mode: 'dispute' })}>Dispute<span className="visually-hidden"> {row.label}, {row.when}</span></button>
                <button type="button" onClick={() => setEditing({ row, mode: 'retract' })}>Retract<span className="visually-hidden"> {row.label}, {row.when}</span></button>
              </div>
            ) } : {})}
          />
          {editing && kinds.data ? (
            <section className="panel no-print" aria-label={`${editing.mode} step`}>
              <h2>{editing.mode === 'correct' ? 'Correct' : editing.mode === 'dispute' ? 'Dispute' : 'Retract'}: {editing.row.label}, {editing.row.when}</h2>
              {editing.mode === 'correct' ? (
                <StepForm
                  key={editing.row.stepId}
                  kinds={kinds.data.stepKinds}
                  describe={describe}
                  initial={{
                    kind: editing.row.kind, occurred: editing.row.occurred ?? '', summary: editing.row.summary,
                    details: editing.row.details, sources: editing.row.sources.map((s) => ({ document: s.document, pin: s.pin ?? null })),
                  }}
                  withReason
                  submitLabel="Save correction"
                  onSubmit={(draft) => correct(editing.row, draft)}
                  onCancel={() => setEditing(null)}
                />
              ) : editing.mode === 'retract' ? (
                <RetractForm onCancel={() => setEditing(null)} onSubmit={async (reason) => settle(refusalOf((await request(RetractStepDocument, { input: {
                  caseId, stepId: editing.row.stepId, reason, expectedVersion: theCase?.version ?? null, idempotencyKey: newKey() } })).retractStep))} />
              ) : (
                <DisputeForm describe={describe} onCancel={() => setEditing(null)} onSubmit={async (d) => settle(refusalOf((await request(DisputeStepDocument, { input: {
                  caseId, stepId: editing.row.stepId, expectedVersion: theCase?.version ?? null, idempotencyKey: newKey(),
                  disputedBy: d.disputedBy, otherVersion: d.otherVersion, otherOccurred: d.otherOccurred || null } })).disputeStep))} />
              )}
            </section>
          ) : null}
          {kinds.data && theCase && !theCase.closed ? (
            <section className="panel no-print" aria-labelledby="record-heading">
              <h2 id="record-heading">Record a step</h2>
              <StepForm kinds={kinds.data.stepKinds} describe={describe} onSubmit={recordStep} submitLabel="Record step" />
            </section>
          ) : null}
          {theCase && !theCase.closed ? (
            <>
              <EvidenceForm onSubmit={async (e) => {
                const answer = (await request(AttachEvidenceDocument, { input: {
                  caseId, title: e.title, documentKind: e.documentKind, bundleRef: e.bundleRef || null,
                  expectedVersion: theCase.version, idempotencyKey: newKey() } })).attachEvidence;
                if (answer.__typename === 'EvidenceAttached') {
                  timeline.reload();
                  return answer.documentId;
                }
                return refusalOf(answer) ?? { message: 'Refused.' };
              }} />
              <ConsentPanel consents={theCase.consents} onChange={async (purpose, give, note) => {
                const input = { caseId, purpose, note: note || null, expectedVersion: theCase.version, idempotencyKey: newKey() };
                const answer = give
                  ? (await request(GiveConsentDocument, { input })).giveConsent
                  : (await request(WithdrawConsentDocument, { input })).withdrawConsent;
                const refusal = 'caseVersion' in answer ? null : { field: 'field' in answer ? answer.field : undefined, message: answer.message };
                if (!refusal) timeline.reload();
                return refusal;
              }} />
              <AssignmentPanel caseId={caseId} advocateId={theCase.advocateId ?? null} subject={subject}
                mayHandOver={mayHandOver} onAssigned={() => timeline.reload()} />
            </>
          ) : null}
        </div>
      ) : tab === 'deadlines' ? (
        <DeadlinesTab caseId={caseId} />
      ) : (
        <CompensationTab caseId={caseId} />
      )}
    </main>
  );
}

function DeadlinesTab({ caseId }: { caseId: string }) {
  const { data, error } = useQuery(CaseDeadlinesDocument, { caseId });
  if (error) return <p className="form-error" role="alert">{error.message}</p>;
  if (!data) return <p>Loading deadlines…</p>;
  if (data.deadlines.__typename !== 'Deadlines') return <p className="form-error">{data.deadlines.message}</p>;
  return <section aria-label="Deadlines"><DeadlinesTable deadlines={data.deadlines} /></section>;
}

function RetractForm({ onSubmit, onCancel }: { onSubmit: (reason: string) => Promise<Refusal | null>; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  return (
    <form onSubmit={async (e) => { e.preventDefault(); setRefusal(await onSubmit(reason)); }} noValidate>
      {refusal && refusal.field !== 'reason' ? <p className="form-error" role="alert">{refusal.message}</p> : null}
      <div className="field">
        <label htmlFor="retract-reason">Why it is retracted</label>
        <textarea id="retract-reason" name="reason" value={reason} onChange={(e) => setReason(e.target.value)}
          aria-invalid={refusal?.field === 'reason' ? true : undefined} aria-describedby={refusal?.field === 'reason' ? 'retract-reason-error' : undefined} />
        <FieldError id="retract-reason-error" message={refusal?.field === 'reason' ? refusal.message : undefined} />
      </div>
      <div className="actions"><button type="submit">Retract step</button><button type="button" className="secondary" onClick={onCancel}>Cancel</button></div>
    </form>
  );
}

type DisputeDraft = { disputedBy: string; otherVersion: string; otherOccurred: string };

function DisputeForm({ onSubmit, onCancel, describe }: {
  onSubmit: (draft: DisputeDraft) => Promise<Refusal | null>; onCancel: () => void; describe: DateDescriber;
}) {
  const [draft, setDraft] = useState<DisputeDraft>({ disputedBy: '', otherVersion: '', otherOccurred: '' });
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const errorFor = (field: string) => (refusal?.field === field ? refusal.message : undefined);
  const general = refusal && !['disputedBy', 'otherVersion', 'otherOccurred'].includes(refusal.field ?? '') ? refusal.message : undefined;
  return (
    <form onSubmit={async (e) => { e.preventDefault(); setRefusal(await onSubmit(draft)); }} noValidate>
      {general ? <p className="form-error" role="alert">{general}</p> : null}
      {(['disputedBy', 'otherVersion'] as const).map((name) => (
        <div className="field" key={name}>
          <label htmlFor={`dispute-${name}`}>{name === 'disputedBy' ? 'Who gives the other version (a role or party)' : 'The other version'}</label>
          <input id={`dispute-${name}`} name={name} value={draft[name]} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
            aria-invalid={errorFor(name) ? true : undefined} aria-describedby={errorFor(name) ? `dispute-${name}-error` : undefined} />
          <FieldError id={`dispute-${name}-error`} message={errorFor(name)} />
        </div>
      ))}
      <DateField label="When it happened in the other version" value={draft.otherOccurred} describe={describe}
        onChange={(otherOccurred) => setDraft({ ...draft, otherOccurred })} error={errorFor('otherOccurred')} />
      <div className="actions"><button type="submit">Record dispute</button><button type="button" className="secondary" onClick={onCancel}>Cancel</button></div>
    </form>
  );
}
