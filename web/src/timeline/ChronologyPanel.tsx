import { useState, type ReactNode } from 'react';
import { download } from '../api/client';
import { counted } from '../components/words';
import type { ChronologyPurpose } from '../gql/graphql';
import { printCss, runningHeader } from './print';
import { Timeline, type Chronology, type Row } from './Timeline';

export const PURPOSE_LABELS: Record<ChronologyPurpose, string> = {
  FULL: 'Full',
  CRIMINAL_TRIAL: 'Criminal trial',
  CICA: 'CICA claim',
  IMMIGRATION: 'Immigration',
};

/** A `datetime-local` value as the API's moment (with its offset), or null. */
export function moment(local: string): string | null {
  return local ? new Date(local).toISOString() : null;
}

/** The chronology query's state, as the page that reads it holds it. */
export type ChronologyState = {
  chronology: Chronology | null;
  /** The API's typed refusal, if it refused. */
  failure: string | null;
  error: Error | null;
  loading: boolean;
};

type Props = {
  caseId: string;
  purpose: ChronologyPurpose;
  /** The purpose chooser, for those who may read every purpose; counsel read the one shared. */
  purposeControl?: ReactNode;
  asAt: string;
  onAsAt: (local: string) => void;
  changedSince: string;
  onChangedSince: (local: string) => void;
  state: ChronologyState;
  /** Whether the caller may see sensitive steps, and so may ask for them in a download. */
  mayIncludeSensitive: boolean;
  actions?: (row: Row) => ReactNode;
};

/** A chronology to read, print for a bundle and download: the same for
 *  advocates (who choose its purpose and may act on rows) and for counsel. */
export function ChronologyPanel({
  caseId, purpose, purposeControl, asAt, onAsAt, changedSince, onChangedSince, state, mayIncludeSensitive, actions,
}: Props) {
  const { chronology, failure, error, loading } = state;
  return (
    <section aria-label="Timeline">
      <style>{chronology ? printCss(chronology) : ''}</style>
      {chronology ? <p className="print-only print-header">{runningHeader(chronology)}</p> : null}
      <form className="controls no-print" onSubmit={(e) => e.preventDefault()}>
        {purposeControl}
        <label>As at <input type="datetime-local" value={asAt} onChange={(e) => onAsAt(e.target.value)} /></label>
        <label>Changed since <input type="datetime-local" value={changedSince} onChange={(e) => onChangedSince(e.target.value)} /></label>
        <button type="button" onClick={() => window.print()}>Print chronology</button>
      </form>
      <Downloads caseId={caseId} purpose={purpose} asAt={moment(asAt)} mayIncludeSensitive={mayIncludeSensitive} />
      {chronology ? (
        <p className="meta">
          {chronology.rows.length} steps · case version {chronology.caseVersion} · chain head <code>{chronology.chainHead.slice(0, 16)}…</code>
          {chronology.asAt ? ` · as at ${new Date(chronology.asAt).toLocaleString('en-GB')}` : ''}
          {chronology.sensitiveLeftOut ? ` · ${counted(chronology.sensitiveLeftOut, 'sensitive step')} left out` : ''}
        </p>
      ) : null}
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {failure ? <p className="form-error" role="alert">{failure}</p> : null}
      {loading && !chronology ? <p>Loading the timeline…</p> : null}
      {chronology ? <Timeline chronology={chronology} {...(actions ? { actions } : {})} /> : null}
    </section>
  );
}

const FORMATS = [
  { format: 'docx', label: 'Word' },
  { format: 'pdf', label: 'PDF' },
  { format: 'csv', label: 'CSV' },
] as const;

/** The chronology as the files the API writes (with their proof), for this
 *  purpose and moment: what a clerk puts in the bundle. */
function Downloads({ caseId, purpose, asAt, mayIncludeSensitive }: {
  caseId: string; purpose: ChronologyPurpose; asAt: string | null; mayIncludeSensitive: boolean;
}) {
  const [withSensitive, setWithSensitive] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  async function fetchFile(format: string) {
    const query = new URLSearchParams({ purpose: purpose.toLowerCase() });
    if (asAt) query.set('asAt', asAt);
    if (withSensitive) query.set('includeSensitive', '1');
    setStatus({ ok: true, text: 'Preparing the file…' });
    try {
      const name = await download(`/exports/${encodeURIComponent(caseId)}/chronology.${format}?${query}`, `chronology.${format}`);
      setStatus({ ok: true, text: `Downloaded ${name}.` });
    } catch (failure) {
      setStatus({ ok: false, text: (failure as Error).message });
    }
  }
  return (
    <div className="downloads no-print" role="group" aria-label="Download the chronology">
      <span>Download:</span>
      {FORMATS.map(({ format, label }) => (
        <button key={format} type="button" className="secondary" onClick={() => void fetchFile(format)}>
          {label}<span className="visually-hidden"> chronology</span>
        </button>
      ))}
      {mayIncludeSensitive ? (
        <label><input type="checkbox" checked={withSensitive} onChange={(e) => setWithSensitive(e.target.checked)} /> with sensitive steps</label>
      ) : null}
      {status ? <span role={status.ok ? 'status' : 'alert'} className={status.ok ? 'meta' : 'form-error'}>{status.text}</span> : null}
    </div>
  );
}
