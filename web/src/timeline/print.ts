import type { Chronology } from './Timeline';

function cssString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
}

export function runningHeader(chronology: Chronology): string {
  const asAt = chronology.asAt ? new Date(chronology.asAt).toLocaleString('en-GB', { timeZone: 'Europe/London' }) : 'now';
  return `${chronology.reference} · ${chronology.purpose.replace(/_/g, ' ').toLowerCase()} chronology · as at ${asAt} · chain head ${chronology.chainHead.slice(0, 16)}…`;
}

/** The print layout for a bundle: A4, the running header on every page, page numbers. */
export function printCss(chronology: Chronology): string {
  return `@page {
  size: A4;
  margin: 22mm 15mm 18mm 15mm;
  @top-center { content: ${cssString(runningHeader(chronology))}; font: 8pt sans-serif; color: #333; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; }
  @bottom-left { content: ${cssString(`Chain head ${chronology.chainHead}`)}; font: 7pt monospace; }
}`;
}
