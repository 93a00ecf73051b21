import type { EvaluationQuery } from '../gql/graphql';

export type Table = Extract<EvaluationQuery['evaluation'], { __typename: 'EvaluationTable' }>;
export type Definitions = Extract<EvaluationQuery['evaluationDefinitions'], { __typename: 'EvaluationDefinitions' }>;
type Figure = Table['rows'][number]['figures'][number];
type Count = Figure['numerator'];

export function words(metric: string): string {
  const text = metric.toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A count under disclosure control: a suppressed one says so, never 0. */
export function CountCell({ count }: { count: Count | null | undefined }) {
  if (!count) return <td>—</td>;
  if (count.suppressed) {
    return (
      <td className="suppressed" data-suppressed="true">
        <abbr title="Withheld by disclosure control: too few to publish, or recoverable by subtraction">suppressed</abbr>
      </td>
    );
  }
  return <td className="count">{count.value}</td>;
}

function share(figure: Figure): string {
  if (figure.share === null || figure.share === undefined) {
    return figure.numerator.suppressed || figure.denominator?.suppressed ? 'suppressed' : '—';
  }
  return `${(figure.share * 100).toFixed(1)}%`;
}

/** The total row's figures, each metric's definition beside it. */
export function EvaluationTable({ table, definitions }: { table: Table; definitions: Definitions }) {
  const total = table.rows.find((row) => row.dimension === null || row.dimension === undefined);
  const byMetric = new Map(definitions.definitions.map((d) => [d.metric, d]));
  return (
    <table className="evaluation">
      <caption>
        {table.period.name ?? `${table.period.first} to ${table.period.last}`}: {table.suppressedCells} counts suppressed (threshold {table.threshold})
      </caption>
      <thead>
        <tr>
          <th scope="col">Metric</th><th scope="col">Count</th><th scope="col">Out of</th><th scope="col">Share</th>
          <th scope="col">Definition</th>
        </tr>
      </thead>
      <tbody>
        {total?.figures.map((figure) => {
          const definition = byMetric.get(figure.metric);
          return (
            <tr key={figure.metric} data-metric={figure.metric}>
              <th scope="row">{words(figure.metric)}</th>
              <CountCell count={figure.numerator} />
              <CountCell count={figure.denominator} />
              <td>
                {share(figure)}
                {figure.days ? <span className="meta"> median {figure.days.median} days</span> : null}
                {figure.totalAmount ? <span className="meta"> £{figure.totalAmount}</span> : null}
              </td>
              <td className="definition">
                {definition ? (
                  <>
                    <p>{definition.numerator}</p>
                    <p className="meta">Out of: {definition.denominator}</p>
                    {definition.notes ? <p className="meta">{definition.notes}</p> : null}
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Shares of one metric by region, as bars; a suppressed region is marked, not drawn as zero. */
export function RegionChart({ table, metric }: { table: Table; metric: string }) {
  const rows = table.rows.filter((row) => row.dimension === 'REGION');
  const barHeight = 22;
  const labelWidth = 190;
  const width = 560;
  const height = rows.length * (barHeight + 6) + 10;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby="chart-title" width="100%" viewBox={`0 0 ${width} ${height}`}>
        <title id="chart-title">{`${words(metric)}: share by region`}</title>
        {rows.map((row, i) => {
          const figure = row.figures.find((f) => f.metric === metric);
          const y = i * (barHeight + 6) + 5;
          const shareValue = figure?.share;
          const suppressed = !figure || shareValue === null || shareValue === undefined;
          const barWidth = suppressed ? 0 : Math.max(1, (width - labelWidth - 70) * shareValue);
          return (
            <g key={row.value ?? i}>
              <text x={labelWidth - 8} y={y + 15} textAnchor="end" className="chart-label">{row.value}</text>
              {suppressed ? (
                <text x={labelWidth} y={y + 15} className="chart-suppressed">suppressed</text>
              ) : (
                <>
                  <rect x={labelWidth} y={y} width={barWidth} height={barHeight} className="bar" />
                  <text x={labelWidth + barWidth + 6} y={y + 15} className="chart-label">{`${(shareValue * 100).toFixed(1)}%`}</text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{words(metric)}, share by region ({table.period.name}). Regions with a suppressed count show no bar.</figcaption>
    </figure>
  );
}
