import type { CaseDeadlinesQuery } from '../gql/graphql';

export type Deadlines = Extract<CaseDeadlinesQuery['deadlines'], { __typename: 'Deadlines' }>;

/** Each legal clock with its due day, status, rule and citation. */
export function DeadlinesTable({ deadlines }: { deadlines: Deadlines }) {
  return (
    <div>
      <p>Judged as at {deadlines.asOf}.</p>
      {deadlines.clocks.length === 0 ? <p className="empty">No legal clock has started on this case.</p> : (
        <table className="deadlines">
          <thead>
            <tr>
              <th scope="col">Clock</th><th scope="col">Runs from</th><th scope="col">Due</th>
              <th scope="col">Status</th><th scope="col">Rule and citation</th>
            </tr>
          </thead>
          <tbody>
            {deadlines.clocks.map((clock) => (
              <tr key={`${clock.kind}-${clock.startedBy}`}>
                <td>{clock.label}</td>
                <td>{clock.startedWhen}</td>
                <td>
                  {clock.dueOn}
                  {clock.originalDueOn ? <> (was {clock.originalDueOn})</> : null}
                  {clock.daysLeft !== null && clock.daysLeft !== undefined ? <> — {clock.daysLeft} days left</> : null}
                </td>
                <td><span className={`status clock-${clock.status.toLowerCase()}`}>{clock.status.toLowerCase().replace(/_/g, ' ')}</span>
                  {clock.needs.map((need) => <p key={need} className="warning">{need}</p>)}
                </td>
                <td>
                  <p>{clock.rule.description} ({clock.rule.period})</p>
                  <p className="cites">{clock.rule.citation}</p>
                  <details><summary>Why</summary><p>{clock.explanation}</p></details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deadlines.notes.map((note) => <p key={note} className="warning">{note}</p>)}
    </div>
  );
}
