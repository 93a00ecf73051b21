// Named periods as the API reads them (projections/evaluation/periods.py):
// a calendar quarter 2024-Q1, a financial year 2023/24, or one of its quarters
// 2023/24-Q1 (April to June).

const CALENDAR_QUARTER = /^(\d{4})-Q([1-4])$/;
const FINANCIAL_YEAR = /^(\d{4})\/(\d{2})(?:-Q([1-4]))?$/;

function financialYear(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The `count` periods of the same kind ending with `name`, oldest first, or
 *  null if `name` is not a named period (a range of days has no neighbours). */
export function trailingPeriods(name: string, count = 4): string[] | null {
  const text = name.trim().toUpperCase();
  const calendar = CALENDAR_QUARTER.exec(text);
  if (calendar) {
    const last = Number(calendar[1]) * 4 + Number(calendar[2]) - 1;
    return Array.from({ length: count }, (_, i) => {
      const index = last - (count - 1 - i);
      return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
    });
  }
  const financial = FINANCIAL_YEAR.exec(text);
  if (!financial || (Number(financial[1]) + 1) % 100 !== Number(financial[2])) return null;
  const year = Number(financial[1]);
  if (!financial[3]) return Array.from({ length: count }, (_, i) => financialYear(year - (count - 1 - i)));
  const last = year * 4 + Number(financial[3]) - 1;
  return Array.from({ length: count }, (_, i) => {
    const index = last - (count - 1 - i);
    return `${financialYear(Math.floor(index / 4))}-Q${(index % 4) + 1}`;
  });
}
