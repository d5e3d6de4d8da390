import { UsageError } from '../shared/errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PER: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * Parses an event rate `<n>/s`, `<n>/m` or `<n>/h` (a bare number is per second) into events per
 * second.
 *
 * @example
 * parseRate('120/m', '--rate'); // 2
 */
export function parseRate(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([smh]))?\s*$/.exec(text);
  if (/^\s*-\s*\d/.test(text)) throw new UsageError(where, `the rate must be above 0 (got "${text}")`);
  if (!m) throw new UsageError(where, `"${text}" is not a rate such as 2000/s, 500/m or 10000/h`);
  const perSecond = Number(m[1]) / PER[m[2] ?? 's']!;
  if (!(perSecond > 0)) throw new UsageError(where, 'the rate must be above 0');
  if (perSecond > 1_000_000) throw new UsageError(where, 'the rate is above 1,000,000 events per second');
  return perSecond;
}

/**
 * Parses a duration `<n>ms|s|m|h|d` (a bare number is seconds) into milliseconds.
 *
 * @example
 * parseDuration('5m', '--interval'); // 300000
 */
export function parseDuration(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (/^\s*-\s*\d/.test(text)) throw new UsageError(where, `the duration must be above 0 (got "${text}")`);
  if (!m) throw new UsageError(where, `"${text}" is not a duration such as 60s, 5m or 2h`);
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!);
  if (ms <= 0) throw new UsageError(where, 'the duration must be above 0');
  return ms;
}
