import { useState } from 'react';
import { request } from '../api/client';
import { useQuery } from '../api/useQuery';
import { CohortExportDocument, EvaluationDocument, EvaluationTrendDocument, type EvaluationMetric } from '../gql/graphql';
import { EvaluationTable, RegionChart, TrendChart, words } from '../evaluation/EvaluationTable';
import { trailingPeriods } from '../evaluation/periods';

/** Evaluation figures for a named period, definitions beside them, and the cohort download. */
export function EvaluationPage() {
  const [period, setPeriod] = useState('2024/25');
  const [typed, setTyped] = useState('2024/25');
  const [metric, setMetric] = useState<EvaluationMetric>('ENGAGED_6_MONTHS');
  const [download, setDownload] = useState<{ href: string; note: string } | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const { data, error, loading } = useQuery(EvaluationDocument, { period });
  const table = data?.evaluation.__typename === 'EvaluationTable' ? data.evaluation : null;
  const definitions = data?.evaluationDefinitions.__typename === 'EvaluationDefinitions' ? data.evaluationDefinitions : null;
  const refusal = data && !table && 'message' in data.evaluation ? data.evaluation.message : null;
  const periods = trailingPeriods(period);
  const [first = '', second = '', third = '', fourth = ''] = periods ?? [];
  const trend = useQuery(EvaluationTrendDocument, { metric, first, second, third, fourth }, !periods || !table);

  async function prepareDownload() {
    setDownloadError(null);
    const answer = (await request(CohortExportDocument, { period })).cohortExport;
    if (answer.__typename !== 'CohortExport') return setDownloadError(answer.message);
    if (download) URL.revokeObjectURL(download.href);
    const href = URL.createObjectURL(new Blob([answer.content], { type: 'text/csv' }));
    setDownload({ href, note: answer.withheld ? 'The cohort is too small to release: the file has its header only.' : `${answer.rowCount} rows, ${answer.generalisedRows} generalised.` });
  }

  return (
    <main id="main">
      <h1>Evaluation</h1>
      <form className="controls" onSubmit={(e) => { e.preventDefault(); setPeriod(typed.trim()); setDownload(null); }}>
        <label htmlFor="period">Period (a quarter 2024-Q1, a financial year 2023/24, or 2023/24-Q1)</label>
        <input id="period" value={typed} onChange={(e) => setTyped(e.target.value)} aria-describedby={refusal ? 'period-error' : undefined} aria-invalid={refusal ? true : undefined} />
        <button type="submit">Show</button>
      </form>
      {refusal ? <p className="field-error" id="period-error" role="alert">{refusal}</p> : null}
      {error ? <p className="form-error" role="alert">{error.message}</p> : null}
      {loading && !table ? <p>Loading the figures…</p> : null}
      {table && definitions ? (
        <>
          <EvaluationTable table={table} definitions={definitions} />
          <section className="panel">
            <h2>Shares by region and period</h2>
            <label>Metric{' '}
              <select value={metric} onChange={(e) => setMetric(e.target.value as EvaluationMetric)}>
                {table.rows[0]?.figures.filter((f) => f.denominator).map((f) => <option key={f.metric} value={f.metric}>{words(f.metric)}</option>)}
              </select>
            </label>
            <RegionChart table={table} metric={metric} />
            {trend.error ? <p className="form-error" role="alert">{trend.error.message}</p> : null}
            {periods && trend.data ? <TrendChart trend={trend.data} metric={metric} /> : null}
          </section>
          <section className="panel">
            <h2>Cohort download</h2>
            <p>One pseudonymous row per consenting client of {table.period.name}; pseudonyms are keyed to you.</p>
            <button type="button" onClick={() => void prepareDownload()}>Prepare the cohort (CSV)</button>
            {downloadError ? <p className="form-error" role="alert">{downloadError}</p> : null}
            {download ? <p><a href={download.href} download={`cohort-${period.replace(/\//g, '-')}.csv`}>Download the cohort</a> — {download.note}</p> : null}
          </section>
        </>
      ) : null}
    </main>
  );
}
