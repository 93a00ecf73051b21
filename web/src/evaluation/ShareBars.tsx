import { useId } from 'react';

export type Bar = {
  label: string;
  /** The share, 0 to 1; null where there is none to give. */
  share: number | null;
  /** Withheld by disclosure control: marked as such, never drawn as zero. */
  suppressed: boolean;
};

/** Shares as horizontal bars, each labelled with its percentage; a suppressed
 *  share is written "suppressed" where its bar would be, and one with nobody
 *  to count says so. */
export function ShareBars({ title, caption, bars }: { title: string; caption: string; bars: readonly Bar[] }) {
  const titleId = useId();
  const barHeight = 22;
  const labelWidth = 190;
  const width = 560;
  const height = bars.length * (barHeight + 6) + 10;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={titleId} width="100%" viewBox={`0 0 ${width} ${height}`}>
        <title id={titleId}>{title}</title>
        {bars.map((bar, i) => {
          const y = i * (barHeight + 6) + 5;
          const barWidth = bar.share === null ? 0 : Math.max(1, (width - labelWidth - 70) * bar.share);
          return (
            <g key={`${bar.label}-${i}`}>
              <text x={labelWidth - 8} y={y + 15} textAnchor="end" className="chart-label">{bar.label}</text>
              {bar.suppressed ? (
                <text x={labelWidth} y={y + 15} className="chart-suppressed">suppressed</text>
              ) : bar.share === null ? (
                <text x={labelWidth} y={y + 15} className="chart-label">nobody to count</text>
              ) : (
                <>
                  <rect x={labelWidth} y={y} width={barWidth} height={barHeight} className="bar" />
                  <text x={labelWidth + barWidth + 6} y={y + 15} className="chart-label">{`${(bar.share * 100).toFixed(1)}%`}</text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** A figure's bar: its share, or why it has none. */
export function barOf(label: string, figure: {
  share?: number | null; numerator: { suppressed: boolean }; denominator?: { suppressed: boolean } | null;
} | undefined): Bar {
  if (!figure) return { label, share: null, suppressed: false };
  const suppressed = figure.numerator.suppressed || Boolean(figure.denominator?.suppressed);
  return { label, share: suppressed ? null : figure.share ?? null, suppressed };
}
