import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../shared/errors.js';
import { listTree } from '../validate/run-roots.js';
import { addCaller, emptyCallerStats, type CallerFields, type CallerStats } from './callers.js';
import { countDenial, type DenialCounts } from './denials.js';

const HOUR = 3_600_000;

/** Counters of a tree of log files: nothing but counts is kept, whatever the number of records. */
export interface TreeStats {
  files: number;
  records: number;
  /** eventTime of the first and last record, epoch ms; null when there is none. */
  first: number | null;
  last: number | null;
  byOperation: Record<string, number>;
  byIdentityType: Record<string, number>;
  byPrincipal: Record<string, number>;
  byRegion: Record<string, number>;
  /** `(none)` counts the calls that succeeded. */
  byErrorCode: Record<string, number>;
  /** Records per UTC hour, keyed by the hour's start in epoch ms. */
  byHour: Record<string, number>;
  /** People's and automation's calls by hour of the day, and calls per caller. */
  callers: CallerStats;
  /** Denied and allowed calls per caller and action (see denials.ts). */
  denials: DenialCounts;
}

/** A record's fields that stats reads. */
interface RecordFields extends CallerFields {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  errorCode?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
}

/**
 * The log files of a tree: every `AWSLogs/**\/CloudTrail/**\/*.json.gz` (digests, under
 * CloudTrail-Digest, are skipped), in sorted order. Hidden folders (a run's staging) are skipped,
 * and so are folders that hold another trailsim run (see `listTree`).
 * `folder` names another event folder to list instead, such as `CloudTrail-Digest`.
 *
 * @example listLogFiles('out') // ['out/AWSLogs/1111.../CloudTrail/us-east-1/2026/11/02/..._CloudTrail_...json.gz', ...]
 */
export function listLogFiles(root: string, folder = 'CloudTrail'): string[] {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new UsageError(root, 'no such folder');
  }
  if (!st.isDirectory()) throw new UsageError(root, 'is not a folder');
  const out: string[] = [];
  const otherRuns = new Set(listTree(root).otherRuns.map((r) => join(root, r)));
  const walk = (dir: string, inAwsLogs: boolean, inCloudTrail: boolean): void => {
    if (otherRuns.has(dir)) return;
    const names = readdirSync(dir).sort();
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path, inAwsLogs || name === 'AWSLogs', inCloudTrail || (inAwsLogs && name === folder));
      } else if (inCloudTrail && name.endsWith('.json.gz')) out.push(path);
    }
  };
  walk(root, false, false);
  return out;
}

/** Empty counters. */
export function emptyStats(): TreeStats {
  return {
    files: 0,
    records: 0,
    first: null,
    last: null,
    byOperation: {},
    byIdentityType: {},
    byPrincipal: {},
    byRegion: {},
    byErrorCode: {},
    byHour: {},
    callers: emptyCallerStats(),
    denials: {},
  };
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

/** Who made a call: the role behind a session, else the caller's ARN, else the AWS service. */
export function principalOf(r: RecordFields): string {
  const u = r.userIdentity;
  return u?.sessionContext?.sessionIssuer?.arn ?? u?.arn ?? u?.invokedBy ?? `(${u?.type ?? 'unknown'})`;
}

/** Adds one log file's records to the counters. */
export function addLogFile(stats: TreeStats, body: unknown, file: string): void {
  const records = (body as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new UsageError(file, 'is not a CloudTrail log file (no Records array)');
  stats.files++;
  for (const raw of records as RecordFields[]) {
    stats.records++;
    bump(stats.byOperation, raw.eventName ?? '(none)');
    bump(stats.byIdentityType, raw.userIdentity?.type ?? '(none)');
    bump(stats.byPrincipal, principalOf(raw));
    bump(stats.byRegion, raw.awsRegion ?? '(none)');
    bump(stats.byErrorCode, raw.errorCode ?? '(none)');
    addCaller(stats.callers, raw);
    countDenial(stats.denials, principalOf(raw), raw.eventName ?? '(none)', raw.errorCode);
    const t = raw.eventTime ? Date.parse(raw.eventTime) : NaN;
    if (Number.isNaN(t)) continue;
    bump(stats.byHour, String(Math.floor(t / HOUR) * HOUR));
    if (stats.first === null || t < stats.first) stats.first = t;
    if (stats.last === null || t > stats.last) stats.last = t;
  }
}

/**
 * Reads every log file of a tree, one at a time, into counters. `onLogFile` sees each file's parsed
 * body after it was counted, so a caller that keeps counters of its own reads the same records.
 *
 * @example collectStats('out').byOperation.ListInsights // 412
 * @throws UsageError for a missing folder, a tree without log files, or a file that is not one
 */
export function collectStats(
  root: string,
  onLogFile?: (body: { Records: unknown[] }, file: string) => void,
): TreeStats {
  const files = listLogFiles(root);
  if (files.length === 0)
    throw new UsageError(root, 'holds no CloudTrail log files (AWSLogs/**/CloudTrail/**/*.json.gz)');
  const stats = emptyStats();
  for (const file of files) {
    let body: unknown;
    try {
      body = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
    } catch (err) {
      throw new UsageError(file, `is not a gzipped JSON log file: ${(err as Error).message}`);
    }
    addLogFile(stats, body, file);
    onLogFile?.(body as { Records: unknown[] }, file);
  }
  return stats;
}
