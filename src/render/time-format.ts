import { isoSeconds } from '../shared/time.js';
import { generated, isPlainObject, NodeError, ptr, type Compiled, type RenderState } from './node.js';

/** Times in templates: `$time` and `$timeRange`, their offsets and their output formats. */

/** Output formats of `$time` and `$timeRange`. */
export type TimeFormat = 'iso' | 'epoch' | 'java';
const TIME_FORMATS: readonly TimeFormat[] = ['iso', 'epoch', 'java'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Formats an instant (epoch ms) in UTC, computed by hand so that neither TZ nor the locale matters.
 * `java` is how CloudTrail renders a java.util.Date in the requestParameters of Java-based services.
 *
 * @example formatTime(Date.UTC(2026, 10, 1, 12), 'java') // 'Nov 1, 2026, 12:00:00 PM'
 * @example formatTime(Date.UTC(2026, 10, 1, 12), 'iso')  // '2026-11-01T12:00:00Z'
 */
export function formatTime(ms: number, format: TimeFormat): string | number {
  switch (format) {
    case 'epoch':
      return Math.floor(ms / 1000);
    case 'iso':
      return isoSeconds(ms);
    case 'java': {
      const d = new Date(ms);
      const h = d.getUTCHours();
      const h12 = h % 12 === 0 ? 12 : h % 12;
      return (
        `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ` +
        `${h12}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
      );
    }
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses an offset such as `-30d`, `-1h`, `+5m`, `0s` into seconds. With `signed: false` the sign is
 * not allowed (durations such as a span).
 */
export function parseOffset(text: unknown, where: string, signed = true): number {
  const m = typeof text === 'string' ? /^([+-]?)(\d+)([smhd])$/.exec(text) : null;
  if (!m || (!signed && m[1])) {
    const shape = signed ? '"-30d", "-90m", "0s"' : '"1h", "30d"';
    throw new NodeError(
      where,
      `bad time offset ${JSON.stringify(text)}: expected a number and a unit s, m, h or d, like ${shape}`,
    );
  }
  const secs = Number(m[2]) * (UNIT_SECONDS[m[3] as string] as number);
  return m[1] === '-' ? -secs : secs;
}

export function timeFormat(v: unknown, where: string): TimeFormat {
  if (v === undefined) return 'iso';
  if (!TIME_FORMATS.includes(v as TimeFormat)) {
    throw new NodeError(
      where,
      `unknown time format ${JSON.stringify(v)} (known: ${TIME_FORMATS.join(', ')})`,
    );
  }
  return v as TimeFormat;
}

/** Event time in whole seconds, the base of `$time` and `$timeRange`. */
export const eventSecond = (s: RenderState): number => Math.floor(s.ctx.eventTime / 1000) * 1000;

export function compileTimeRange(
  node: Record<string, unknown>,
  arg: unknown,
  where: string,
  at: string,
): Compiled {
  if (!isPlainObject(arg)) throw new NodeError(at, 'must be {"span": [min, max], "endAgo": [min, max]}');
  for (const k of Object.keys(arg)) {
    if (k !== 'span' && k !== 'endAgo')
      throw new NodeError(ptr(at, k), `unknown option "${k}" for $timeRange (allowed: span, endAgo)`);
  }
  const pair = (v: unknown, name: string, dflt: [string, string]): [number, number] => {
    const p = ptr(at, name);
    const val = v ?? dflt;
    if (!Array.isArray(val) || val.length !== 2)
      throw new NodeError(p, 'must be [min, max], durations like "1h"');
    const lo = parseOffset(val[0], ptr(p, 0), false);
    const hi = parseOffset(val[1], ptr(p, 1), false);
    if (lo > hi) throw new NodeError(p, `min "${String(val[0])}" is greater than max "${String(val[1])}"`);
    return [lo, hi];
  };
  if (arg.span === undefined) throw new NodeError(at, 'span is required');
  const [spanMin, spanMax] = pair(arg.span, 'span', ['1h', '1h']);
  if (spanMin === 0) throw new NodeError(ptr(at, 'span'), 'a span must be longer than 0s');
  const [agoMin, agoMax] = pair(arg.endAgo, 'endAgo', ['0s', '0s']);
  const keys = node.keys ?? ['FromTime', 'ToTime'];
  if (
    !Array.isArray(keys) ||
    keys.length !== 2 ||
    keys.some((k) => typeof k !== 'string' || k === '') ||
    keys[0] === keys[1]
  ) {
    throw new NodeError(ptr(where, 'keys'), 'must be two different key names, [start, end]');
  }
  const [startKey, endKey] = keys as [string, string];
  const format = timeFormat(node.format, ptr(where, 'format'));
  return generated((s) => {
    const end = eventSecond(s) - s.rng.int(agoMin, agoMax) * 1000;
    const start = end - s.rng.int(spanMin, spanMax) * 1000;
    return { [startKey]: formatTime(start, format), [endKey]: formatTime(end, format) };
  });
}
