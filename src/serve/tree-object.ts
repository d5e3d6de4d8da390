import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseTreeKey, type DigestKey } from '../validate/tree-key.js';
import { parseLogRecords, summariseLog, type LogSummary } from './log-summary.js';
import type { FileStat } from './tree-scan.js';

/** A file of the tree as S3 serves it. */
export interface TreeObject extends FileStat {
  /** Quoted MD5 of the bytes, as S3 gives a single-part upload. */
  etag: string;
  /** The delivery or end time its key names (epoch ms), for LastModified; else its mtime. */
  lastModified: number;
  /** Set for a CloudTrail log file. */
  log?: IndexedLog;
  /** Set for a digest file. */
  digest?: DigestKey;
}

/** A log file in the index: where it is, whose it is, and its summary. */
export interface IndexedLog {
  key: string;
  accountId: string;
  region: string;
  summary: LogSummary;
}

/** A file read for the index; `problem` says why a log file could not be indexed. */
export interface ReadResult {
  object: TreeObject;
  problem?: string;
}

/** Why a log file did not make it into the index. */
function problemOf(err: unknown): string {
  return err instanceof SyntaxError ? `is not valid JSON (${err.message})` : (err as Error).message;
}

/**
 * Reads one file: its hash and, for a log file, the summary of its records. Throws (ENOENT) when
 * the file is gone.
 */
export function readObject(stat: FileStat): ReadResult {
  const bytes = readFileSync(stat.abs);
  const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
  const parsed = parseTreeKey(stat.key);
  const object: TreeObject = { ...stat, etag, lastModified: stat.mtimeMs };
  if (typeof parsed === 'string') return { object };
  if (parsed.kind === 'digest') {
    object.digest = parsed;
    object.lastModified = parsed.end;
    return { object };
  }
  object.lastModified = parsed.minute;
  if (parsed.folder !== 'CloudTrail') return { object };
  try {
    const summary = summariseLog(parseLogRecords(bytes));
    object.log = { key: stat.key, accountId: parsed.accountId, region: parsed.region, summary };
    return { object };
  } catch (err) {
    return { object, problem: problemOf(err) };
  }
}
