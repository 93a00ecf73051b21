import type { EvaluationQuery, EvaluationTrendQuery } from '../gql/graphql';
import { ShareBars, barOf } from './ShareBars';

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
  const bars = table.rows
    .filter((row) => row.dimension === 'REGION')
    .map((row) => barOf(row.value ?? '', row.figures.find((f) => f.metric === metric)));
  return (
    <ShareBars
      title={`${words(metric)}: share by region`}
      caption={`${words(metric)}, share by region (${table.period.name}). Regions with a suppressed count show no bar.`}
      bars={bars}
    />
  );
}

type Trend = EvaluationTrendQuery;
type TrendAnswer = Trend['first'];

/** One metric's share of the whole cohort over successive periods, as bars;
 *  a period whose figure is suppressed (or refused) is marked, not drawn as zero. */
export function TrendChart({ trend, metric }: { trend: Trend; metric: string }) {
  const answers: TrendAnswer[] = [trend.first, trend.second, trend.third, trend.fourth];
  const bars = answers.map((answer) => answer.__typename === 'EvaluationTable'
    ? barOf(answer.period.name ?? '', answer.rows[0]?.figures.find((f) => f.metric === metric))
    : { label: 'message' in answer ? answer.message.slice(0, 30) : '?', share: null, suppressed: false });
  return (
    <ShareBars
      title={`${words(metric)}: share by period`}
      caption={`${words(metric)}, share of the whole cohort in each period. A period with a suppressed count shows no bar.`}
      bars={bars}
    />
  );
}
