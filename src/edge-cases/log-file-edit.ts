import { gunzipSync } from 'node:zlib';
import { gzip } from '../layout/encode.js';
import { logFileKey, type TrailLocation } from '../layout/keys.js';
import type { LogFile } from '../layout/log-file.js';
import { RECORDS_CLOSE, RECORDS_OPEN } from '../render/rendered.js';
import { sha256Hex } from '../shared/hash.js';

/** One record of a log file: its parsed form (for eventID and time) and its JSON text. */
export interface FileRecord {
  eventID: string;
  time: number;
  json: string;
}

/** The records of a log file, in file order. Only files an edge case touches are read back. */
export function readRecords(file: LogFile): FileRecord[] {
  const body = JSON.parse(gunzipSync(file.body).toString('utf8')) as { Records: Record<string, unknown>[] };
  return body.Records.map((r) => ({
    eventID: String(r.eventID),
    time: Date.parse(String(r.eventTime)),
    json: JSON.stringify(r),
  }));
}

/** The uncompressed `{"Records":[…]}` text of records. */
export function recordsText(records: readonly FileRecord[]): Buffer {
  return Buffer.concat([
    RECORDS_OPEN,
    Buffer.from(records.map((r) => r.json).join(','), 'utf8'),
    RECORDS_CLOSE,
  ]);
}

/**
 * A log file of `records` delivered at `deliveryTime` under `key`: gzipped as the layout does it,
 * hashed when the run hashes (`hashed`), with its event-time span.
 */
export function buildLogFile(
  base: Pick<LogFile, 'accountId' | 'region'>,
  key: string,
  deliveryTime: number,
  raw: Buffer,
  times: readonly number[],
  opts: { gzipLevel: number; hashed: boolean },
): LogFile {
  let oldest = Infinity;
  let newest = -Infinity;
  for (const t of times) {
    if (t < oldest) oldest = t;
    if (t > newest) newest = t;
  }
  return {
    key,
    accountId: base.accountId,
    region: base.region,
    deliveryTime,
    body: gzip(raw, opts.gzipLevel),
    rawBytes: raw.length,
    sha256: opts.hashed ? sha256Hex(raw) : '',
    oldestEventTime: oldest,
    newestEventTime: newest,
    recordCount: times.length,
  };
}

/** The unique 16-character part of a log file's name. */
export function uniquePart(key: string): string {
  return key.slice(-'XXXXXXXXXXXXXXXX.json.gz'.length, -'.json.gz'.length);
}

/** The file as delivered at another time: same bytes, its key moved to that minute's folder and name. */
export function redeliver(file: LogFile, location: TrailLocation, deliveryTime: number): LogFile {
  return {
    ...file,
    key: logFileKey(location, file.accountId, file.region, deliveryTime, uniquePart(file.key)),
    deliveryTime,
  };
}
