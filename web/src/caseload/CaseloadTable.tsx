import { useMemo, useState } from 'react';
import type { CaseloadQuery } from '../gql/graphql';
import { Link } from '../components/Link';

export type Caseload = Extract<CaseloadQuery['caseload'], { __typename: 'Caseload' }>;
export type Entry = Caseload['cases'][number];
type SortKey = 'reference' | 'daysSinceContact' | 'nextDeadlineOn' | 'openWarnings';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'reference', label: 'Case' },
  { key: 'daysSinceContact', label: 'Last contact' },
  { key: 'nextDeadlineOn', label: 'Next deadline' },
  { key: 'openWarnings', label: 'Warnings' },
];

/** Open cases with last contact, drift, next deadline and warnings; sortable, filterable. */
export function CaseloadTable({ cases, showAdvocate = false }: { cases: readonly Entry[]; showAdvocate?: boolean }) {
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: 'daysSinceContact', up: false });
  const [filter, setFilter] = useState('');
  const [driftingOnly, setDriftingOnly] = useState(false);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept = cases.filter(
      (c) =>
        (!driftingOnly || c.drifting) &&
        (!needle || [c.reference, c.advocateId ?? '', c.localAuthority ?? ''].some((t) => t.toLowerCase().includes(needle))),
    );
    const value = (c: Entry): string | number => {
      const v = c[sort.key];
      if (v === null || v === undefined) return sort.key === 'nextDeadlineOn' ? '9999' : -1;
      return v;
    };
    return [...kept].sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.up ? order : -order;
    });
  }, [cases, filter, driftingOnly, sort]);
  return (
    <div>
      <div className="filters">
        <label>
          Filter <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="reference, advocate, area" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={driftingOnly} onChange={(e) => setDriftingOnly(e.target.checked)} /> Drifting only
        </label>
        <span>{shown.length} of {cases.length} cases</span>
      </div>
      <table className="caseload">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} scope="col" aria-sort={sort.key === column.key ? (sort.up ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="sort" onClick={() => setSort((s) => ({ key: column.key, up: s.key === column.key ? !s.up : true }))}>
                  {column.label}
                </button>
              </th>
            ))}
            {showAdvocate ? <th scope="col">Advocate</th> : null}
            <th scope="col">Drift</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.caseId}>
              <td><Link to={`/cases/${c.caseId}`}>{c.reference}</Link></td>
              <td>{c.lastContactOn ? `${c.lastContactOn} (${c.daysSinceContact} days)` : 'none on record'}</td>
              <td>{c.nextDeadlineOn ? `${c.nextDeadlineOn} ${c.nextDeadlineClock?.replace(/_/g, ' ') ?? ''}` : '—'}</td>
              <td>{c.openWarnings ?? '—'}</td>
              {showAdvocate ? <td>{c.advocateId ?? 'unassigned'}</td> : null}
              <td>{c.drifting ? <span className="status status-disputed">Drifting since {c.quietSince}</span> : 'In contact'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DeadlineList({ title, deadlines }: { title: string; deadlines: Caseload['upcoming'] }) {
  return (
    <section>
      <h3>{title}</h3>
      {deadlines.length === 0 ? <p className="empty">None.</p> : (
        <table>
          <thead><tr><th scope="col">Case</th><th scope="col">Clock</th><th scope="col">Due</th><th scope="col">Rule</th></tr></thead>
          <tbody>
            {deadlines.map((d) => (
              <tr key={`${d.case.caseId}-${d.clock}-${d.dueOn}`}>
                <td><Link to={`/cases/${d.case.caseId}`}>{d.case.reference}</Link></td>
                <td>{d.label}</td>
                <td>{d.dueOn} ({d.overdue ? `${-d.daysLeft} days overdue` : `${d.daysLeft} days left`})</td>
                <td>{d.citation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
