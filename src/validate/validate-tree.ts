import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_KEYS_NAME } from '../digest/public-keys.js';
import { sha256Hex } from '../shared/hash.js';
import { isoSeconds } from '../shared/time.js';
import { MANIFEST_NAME } from '../sinks/manifest.js';
import { UsageError } from '../shared/errors.js';
import { loadPublicKeys } from './public-key-source.js';
import { listTree, manifestOf } from './run-roots.js';
import { chainOf, parseTreeKey, type DigestKey } from './tree-key.js';
import { edgeCaseFindings, type EdgeCaseFindings } from './edge-case-findings.js';
import { checkDigest, checkLogFile, type DigestInfo, type LogInfo } from './check-files.js';
import type { Finding, ValidationReport } from './findings.js';
import { checkIncidentLabels } from './incident-labels.js';

export type { Finding, ValidationReport } from './findings.js';

export interface ValidateOptions {
  /** A PEM public key or a `ListPublicKeys` JSON body; default `trailsim-public-keys.json` in the tree. */
  publicKey?: string;
  /** Called for each finding as it is made. */
  onFinding?: (f: Finding) => void;
}

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

  const incidents = checkIncidentLabels(
    root,
    [...new Set(['', ...tree.manifests.map((m) => m.scope)])],
    eventIds,
    add,
  );
  if (incidents) report.incidents = incidents;
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
