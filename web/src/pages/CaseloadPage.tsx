import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { CaseloadDocument } from '../gql/graphql';
import { CaseloadTable, DeadlineList } from '../caseload/CaseloadTable';

/** The advocate's caseload: their organisation's open cases, or only their own. */
export function CaseloadPage({ subject }: { subject: string }) {
  const [mine, setMine] = useState(false);
  const { data, error, loading } = useQuery(CaseloadDocument, { advocateId: mine ? subject : null, upcomingDays: 30 });
  const caseload = data?.caseload.__typename === 'Caseload' ? data.caseload : null;
  return (
    <main id="main">
      <h1>Caseload</h1>
      <label className="checkbox">
        <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only cases assigned to me ({subject})
      </label>
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {data && !caseload && 'message' in data.caseload ? <p className="form-error" role="alert">{data.caseload.message}</p> : null}
      {loading && !caseload ? <p>Loading the caseload…</p> : null}
      {caseload ? (
        <>
          <p className="meta">As of {caseload.asOf}; drifting after {caseload.within} days without contact.</p>
          <CaseloadTable cases={caseload.cases} />
          <div className="columns">
            <DeadlineList title={`Due in the next ${caseload.upcomingDays} days`} deadlines={caseload.upcoming} />
            <DeadlineList title="Overdue" deadlines={caseload.overdue} />
          </div>
        </>
      ) : null}
    </main>
  );
}
