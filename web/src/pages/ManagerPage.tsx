import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { AssignForm, assignAdvocate } from '../case/AssignForm';
import { FieldError, describedBy } from '../components/FieldError';
import { CaseloadDocument } from '../gql/graphql';
import { CaseloadTable, DeadlineList, type Entry } from '../caseload/CaseloadTable';

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
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="handover-heading">
      <h2 id="handover-heading">Hand a case over</h2>
      {done ? <p role="status">{done}</p> : null}
      <AssignForm
        idPrefix="handover"
        submitLabel="Hand over"
        leadingFields={['caseId']}
        leading={(errorFor) => (
          <div className="field">
            <label htmlFor="handover-case">Case</label>
            <select id="handover-case" value={caseId} onChange={(e) => setCaseId(e.target.value)}
              aria-describedby={describedBy('handover-case-error', errorFor('caseId'))}>
              <option value="">Choose…</option>
              {cases.map((c) => <option key={c.caseId} value={c.caseId}>{c.reference} ({c.advocateId ?? 'unassigned'})</option>)}
            </select>
            <FieldError id="handover-case-error" message={errorFor('caseId')} />
          </div>
        )}
        onSubmit={async (advocateId, note) => {
          setDone(null);
          return caseId
            ? assignAdvocate(caseId, advocateId, note)
            : { field: 'caseId', message: 'caseId: choose the case to hand over' };
        }}
        onAssigned={(assigned) => {
          setDone(`Handed over to ${assigned.advocateId}.`);
          onDone(assigned.position);
        }}
      />
    </section>
  );
}
