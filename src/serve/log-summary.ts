import { gunzipSingleMember } from '../validate/gunzip.js';
import { attributeValues, LOOKUP_KEYS, type LookupKey, type RecordFields } from './lookup-fields.js';

/**
 * What the index keeps of one log file instead of its records: its time span, its record count and
 * a hash of every (lookup attribute, value) pair its records have. A query reads only the files
 * whose span and hashes say they may hold a match, so the server's memory grows with the number of
 * files and distinct values per file, not with the records' bytes.
 */
export interface LogSummary {
  records: number;
  /** eventTime of the oldest and newest record, epoch ms (NaN for an empty file). */
  oldest: number;
  newest: number;
  /** Sorted distinct `attributeHash` values of the file's records. */
  attributes: Uint32Array;
}

/** A record of a log file with what ordering and filtering need, parsed once. */
export interface LogRecord {
  /** eventTime, epoch ms. */
  time: number;
  id: string;
  record: RecordFields;
}

/** FNV-1a, 32 bits, of `key NUL value`: a collision only costs reading a file for nothing. */
export function attributeHash(key: LookupKey, value: string): number {
  let h = 0x811c9dc5;
  const s = `${key}\u0000${value}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The records of a gzipped log file (`{"Records":[…]}`). Throws an Error saying what is wrong when
 * the file is not a single-member gzip of that shape.
 */
export function parseLogRecords(gz: Uint8Array): LogRecord[] {
  const body = JSON.parse(gunzipSingleMember(gz).toString('utf8')) as { Records?: unknown };
  if (!body || !Array.isArray(body.Records)) throw new Error('has no Records array');
  return (body.Records as RecordFields[]).map((record) => ({
    time: record.eventTime ? Date.parse(record.eventTime) : NaN,
    id: record.eventID ?? '',
    record,
  }));
}

/** The summary of a file's records. */
export function summariseLog(records: LogRecord[]): LogSummary {
  let oldest = Infinity;
  let newest = -Infinity;
  const hashes = new Set<number>();
  for (const r of records) {
    if (r.time < oldest) oldest = r.time;
    if (r.time > newest) newest = r.time;
    for (const key of LOOKUP_KEYS)
      for (const value of attributeValues(r.record, key)) hashes.add(attributeHash(key, value));
  }
  const attributes = Uint32Array.from(hashes).sort();
  return {
    records: records.length,
    oldest: records.length ? oldest : NaN,
    newest: records.length ? newest : NaN,
    attributes,
  };
}

/** False when the file holds no record with this attribute value; true when it may. */
export function mayHold(summary: LogSummary, key: LookupKey, value: string): boolean {
  const h = attributeHash(key, value);
  const a = summary.attributes;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return a[lo] === h;
}
