import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { Link } from '../components/Link';
import { longDay } from '../components/words';
import { CompensationTab } from '../compensation/CompensationTab';
import { SharedChronologyDocument, SharedWithMeDocument, type SharePurpose } from '../gql/graphql';
import { ChronologyPanel, PURPOSE_LABELS, moment } from '../timeline/ChronologyPanel';

/** Local time as a `datetime-local` input holds it. */
function localInput(iso: string): string {
  const at = new Date(iso);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** One chronology shared with counsel, read-only: the purpose shared and no
 *  other, to read, print for a bundle and download; for a CICA share, the
 *  compensation evidence pack too. */
export function SharedChronologyPage({ caseId, purpose }: { caseId: string; purpose: SharePurpose }) {
  const [asAt, setAsAt] = useState('');
  const [changedSince, setChangedSince] = useState('');
  const [tab, setTab] = useState<'timeline' | 'compensation'>('timeline');
  // The share is read first: reading the chronology moves its last look on.
  const shares = useQuery(SharedWithMeDocument, {});
  const listed = shares.data?.sharedWithMe.__typename === 'SharedWithMe' ? shares.data.sharedWithMe.shares : null;
  const share = listed?.find((s) => s.caseId === caseId && s.purpose === purpose) ?? null;
  // Not asked for when the list says it is not shared: the API would refuse it.
  const unshared = shares.data !== null && !share;
  const timeline = useQuery(SharedChronologyDocument, { caseId, purpose, asAt: moment(asAt), changedSince: moment(changedSince) }, !share);
  const answer = timeline.data?.chronology;
  const chronology = answer?.__typename === 'Chronology' ? answer : null;
  const failure = answer && !chronology && 'message' in answer ? answer.message : null;
  // The list refused (rate limit, role): its message, not a guess that the share ended.
  const refused = shares.data && !listed && 'message' in shares.data.sharedWithMe ? shares.data.sharedWithMe.message : null;
  if (shares.error || refused) {
    return (
      <main id="main">
        <h1>Shared chronology</h1>
        <p className="form-error" role="alert">{shares.error?.message ?? refused}</p>
        <p><Link to="/">← Chronologies shared with you</Link></p>
      </main>
    );
  }
  if (unshared) {
    return (
      <main id="main">
        <h1>Not shared with you</h1>
        <p>No live share gives you this case&apos;s {PURPOSE_LABELS[purpose].toLowerCase()} chronology: it may have ended or been revoked.</p>
        <p><Link to="/">← Chronologies shared with you</Link></p>
      </main>
    );
  }
  return (
    <main id="main" className="case-page">
      <p className="no-print"><Link to="/">← Chronologies shared with you</Link></p>
      <h1>{chronology?.reference ?? share?.reference ?? 'Shared chronology'}</h1>
      <p className="meta no-print">
        {PURPOSE_LABELS[purpose]} chronology, shared with you read-only
        {share ? ` until ${longDay(share.expiresOn)}; sensitive steps ${share.includeSensitive ? 'included' : 'left out'}` : ''}.
        {share?.lastLookedAt ? (
          <>
            {' '}You last looked on {new Date(share.lastLookedAt).toLocaleString('en-GB')}.{' '}
            <button type="button" className="secondary" onClick={() => setChangedSince(localInput(share.lastLookedAt ?? ''))}>
              Show what changed since
            </button>
          </>
        ) : null}
      </p>
      {purpose === 'CICA' ? (
        <div role="tablist" aria-label="Shared views" className="tabs no-print">
          <button type="button" role="tab" aria-selected={tab === 'timeline'} onClick={() => setTab('timeline')}>Timeline</button>
          <button type="button" role="tab" aria-selected={tab === 'compensation'} onClick={() => setTab('compensation')}>Compensation evidence</button>
        </div>
      ) : null}
      {tab === 'timeline' ? (
        <ChronologyPanel
          caseId={caseId}
          purpose={purpose}
          asAt={asAt}
          onAsAt={setAsAt}
          changedSince={changedSince}
          onChangedSince={setChangedSince}
          state={{ chronology, failure, error: timeline.error, loading: timeline.loading }}
          mayIncludeSensitive={share?.includeSensitive ?? false}
        />
      ) : (
        <CompensationTab caseId={caseId} />
      )}
    </main>
  );
}
