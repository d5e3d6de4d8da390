import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyDigestSignature } from '../digest/signature.js';
import type { DigestFile } from '../generated/digest-file.js';
import { sha256Hex } from '../shared/hash.js';
import { isoSeconds } from '../shared/time.js';
import { validateDigest, validateLogFile } from '../shared/schema-validator.js';
import type { Finding, ValidationReport } from './findings.js';
import { gunzipSingleMember } from './gunzip.js';
import type { PublicKeys } from './public-key-source.js';
import { chainOf, parseTreeKey, type DigestKey, type LogKey } from './tree-key.js';

/** What is kept of a log file until the digests have been read. */
export interface LogInfo {
  key: LogKey;
  sha256: string;
  newest: string | null;
  oldest: string | null;
  listedBy: number;
}

/** What is kept of a digest for the next one in its chain. */
export interface DigestInfo {
  key: string;
  bucket: string;
  start: string;
  end: string;
  sha256: string;
  signature: string | undefined;
}

/** More lines than this about the records of one file are summed up in one line. */
const RECORD_LINES_PER_FILE = 5;
export const MINUTE = 60_000;

/** Reads a file as gzip then JSON; reports and returns undefined when either fails. */
function readFile(
  bytes: Buffer,
  file: string,
  problem: (file: string, message: string) => void,
): { raw: Buffer; body: unknown } | undefined {
  let raw: Buffer;
  try {
    raw = gunzipSingleMember(bytes);
  } catch (err) {
    problem(file, (err as Error).message);
    return undefined;
  }
  try {
    return { raw, body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (err) {
    problem(file, `is not valid JSON (${(err as Error).message})`);
    return undefined;
  }
}

export function checkLogFile(
  bytes: Buffer,
  k: LogKey,
  eventIds: Map<string, string>,
  problem: (file: string, message: string) => void,
  report: ValidationReport,
): LogInfo | undefined {
  const file = k.key;
  const read = readFile(bytes, file, problem);
  if (!read) return undefined;
  const info: LogInfo = {
    key: k,
    sha256: sha256Hex(read.raw),
    newest: null,
    oldest: null,
    listedBy: 0,
  };
  const records = (read.body as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) {
    problem(file, 'has no Records array');
    return info;
  }
  report.records += records.length;
  // Other event folders (Insights, network activity) carry records of other shapes.
  if (k.folder !== 'CloudTrail') return info;
  const lines = validateLogFile(read.body);
  const latest = k.minute + MINUTE;
  for (const [i, r] of records.entries()) {
    if (typeof r !== 'object' || r === null) continue;
    const rec = r as Record<string, unknown>;
    const at = `/Records/${i}`;
    if (typeof rec.eventTime === 'string') {
      const t = Date.parse(rec.eventTime);
      if (t > latest)
        lines.push(
          `${at}/eventTime: ${rec.eventTime} is after the file's delivery (${isoSeconds(k.minute)} + 1 min)`,
        );
      if (info.newest === null || rec.eventTime > info.newest) info.newest = rec.eventTime;
      if (info.oldest === null || rec.eventTime < info.oldest) info.oldest = rec.eventTime;
    }
    if (rec.awsRegion !== k.region)
      lines.push(
        `${at}/awsRegion: ${JSON.stringify(rec.awsRegion)} differs from the key's Region ${k.region}`,
      );
    if (rec.recipientAccountId !== k.accountId)
      lines.push(
        `${at}/recipientAccountId: ${JSON.stringify(rec.recipientAccountId)} differs from the key's account ${k.accountId}`,
      );
    if (typeof rec.eventID === 'string') {
      const seen = eventIds.get(rec.eventID);
      if (seen !== undefined)
        lines.push(`${at}/eventID: ${rec.eventID} is also in ${seen === file ? 'this file' : seen}`);
      else eventIds.set(rec.eventID, file);
    }
  }
  for (const line of lines.slice(0, RECORD_LINES_PER_FILE)) problem(file, line);
  if (lines.length > RECORD_LINES_PER_FILE)
    problem(file, `and ${lines.length - RECORD_LINES_PER_FILE} more problems in its records`);
  return info;
}

export type Verdict = 'verified' | 'unverifiable' | 'bad';
type AddFinding = (severity: Finding['severity'], file: string, message: string) => void;

/**
 * Checks one digest against its key, its signature, the previous digest of its chain and the log
 * files it lists. Returns what the next digest needs (none when the file is unreadable) and whether
 * its signature was verified, found bad, or could not be checked.
 */
export function checkDigest(
  root: string,
  k: DigestKey,
  /** The key of the digest before it in the tree, if any (`previous` is unset when it was unreadable). */
  before: string | undefined,
  previous: DigestInfo | undefined,
  logs: Map<string, LogInfo>,
  publicKeys: PublicKeys,
  signatures: Map<string, string | undefined> | undefined,
  add: AddFinding,
): { info?: DigestInfo; verdict: Verdict } {
  const file = k.key;
  const problem = (message: string): void => add('problem', file, message);
  const read = readFile(readFileSync(join(root, file)), file, (_f, m) => problem(m));
  if (!read) return { verdict: 'bad' };
  for (const line of validateDigest(read.body)) problem(line);
  if (typeof read.body !== 'object' || read.body === null) return { verdict: 'bad' };
  const d = read.body as Partial<DigestFile>;
  const sha256 = sha256Hex(read.raw);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const start = str(d.digestStartTime) ?? '';
  const end = str(d.digestEndTime) ?? '';
  const bucket = str(d.digestS3Bucket) ?? '';

  // Where it says it is, and when.
  if (d.digestS3Object !== file)
    problem(`digestS3Object ${JSON.stringify(d.digestS3Object)} is not where the file is (moved?)`);
  if (d.awsAccountId !== k.accountId)
    problem(`awsAccountId ${JSON.stringify(d.awsAccountId)} differs from the key's account`);
  if (end !== isoSeconds(k.end))
    problem(`digestEndTime ${JSON.stringify(d.digestEndTime)} differs from the time in the file name`);
  if (!(start < end)) problem(`digestStartTime ${start} is not before digestEndTime ${end}`);

  // Signature, from the S3 metadata the manifest carries.
  let signature: string | undefined;
  let verdict: Verdict = 'unverifiable';
  if (signatures !== undefined) {
    signature = signatures.get(file);
    if (signature === undefined) {
      problem('has no signature metadata (aws cloudtrail validate-logs rejects it)');
      verdict = 'bad';
    } else if (publicKeys.size > 0) {
      const key = publicKeys.get(str(d.digestPublicKeyFingerprint) ?? '');
      if (!key) {
        problem(`signed with an unknown key (fingerprint ${JSON.stringify(d.digestPublicKeyFingerprint)})`);
        verdict = 'bad';
      } else {
        const fields = {
          digestEndTime: end,
          digestS3Bucket: bucket,
          digestS3Object: file,
          previousDigestSignature: str(d.previousDigestSignature) ?? null,
        };
        if (verifyDigestSignature(key, fields, sha256, signature)) verdict = 'verified';
        else {
          problem('signature does not verify (the digest or its signature was changed)');
          verdict = 'bad';
        }
      }
    }
  }

  // The link to the previous digest.
  const prevKey = d.previousDigestS3Object;
  if (prevKey === null || prevKey === undefined) {
    if (before !== undefined)
      add(
        'warning',
        file,
        'starts a new chain (previous digest fields are null): logging or validation was off before it',
      );
  } else if (previous && prevKey === previous.key) {
    if (d.previousDigestS3Bucket !== previous.bucket)
      problem(
        `previousDigestS3Bucket ${JSON.stringify(d.previousDigestS3Bucket)} differs from the previous digest's bucket`,
      );
    if (d.previousDigestHashValue !== previous.sha256)
      problem(`previousDigestHashValue does not match the SHA-256 of the previous digest ${previous.key}`);
    if (previous.signature !== undefined && d.previousDigestSignature !== previous.signature)
      problem(`previousDigestSignature differs from the signature of the previous digest ${previous.key}`);
    if (start !== previous.end)
      problem(`digestStartTime ${start} is not the previous digest's digestEndTime ${previous.end}`);
  } else if (prevKey === before) {
    // Unreadable, and reported as such.
  } else if (before === undefined) {
    add('warning', file, `the previous digest ${prevKey} is not in the tree: the chain is checked from here`);
  } else {
    problem(
      `the previous digest ${prevKey} is missing${before ? ` (the one before in the tree is ${before})` : ''}`,
    );
  }

  // The log files it lists.
  const entries = Array.isArray(d.logFiles) ? d.logFiles : [];
  for (const e of entries) {
    if (typeof e !== 'object' || e === null || typeof e.s3Object !== 'string') continue;
    if (e.s3Bucket !== bucket)
      problem(`lists ${e.s3Object} in bucket ${JSON.stringify(e.s3Bucket)}, not the digest's`);
    const log = logs.get(e.s3Object);
    if (!log) {
      const parsed = parseTreeKey(e.s3Object);
      problem(
        `lists ${e.s3Object}, which is ${typeof parsed === 'string' || parsed.kind !== 'log' ? 'not a log file key' : 'missing or unreadable'}`,
      );
      continue;
    }
    log.listedBy++;
    if (chainOf(log.key) !== chainOf(k)) problem(`lists ${e.s3Object}, of another account or Region`);
    if (e.hashValue !== log.sha256)
      add(
        'problem',
        e.s3Object,
        `SHA-256 does not match the hash in digest ${file} (the log file was changed)`,
      );
    const minute = isoSeconds(log.key.minute);
    const minuteEnd = isoSeconds(log.key.minute + MINUTE);
    if (!(minuteEnd > start && minute < end))
      problem(`lists ${e.s3Object}, delivered at ${minute}, outside its window ${start} to ${end}`);
    if (e.newestEventTime !== log.newest || e.oldestEventTime !== log.oldest)
      problem(
        `newest/oldest event times of ${e.s3Object} (${e.newestEventTime}, ${e.oldestEventTime}) are not the file's (${log.newest}, ${log.oldest})`,
      );
  }
  let newest: string | null = null;
  let oldest: string | null = null;
  for (const e of entries) {
    if (typeof e?.newestEventTime === 'string' && (newest === null || e.newestEventTime > newest))
      newest = e.newestEventTime;
    if (typeof e?.oldestEventTime === 'string' && (oldest === null || e.oldestEventTime < oldest))
      oldest = e.oldestEventTime;
  }
  if (d.newestEventTime !== newest || d.oldestEventTime !== oldest)
    problem(
      `newestEventTime/oldestEventTime (${d.newestEventTime}, ${d.oldestEventTime}) are not those of its log files (${newest}, ${oldest})`,
    );

  return { info: { key: file, bucket, start, end, sha256, signature }, verdict };
}
