import { createHash } from 'node:crypto';
import { gzipSync, constants } from 'node:zlib';
import type { Rng } from '../random/rng.js';
import type { RenderedEvent } from '../render/engine.js';
import { logFileKey, type TrailLocation } from './keys.js';
import type { LogFile } from './log-file.js';

/** Above this many records a window is delivered as several files, as CloudTrail does for busy accounts. */
export const MAX_RECORDS_PER_FILE = 5000;

/**
 * Gzip as a trail stores it: one member, mtime 0, and the OS byte fixed so the bytes do not depend
 * on the platform zlib was built for.
 */
export function gzip(data: Uint8Array, level: number = constants.Z_DEFAULT_COMPRESSION): Buffer {
  const out = gzipSync(data, { level });
  out[9] = 0;
  return out;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface EncodeOptions {
  location: TrailLocation;
  gzipLevel?: number;
  /** Delivery time to stamp instead of drawing one (a real-time stream delivers now). */
  deliveryTime?: number;
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
  if (events.length === 0) return [];
  let newest = -Infinity;
  for (const e of events) if (e.time > newest) newest = e.time;
  // Delivered 30 s to 4.5 min after the window, and after every event it holds.
  const delivery = opts.deliveryTime ?? Math.max(where.windowEnd, newest + 1000) + rng.int(30, 270) * 1000;
  const files: LogFile[] = [];
  for (let i = 0; i < events.length; i += MAX_RECORDS_PER_FILE) {
    const part = events.slice(i, i + MAX_RECORDS_PER_FILE);
    let oldest = Infinity;
    let newestInPart = -Infinity;
    let text = '{"Records":[';
    for (let k = 0; k < part.length; k++) {
      const e = part[k]!;
      if (k > 0) text += ',';
      text += e.json;
      if (e.time < oldest) oldest = e.time;
      if (e.time > newestInPart) newestInPart = e.time;
    }
    text += ']}';
    const raw = Buffer.from(text, 'utf8');
    files.push({
      key: logFileKey(opts.location, where.accountId, where.region, delivery, rng.alnum(16)),
      accountId: where.accountId,
      region: where.region,
      deliveryTime: delivery,
      body: gzip(raw, opts.gzipLevel),
      rawBytes: raw.length,
      sha256: sha256Hex(raw),
      oldestEventTime: oldest,
      newestEventTime: newestInPart,
      recordCount: part.length,
    });
  }
  return files;
}
