import { describe, expect, it } from 'vitest';
import { trailingPeriods } from './periods';

describe('trailingPeriods', () => {
  it('gives the quarters up to a calendar quarter, across a year', () => {
    expect(trailingPeriods('2024-Q2')).toEqual(['2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2']);
  });

  it('gives the financial years up to one, across a century', () => {
    expect(trailingPeriods('2001/02', 3)).toEqual(['1999/00', '2000/01', '2001/02']);
  });

  it('gives the quarters of financial years up to one', () => {
    expect(trailingPeriods(' 2024/25-q1 ')).toEqual(['2023/24-Q2', '2023/24-Q3', '2023/24-Q4', '2024/25-Q1']);
  });

  it('has none for what names no period', () => {
    expect(trailingPeriods('2024/26')).toBeNull();
    expect(trailingPeriods('2024')).toBeNull();
    expect(trailingPeriods('')).toBeNull();
  });
});
