import { startTransition, useEffect, useState } from 'react';
import type { ChronologyFieldsFragment } from '../gql/graphql';

/** Rows painted at once: more than a screen. The rest follow in the next frame,
 *  so a long chronology is usable before its last row is laid out. */
export const FIRST_ROWS = 60;

export type Chronology = ChronologyFieldsFragment;
export type Row = Chronology['rows'][number];

type Props = {
  chronology: Chronology;
  /** Row actions for those who may change the case; none for counsel. */
  actions?: (row: Row) => React.ReactNode;
};

const STATUS_WORDS: Record<Row['status'], string> = {
  CURRENT: 'As recorded',
  CORRECTED: 'Corrected',
  DISPUTED: 'Disputed',
  RETRACTED: 'Retracted',
};

/** A case's chronology as the API gives it: dates in its words, never reworded. */
export function Timeline({ chronology, actions }: Props) {
  const total = chronology.rows.length;
  const [shown, setShown] = useState(FIRST_ROWS);
  useEffect(() => {
    if (shown >= total) return;
    const frame = requestAnimationFrame(() => startTransition(() => setShown(total)));
    return () => cancelAnimationFrame(frame);
  }, [shown, total]);
  if (total === 0) {
    return <p className="empty">No steps {chronology.changedSince ? 'changed since then' : 'on record for this purpose'}.</p>;
  }
  return (
    <table className="timeline">
      <caption className="visually-hidden">Chronology of {chronology.reference}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Step</th>
          <th scope="col">Sources</th>
          <th scope="col">Status</th>
          {actions ? <th scope="col" className="no-print">Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {chronology.rows.slice(0, shown).map((row) => (
          <tr key={row.stepId} className={`row-${row.status.toLowerCase()}`} data-step={row.stepId}>
            <td className="when">{row.when}</td>
            <td>
              <strong>{row.label}</strong>
              <p className="summary">{row.summary}</p>
              {row.disputes.map((dispute, i) => (
                <div className="dispute" key={i}>
                  <p><span className="tag">Version on record</span> {dispute.recordedWhen}: {dispute.recordedVersion}</p>
                  <p><span className="tag">Other version, {dispute.disputedBy}</span> {dispute.otherWhen}: {dispute.otherVersion}</p>
                  {dispute.sources.length ? <p className="cites">{dispute.sources.map((s) => s.cite).join('; ')}</p> : null}
                </div>
              ))}
              {row.retraction ? (
                <p className="retraction">
                  Retracted: {row.retraction.reason}{' '}
                  <span className="meta">({row.retraction.recordedBy}, {new Date(row.retraction.recordedAt).toLocaleString('en-GB')})</span>
                </p>
              ) : null}
              {row.warnings.map((warning) => (
                <p className="warning" key={warning}>⚠ {warning}</p>
              ))}
              {row.clocks.map((clock) => (
                <p className="clock" key={`${clock.kind}-${clock.role}`}>
                  {clock.label}: {clock.role.toLowerCase()}, due {clock.dueOn} ({clock.status.toLowerCase().replace(/_/g, ' ')})
                </p>
              ))}
              {row.history.length > 1 ? (
                <details className="history">
                  <summary>History ({row.history.length} readings)</summary>
                  <ol>
                    {row.history.map((version, i) => (
                      <li key={i}>
                        <span className="when">{version.when}</span> — {version.summary}{' '}
                        <span className="meta">
                          ({i === 0 ? 'first recorded' : `corrected: ${version.reason ?? ''}`}, {version.recordedBy},{' '}
                          {new Date(version.recordedAt).toLocaleString('en-GB')})
                        </span>
                      </li>
                    ))}
                  </ol>
                </details>
              ) : null}
            </td>
            <td className="cites">{row.sources.map((s) => s.cite).join('; ') || '—'}</td>
            <td>
              <span className={`status status-${row.status.toLowerCase()}`}>{STATUS_WORDS[row.status]}</span>
            </td>
            {actions ? <td className="no-print">{actions(row)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
