import { constants } from 'node:zlib';
import { gzipFor } from './gzip.js';
import type { Rng } from '../shared/rng.js';
import { MAX_CALLS_PER_PART } from '../plan/window.js';
import { RECORDS_CLOSE, RECORDS_OPEN, type RenderedEvent, type RenderedRecords } from '../render/rendered.js';
import { logFileKey, type TrailLocation } from './keys.js';
import type { LogFile } from './log-file.js';
import { sha256Hex } from '../shared/hash.js';

/** Above this many records a window is delivered as several files, as CloudTrail does for busy accounts. */
export const MAX_RECORDS_PER_FILE = MAX_CALLS_PER_PART;

/**
 * Gzip as a trail stores it: one member, mtime 0, and the OS byte fixed so the bytes do not depend
 * on the platform zlib was built for.
 */
export function gzip(data: Uint8Array, level: number = constants.Z_DEFAULT_COMPRESSION): Buffer {
  const out = gzipFor(level).compress(data);
  out[9] = 0;
  return out;
}

export interface EncodeOptions {
  location: TrailLocation;
  gzipLevel?: number;
  /** Delivery time to stamp instead of drawing one (a real-time stream delivers now). */
  deliveryTime?: number;
  /**
   * Whether to hash each file's uncompressed JSON into `LogFile.sha256` (default true). Only
   * digests use the hash, and at a million events it costs about a second of CPU.
   */
  hashRaw?: boolean;
}

/**
 * Turns one window's records into log files delivered a little after the window closes, each
 * `{"Records":[…]}` gzipped and named as CloudTrail names it. The window's stream `rng` decides
 * the delivery delay and the unique part of each name.
 */
export function encodeWindow(
  events: readonly RenderedEvent[],
  where: { accountId: string; region: string; windowEnd: number },
  rng: Rng,
  opts: EncodeOptions,
): LogFile[] {
  const starts: number[] = [];
  const ends: number[] = [];
  let text = RECORDS_OPEN.toString();
  let at = RECORDS_OPEN.length;
  for (let k = 0; k < events.length; k++) {
    if (k > 0) {
      text += ',';
      at++;
    }
    const json = events[k]!.json;
    starts.push(at);
    at += Buffer.byteLength(json, 'utf8');
    ends.push(at);
    text += json;
  }
  text += RECORDS_CLOSE.toString();
  const body = Buffer.from(text, 'utf8');
  return encodeRecords({ body, starts, ends, times: events.map((e) => e.time) }, where, rng, opts);
}

/**
 * When a window's files are delivered: 30 s to 4.5 min after the window closes, and after every
 * event they hold. Draws one number from `rng`.
 *
 * @example deliveryAfter(Date.UTC(2026, 10, 1, 0, 5), [Date.UTC(2026, 10, 1, 0, 4, 59)], rng) // 00:05:30 to 00:09:30
 */
export function deliveryAfter(windowEnd: number, times: readonly number[], rng: Rng): number {
  let newest = -Infinity;
  for (const t of times) if (t > newest) newest = t;
  return Math.max(windowEnd, newest + 1000) + rng.int(30, 270) * 1000;
}

/**
 * The latest a file is delivered after its window ends: `deliveryAfter` adds at most 270 s to the
 * later of the window's end and a second after its newest event, which is before the end. Known
 * without rendering, so that every shard of a run knows where the run's deliveries stop.
 */
export const MAX_DELIVERY_DELAY_MS = 271_000;

/**
 * `encodeWindow` for records rendered as one log file's text (`Renderer.renderRecords`): a window
 * that fits in one file is gzipped as it is; a bigger one is cut into files of MAX_RECORDS_PER_FILE.
 */
export function encodeRecords(
  records: RenderedRecords,
  where: { accountId: string; region: string; windowEnd: number },
  rng: Rng,
  opts: EncodeOptions,
): LogFile[] {
  const { times } = records;
  if (times.length === 0) return [];
  const delivery = opts.deliveryTime ?? deliveryAfter(where.windowEnd, times, rng);
  const files: LogFile[] = [];
  for (let i = 0; i < times.length; i += MAX_RECORDS_PER_FILE) {
    const to = Math.min(times.length, i + MAX_RECORDS_PER_FILE);
    let oldest = Infinity;
    let newestInPart = -Infinity;
    for (let k = i; k < to; k++) {
      const t = times[k]!;
      if (t < oldest) oldest = t;
      if (t > newestInPart) newestInPart = t;
    }
    const raw =
      i === 0 && to === times.length
        ? records.body
        : Buffer.concat([
            RECORDS_OPEN,
            records.body.subarray(records.starts[i], records.ends[to - 1]),
            RECORDS_CLOSE,
          ]);
    files.push({
      key: logFileKey(opts.location, where.accountId, where.region, delivery, rng.alnum(16)),
      accountId: where.accountId,
      region: where.region,
      deliveryTime: delivery,
      body: gzip(raw, opts.gzipLevel),
      rawBytes: raw.length,
      sha256: opts.hashRaw === false ? '' : sha256Hex(raw),
      oldestEventTime: oldest,
      newestEventTime: newestInPart,
      recordCount: to - i,
    });
  }
  return files;
}
