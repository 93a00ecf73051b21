import { useQuery } from '../api/useQuery';
import { Link } from '../components/Link';
import { CaseListDocument } from '../gql/graphql';

/** The chronologies counsel may read: read-only, to print for a bundle. */
export function CounselPage() {
  const { data, error } = useQuery(CaseListDocument, {});
  return (
    <main id="main">
      <h1>Chronologies shared with you</h1>
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {!data ? <p>Loading…</p> : data.cases.__typename !== 'CasePage' ? (
        <p className="form-error">{data.cases.message}</p>
      ) : data.cases.cases.length === 0 ? <p className="empty">No case is shared with you.</p> : (
        <ul className="case-list">
          {data.cases.cases.map((c) => (
            <li key={c.id}><Link to={`/cases/${c.id}`}>{c.reference}</Link>{c.closed ? ' (closed)' : ''}</li>
          ))}
        </ul>
      )}
    </main>
  );
}
