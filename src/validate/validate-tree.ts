import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_KEYS_NAME } from '../digest/public-keys.js';
import { verifyDigestSignature } from '../digest/signature.js';
import type { DigestFile } from '../generated/digest-file.js';
import { sha256Hex } from '../shared/hash.js';
import { isoSeconds } from '../shared/time.js';
import { validateDigest, validateLogFile } from '../shared/schema-validator.js';
import { MANIFEST_NAME } from '../sinks/manifest.js';
import { UsageError } from '../shared/errors.js';
import { gunzipSingleMember } from './gunzip.js';
import { loadPublicKeys, type PublicKeys } from './public-key-source.js';
import { listTree, manifestOf } from './run-roots.js';
import { chainOf, parseTreeKey, type DigestKey, type LogKey } from './tree-key.js';
import { edgeCaseFindings, type EdgeCaseFindings } from './edge-case-findings.js';

/**
 * One thing a careful consumer would trip over (`problem`), could not check (`warning`), or should
 * know of (`info`: an edge case the run's manifest labels, docs/edge-cases.md).
 */
export interface Finding {
  severity: 'problem' | 'warning' | 'info';
  /** The file, relative to the tree's root (`.` for the tree as a whole). */
  file: string;
  message: string;
}

export interface ValidateOptions {
  /** A PEM public key or a `ListPublicKeys` JSON body; default `trailsim-public-keys.json` in the tree. */
  publicKey?: string;
  /** Called for each finding as it is made. */
  onFinding?: (f: Finding) => void;
}

export interface ValidationReport {
  findings: Finding[];
  problems: number;
  warnings: number;
  /** Findings of severity `info`. */
  infos: number;
  logFiles: number;
  records: number;
  digests: number;
  /** Digests whose signature was checked and holds. */
  signaturesVerified: number;
}

/** What is kept of a log file until the digests have been read. */
interface LogInfo {
  key: LogKey;
  sha256: string;
  newest: string | null;
  oldest: string | null;
  listedBy: number;
}

/** What is kept of a digest for the next one in its chain. */
interface DigestInfo {
  key: string;
  bucket: string;
  start: string;
  end: string;
  sha256: string;
  signature: string | undefined;
}

/** More lines than this about the records of one file are summed up in one line. */
const RECORD_LINES_PER_FILE = 5;
const MINUTE = 60_000;

/**
 * Checks a tree of CloudTrail files (a bucket's content copied to a folder, or a trailsim run) as a
 * careful consumer would, whoever wrote it:
 * - every file's key is in CloudTrail's layout (log and digest keys, prefix and organization forms);
 * - every file is a single-member gzip of valid JSON;
 * - every record is valid against `schemas/cloudtrail-record.schema.json`, names the Region and
 *   account of its key, is no later than its file's delivery minute (+1 min), and has an eventID
 *   no other record has;
 * - every digest is valid against `schemas/digest-file.schema.json`, names its own place, lists
 *   exactly the log files delivered in its window with their hashes and event times, is signed by
 *   a known key, and links to the previous digest by key, bucket, time, hash and signature (the last
 *   two are links `aws cloudtrail validate-logs` does not check);
 * - no log file inside the time the digests cover is missing from them.
 *
 * Signatures need the digests' S3 metadata, which a folder holds only in trailsim's manifest; without
 * it, or without a public key, signatures are reported once as not checked (a warning).
 *
 * @example
 * const report = validateTree('out');
 * report.problems; // 0 for an untouched trailsim run
 */
export function validateTree(root: string, opts: ValidateOptions = {}): ValidationReport {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(root, 'is not a folder');
  const report: ValidationReport = {
    findings: [],
    problems: 0,
    warnings: 0,
    infos: 0,
    logFiles: 0,
    records: 0,
    digests: 0,
    signaturesVerified: 0,
  };
  let labelled: EdgeCaseFindings | undefined;
  const record = (f: Finding): void => {
    report.findings.push(f);
    if (f.severity === 'problem') report.problems++;
    else if (f.severity === 'warning') report.warnings++;
    else report.infos++;
    opts.onFinding?.(f);
  };
  const add = (severity: Finding['severity'], file: string, message: string): void => {
    const f: Finding = { severity, file, message };
    record(labelled ? labelled.classify(f) : f);
  };
  const problem = (file: string, message: string): void => add('problem', file, message);

  const tree = listTree(root);
  for (const u of tree.unreadable) problem(u.file, u.message);
  for (const run of tree.otherRuns)
    add(
      'warning',
      run,
      `holds another trailsim run (its own ${MANIFEST_NAME}): not checked here; validate it on its own`,
    );
  const publicKeys = loadPublicKeys(root, opts.publicKey);
  // Keys beside a manifest under an S3 prefix (a synced bucket), when none was given.
  if (opts.publicKey === undefined)
    for (const m of tree.manifests)
      if (m.scope !== '')
        for (const [fingerprint, key] of loadPublicKeys(join(root, m.scope), undefined))
          publicKeys.set(fingerprint, key);
  const manifestFiles = new Set(tree.manifests.flatMap((m) => m.names));
  const sideFiles = new Set(tree.manifests.map((m) => `${m.scope}${PUBLIC_KEYS_NAME}`));
  sideFiles.add(PUBLIC_KEYS_NAME);
  /** How findings name the manifest of a file: the run's, or its shards' together. */
  const nameOf = (m: { names: string[] } | undefined): string =>
    !m ? MANIFEST_NAME : m.names.length === 1 ? m.names[0]! : `the ${m.names.length} shard manifests`;
  const labels = tree.manifests.find((m) => m.labels)?.labels;
  if (labels) labelled = edgeCaseFindings(root, labels);

  const logs = new Map<string, LogInfo>();
  const digestKeys: DigestKey[] = [];
  const eventIds = new Map<string, string>();
  const unlisted: string[] = [];
  const strays: string[] = [];
  /** Checks a file against the SHA-256 of the manifest that describes it, if any. */
  const checkListed = (file: string, bytes: Buffer): void => {
    const manifest = manifestOf(tree.manifests, file);
    if (!manifest) return;
    const listed = manifest.sha256.get(file);
    if (listed === undefined) unlisted.push(file);
    else if (listed !== sha256Hex(bytes))
      problem(file, `SHA-256 differs from the one in ${nameOf(manifest)} (the file was changed)`);
    manifest.sha256.delete(file);
  };
  for (const file of tree.files) {
    if (manifestFiles.has(file)) continue;
    const parsed = sideFiles.has(file) ? 'side file' : parseTreeKey(file);
    const isLog = typeof parsed !== 'string' && parsed.kind === 'log';
    // A file outside AWSLogs/ that no manifest lists is not CloudTrail's: noted, not judged.
    const outside = typeof parsed === 'string' && !file.split('/').includes('AWSLogs');
    const manifest = manifestOf(tree.manifests, file);
    if (outside && parsed !== 'side file' && !manifest?.sha256.has(file)) {
      strays.push(file);
      continue;
    }
    if (manifest || isLog) {
      const bytes = readFileSync(join(root, file));
      checkListed(file, bytes);
      if (isLog) {
        report.logFiles++;
        const info = checkLogFile(bytes, parsed, eventIds, problem, report);
        if (info) logs.set(file, info);
      }
    }
    if (typeof parsed !== 'string' && parsed.kind === 'digest') digestKeys.push(parsed);
    else if (typeof parsed === 'string' && parsed !== 'side file' && !outside) problem(file, parsed);
  }

  for (const file of unlisted)
    problem(file, `is not listed in ${nameOf(manifestOf(tree.manifests, file))} (added after the run?)`);
  for (const m of tree.manifests)
    for (const file of m.sha256.keys()) problem(file, `is listed in ${nameOf(m)} but missing`);

  // Digests, chain by chain, oldest first.
  const chains = new Map<string, DigestKey[]>();
  for (const k of digestKeys) {
    const id = `${chainOf(k)}|${k.trailName}|${k.homeRegion}|${k.backfill}`;
    const list = chains.get(id) ?? chains.set(id, []).get(id)!;
    list.push(k);
  }
  /** Per account and Region: the span the digests cover. */
  const coverage = new Map<string, { start: string; end: string }>();
  let unverifiable = 0;
  let withoutManifest = 0;
  for (const list of chains.values()) {
    list.sort((a, b) => a.end - b.end || (a.key < b.key ? -1 : 1));
    let previous: DigestInfo | undefined;
    for (const [i, k] of list.entries()) {
      report.digests++;
      const before = i > 0 ? list[i - 1]!.key : undefined;
      const signatures = manifestOf(tree.manifests, k.key)?.signatures;
      const { info: current, verdict } = checkDigest(
        root,
        k,
        before,
        previous,
        logs,
        publicKeys,
        signatures,
        add,
      );
      if (verdict === 'verified') report.signaturesVerified++;
      if (verdict === 'unverifiable') unverifiable++;
      if (verdict === 'unverifiable' && signatures === undefined) withoutManifest++;
      if (current && !k.backfill) {
        const span = coverage.get(chainOf(k));
        if (!span) coverage.set(chainOf(k), { start: current.start, end: current.end });
        else {
          if (current.start < span.start) span.start = current.start;
          if (current.end > span.end) span.end = current.end;
        }
      }
      previous = current;
    }
  }
  if (unverifiable > 0) {
    const why =
      withoutManifest > 0
        ? `no ${MANIFEST_NAME} holds the signatures (S3 object metadata)`
        : `no public key (${PUBLIC_KEYS_NAME} or --public-key)`;
    add('warning', '.', `signatures of ${unverifiable} digests not checked: ${why}`);
  }

  // Every log file is listed in a digest once the tree has digests: a file outside the span the
  // digests cover is as unchecked as one inside it (deleting the first or last digest of a chain
  // must not hide an edit of its hour).
  for (const [file, info] of logs) {
    if (info.listedBy > 1) problem(file, `listed in ${info.listedBy} digests`);
    if (info.listedBy > 0 || info.key.folder !== 'CloudTrail' || report.digests === 0) continue;
    const span = coverage.get(chainOf(info.key));
    const minute = isoSeconds(info.key.minute);
    if (!span) problem(file, 'is not listed in any digest (its account and Region have none)');
    else if (minute < span.start || minute >= span.end)
      problem(
        file,
        `is not listed in any digest (the digests of its account and Region cover ${span.start} to ${span.end})`,
      );
    else problem(file, 'is not listed in any digest');
  }
  if (report.digests === 0 && report.logFiles > 0)
    add('warning', '.', "no digest files: the log files' integrity was not checked");
  if (report.digests === 0 && report.logFiles === 0) {
    const others = tree.otherRuns.length > 0 ? `; runs below it: ${tree.otherRuns.join(', ')}` : '';
    problem('.', `no CloudTrail log or digest files: pass the folder that holds AWSLogs/${others}`);
  } else {
    for (const file of strays.slice(0, STRAY_LINES))
      add('warning', file, 'not a CloudTrail file (outside AWSLogs/, in no manifest): ignored');
    if (strays.length > STRAY_LINES)
      add('warning', '.', `and ${strays.length - STRAY_LINES} more files outside AWSLogs/, ignored`);
  }
  labelled?.finish(record);
  return report;
}

/** Stray files named one a line; more are counted in one line. */
const STRAY_LINES = 20;

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

function checkLogFile(
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

type Verdict = 'verified' | 'unverifiable' | 'bad';
type AddFinding = (severity: Finding['severity'], file: string, message: string) => void;

/**
 * Checks one digest against its key, its signature, the previous digest of its chain and the log
 * files it lists. Returns what the next digest needs (none when the file is unreadable) and whether
 * its signature was verified, found bad, or could not be checked.
 */
function checkDigest(
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
