import type { TreeStats } from './collect.js';
import { formatCallers } from './callers.js';
import { formatDenials } from './denials.js';

const HOUR = 3_600_000;
/** The chart keeps to about this many rows; longer spans are grouped into buckets of whole hours. */
const MAX_ROWS = 96;
const BAR = 40;
const TOP = 15;

/** Hour buckets of the chart: start (epoch ms), width in hours, and count, empty hours included. */
export function hourlyBuckets(stats: TreeStats): { start: number; hours: number; count: number }[] {
  if (stats.first === null || stats.last === null) return [];
  const first = Math.floor(stats.first / HOUR) * HOUR;
  const last = Math.floor(stats.last / HOUR) * HOUR;
  const span = (last - first) / HOUR + 1;
  const hours = Math.max(1, Math.ceil(span / MAX_ROWS));
  const out: { start: number; hours: number; count: number }[] = [];
  for (let start = first; start <= last; start += hours * HOUR) {
    let count = 0;
    for (let h = 0; h < hours; h++) count += stats.byHour[String(start + h * HOUR)] ?? 0;
    out.push({ start, hours, count });
  }
  return out;
}

function table(title: string, counts: Record<string, number>, total: number): string[] {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = rows.slice(0, TOP);
  const width = Math.max(...shown.map(([k]) => k.length), 8);
  const lines = [`${title} (${rows.length})`];
  for (const [k, n] of shown)
    lines.push(
      `  ${k.padEnd(width)}  ${String(n).padStart(9)}  ${((100 * n) / total).toFixed(1).padStart(5)}%`,
    );
  if (rows.length > shown.length) {
    const rest = rows.slice(TOP).reduce((s, [, n]) => s + n, 0);
    lines.push(`  ${`(${rows.length - TOP} more)`.padEnd(width)}  ${String(rest).padStart(9)}`);
  }
  return lines;
}

/**
 * The terminal report of a tree: totals, a table per dimension (largest first, top 15), people's
 * and automation's calls by hour of the day (`utcOffset` hours from UTC), the busiest callers, and
 * the volume chart, one row per hour (or per bucket of hours over long spans).
 *
 * @example process.stdout.write(formatStats(collectStats('out'), 'out'))
 */
export function formatStats(stats: TreeStats, root: string, utcOffset = 0): string {
  const iso = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString());
  const lines = [
    `trailsim stats: ${root}`,
    `  ${stats.records} records in ${stats.files} log files, ${iso(stats.first)} to ${iso(stats.last)}`,
    '',
    ...table('Records by operation', stats.byOperation, stats.records),
    '',
    ...table('Records by identity type', stats.byIdentityType, stats.records),
    '',
    ...table('Records by principal', stats.byPrincipal, stats.records),
    '',
    ...table('Records by region', stats.byRegion, stats.records),
    '',
    ...table('Records by error code', stats.byErrorCode, stats.records),
    '',
    ...formatCallers(stats.callers, utcOffset),
    ...formatDenials(stats.denials),
    '',
  ];
  const buckets = hourlyBuckets(stats);
  const width = buckets[0]?.hours ?? 1;
  lines.push(`Records per ${width === 1 ? 'hour' : `${width} hours`} (UTC)`);
  const peak = Math.max(1, ...buckets.map((b) => b.count));
  for (const b of buckets) {
    const label = new Date(b.start).toISOString().slice(0, 16).replace('T', ' ');
    const bar = '#'.repeat(Math.round((BAR * b.count) / peak));
    lines.push(`  ${label}  ${String(b.count).padStart(7)}  ${bar}`);
  }
  return `${lines.join('\n')}\n`;
}
