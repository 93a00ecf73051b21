import { useQuery } from '../api/useQuery';
import { Link } from '../components/Link';
import { counted, longDay } from '../components/words';
import { SharedWithMeDocument, type SharePurpose } from '../gql/graphql';
import { PURPOSE_LABELS } from '../timeline/ChronologyPanel';

/** The address of a shared chronology: the case and the purpose shared. */
export function sharedPath(caseId: string, purpose: SharePurpose): string {
  return `/shared/${encodeURIComponent(caseId)}/${purpose.toLowerCase().replace(/_/g, '-')}`;
}

/** A purpose as `sharedPath` writes it, or null. */
export function purposeOfPath(text: string): SharePurpose | null {
  const purpose = text.toUpperCase().replace(/-/g, '_');
  return purpose === 'CICA' || purpose === 'CRIMINAL_TRIAL' || purpose === 'IMMIGRATION' ? purpose : null;
}

/** The chronologies shared with counsel: read-only, each for the purpose shared,
 *  with what changed since they last looked. */
export function CounselPage() {
  const { data, error } = useQuery(SharedWithMeDocument, {});
  const shares = data?.sharedWithMe.__typename === 'SharedWithMe' ? data.sharedWithMe.shares : null;
  return (
    <main id="main">
      <h1>Chronologies shared with you</h1>
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {!data ? <p>Loading…</p> : !shares ? (
        <p className="form-error" role="alert">{'message' in data.sharedWithMe ? data.sharedWithMe.message : 'Refused.'}</p>
      ) : shares.length === 0 ? <p className="empty">No chronology is shared with you now.</p> : (
        <table className="shares">
          <caption className="visually-hidden">Chronologies shared with you</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Purpose</th>
              <th scope="col">Shared until</th>
              <th scope="col">Sensitive steps</th>
              <th scope="col">Since you last looked</th>
            </tr>
          </thead>
          <tbody>
            {shares.map((share) => (
              <tr key={share.shareId}>
                <td><Link to={sharedPath(share.caseId, share.purpose)}>{share.reference}</Link></td>
                <td>{PURPOSE_LABELS[share.purpose]}</td>
                <td>{longDay(share.expiresOn)}</td>
                <td>{share.includeSensitive ? 'Included' : 'Left out'}</td>
                <td>
                  {share.lastLookedAt
                    ? `${counted(share.changedSinceLastLook, 'row')} changed since ${new Date(share.lastLookedAt).toLocaleString('en-GB')}`
                    : `Not yet read (${counted(share.changedSinceLastLook, 'row')})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
