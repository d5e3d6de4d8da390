import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signDigest } from '../../src/digest/signature.js';
import { deriveSigningKey } from '../../src/digest/signing-key.js';
import type { DigestFile } from '../../src/generated/digest-file.js';
import { validateTree, type Finding } from '../../src/validate/validate-tree.js';
import { filesUnder, readGzJson, trailsim, type Manifest } from '../helpers/cli.js';

const SEED = 7;
const tmp = mkdtempSync(join(tmpdir(), 'trailsim-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 300_000);
/** Copies made by the test that runs, removed after it. */
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 300_000);

/** A week: 3000 events, 2 accounts, 3 Regions, signed digests. */
let week: string;
let files: string[];
/** Digests by key, with the log files each lists. */
let digests: Map<string, DigestFile>;
let copies = 0;

beforeAll(() => {
  week = join(tmp, 'week');
  const r = trailsim([
    'generate',
    '--seed',
    String(SEED),
    '--events',
    '3000',
    '--accounts',
    '2',
    '--regions',
    'us-east-1,eu-west-1,ap-northeast-1',
    '--start',
    '2026-11-02T00:00:00Z',
    '--end',
    '2026-11-09T00:00:00Z',
    '--out',
    week,
  ]);
  expect(r.status, r.stderr).toBe(0);
  files = filesUnder(week);
  digests = new Map(
    files
      .filter((f) => f.includes('/CloudTrail-Digest/'))
      .map((k) => [k, readGzJson<DigestFile>(join(week, k)).body]),
  );
}, 300_000);

/** A fresh copy of the week to tamper with. */
function copy(): string {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(week, dir, { recursive: true });
  made.push(dir);
  return dir;
}

/** A digest in the middle of a chain (it has a previous and a next) that lists log files. */
function middleDigest(): { key: string; body: DigestFile; next: string } {
  for (const [key, body] of digests) {
    if (body.logFiles.length === 0 || body.previousDigestS3Object === null) continue;
    const next = [...digests].find(([, d]) => d.previousDigestS3Object === key);
    if (next) return { key, body, next: next[0] };
  }
  throw new Error('no middle digest');
}

/** Gzip with the OS byte fixed, as trailsim writes it. */
function gz(text: string): Buffer {
  const out = gzipSync(Buffer.from(text));
  out[9] = 0;
  return out;
}

function problemsOf(report: { findings: Finding[] }): Finding[] {
  return report.findings.filter((f) => f.severity === 'problem');
}

const problem = (file: string, message: RegExp) => ({
  severity: 'problem',
  file,
  message: expect.stringMatching(message),
});

describe('trailsim validate on a generated week', () => {
  it('passes, every signature verified', () => {
    const report = validateTree(week);
    expect(report.findings).toEqual([]);
    expect(report.logFiles).toBe(files.filter((f) => f.includes('/CloudTrail/')).length);
    expect(report.records).toBe(3000);
    // 2 accounts × 3 Regions × a week of hours, plus the hours the chains start and end in.
    expect(report.digests).toBeGreaterThanOrEqual(6 * 7 * 24);
    expect(report.signaturesVerified).toBe(report.digests);
    const cli = trailsim(['validate', week]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(
      /^valid: \d+ log files \(3000 records\), \d+ digests \(\d+ signatures verified\): 0 problems, 0 warnings\n$/,
    );
  });

  it('reports a log file whose content changed (re-gzipped, so the gzip is valid)', () => {
    const dir = copy();
    const log = middleDigest().body.logFiles[0]!.s3Object;
    const text = readGzJson(join(dir, log)).raw.toString();
    const at = text.indexOf('"requestID":"') + 13;
    const changed = text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
    writeFileSync(join(dir, log), gz(changed));
    expect(problemsOf(validateTree(dir))).toEqual([
      problem(log, /SHA-256 differs from the one in trailsim-manifest.json/),
      problem(log, /SHA-256 does not match the hash in digest .*log file was changed/),
    ]);
  });

  it('reports a corrupted gzip, and the digest that lists it', () => {
    const dir = copy();
    const { key, body } = middleDigest();
    const log = body.logFiles[0]!.s3Object;
    const bytes = readFileSync(join(dir, log));
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(join(dir, log), bytes);
    const found = problemsOf(validateTree(dir));
    expect(found).toContainEqual(problem(log, /corrupt gzip data|CRC does not match/));
    expect(found).toContainEqual(problem(key, new RegExp(`lists ${log}, which is missing or unreadable`)));
  });

  it('reports a second gzip member, which aws cloudtrail validate-logs would not read', () => {
    const dir = copy();
    const log = middleDigest().body.logFiles[0]!.s3Object;
    writeFileSync(join(dir, log), Buffer.concat([readFileSync(join(dir, log)), gz('{"Records":[]}')]));
    expect(problemsOf(validateTree(dir))).toContainEqual(problem(log, /more than one gzip member/));
  });

  it('reports a deleted log file', () => {
    const dir = copy();
    const { key, body } = middleDigest();
    const log = body.logFiles[0]!.s3Object;
    rmSync(join(dir, log));
    expect(problemsOf(validateTree(dir))).toEqual([
      problem(log, /is listed in trailsim-manifest.json but missing/),
      problem(key, new RegExp(`lists ${log}, which is missing`)),
    ]);
  });

  it('reports a deleted digest: the broken chain, and the log files no digest lists any more', () => {
    const dir = copy();
    const { key, body, next } = middleDigest();
    rmSync(join(dir, key));
    const found = problemsOf(validateTree(dir));
    expect(found).toContainEqual(problem(key, /is listed in trailsim-manifest.json but missing/));
    expect(found).toContainEqual(problem(next, new RegExp(`the previous digest ${key} is missing`)));
    for (const f of body.logFiles)
      expect(found).toContainEqual(problem(f.s3Object, /is not listed in any digest/));
    expect(found).toHaveLength(2 + body.logFiles.length);
  });

  it('reports a digest whose signature is wrong', () => {
    const dir = copy();
    const { key, next } = middleDigest();
    const manifestPath = join(dir, 'trailsim-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const entry = manifest.files.find((f) => f.key === key)!;
    const sig = entry.metadata!.signature!;
    entry.metadata!.signature = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const found = problemsOf(validateTree(dir));
    expect(found).toContainEqual(problem(key, /signature does not verify/));
    // The next digest carries the true signature, so it no longer matches the (changed) metadata.
    expect(found).toContainEqual(problem(next, /previousDigestSignature differs/));
  });

  it('reports a digest whose content changed while its signature stayed', () => {
    const dir = copy();
    const { key } = middleDigest();
    const { raw } = readGzJson(join(dir, key));
    writeFileSync(join(dir, key), gz(raw.toString().replace('"SHA-256"', '"SHA-256" ')));
    expect(problemsOf(validateTree(dir))).toContainEqual(problem(key, /signature does not verify/));
  });

  it('reports broken chain links that aws cloudtrail validate-logs does not check, even when re-signed', () => {
    const dir = copy();
    const { key, body } = middleDigest();
    const key2 = deriveSigningKey(SEED);
    const manifestPath = join(dir, 'trailsim-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    // Someone with the signing key rewrites the link to the previous digest's hash and signature.
    const forged: DigestFile = {
      ...body,
      previousDigestHashValue: 'f'.repeat(64),
      previousDigestSignature: 'ab'.repeat(256),
    };
    const raw = Buffer.from(JSON.stringify(forged));
    const sha = createHash('sha256').update(raw).digest('hex');
    writeFileSync(join(dir, key), gz(raw.toString()));
    manifest.files.find((f) => f.key === key)!.metadata!.signature = signDigest(key2.privateKey, forged, sha);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const found = problemsOf(validateTree(dir)).filter((f) => f.file === key);
    expect(found).toEqual([
      problem(key, /SHA-256 differs from the one in trailsim-manifest.json/),
      problem(key, /previousDigestHashValue does not match the SHA-256 of the previous digest/),
      problem(key, /previousDigestSignature differs from the signature of the previous digest/),
    ]);
  });

  it('reports a record whose awsRegion disagrees with its key', () => {
    const dir = copy();
    const log = files.find((f) => f.includes('/CloudTrail/us-east-1/'))!;
    const text = readGzJson(join(dir, log)).raw.toString();
    writeFileSync(join(dir, log), gz(text.replace('"awsRegion":"us-east-1"', '"awsRegion":"eu-west-1"')));
    const found = problemsOf(validateTree(dir));
    expect(found).toContainEqual(
      problem(log, /^\/Records\/\d+\/awsRegion: "eu-west-1" differs from the key's Region us-east-1$/),
    );
  });

  it("reports a record later than its file's delivery, and a key outside the layout", () => {
    const dir = copy();
    const log = files.find((f) => f.includes('/CloudTrail/eu-west-1/'))!;
    const text = readGzJson(join(dir, log)).raw.toString();
    writeFileSync(join(dir, log), gz(text.replace(/"eventTime":"\d{4}/, '"eventTime":"2030')));
    const moved = log.replace('/CloudTrail/eu-west-1/', '/CloudTrail/us-east-1/');
    cpSync(join(dir, log), join(dir, moved));
    const found = problemsOf(validateTree(dir));
    expect(found).toContainEqual(
      problem(log, /^\/Records\/\d+\/eventTime: 2030-.* is after the file's delivery/),
    );
    expect(found).toContainEqual(
      problem(moved, /Region eu-west-1 in the file name differs from folder us-east-1/),
    );
  });

  it('works without the manifest: signatures are reported as not checked, the rest still is', () => {
    const dir = copy();
    rmSync(join(dir, 'trailsim-manifest.json'));
    const clean = validateTree(dir);
    expect(problemsOf(clean)).toEqual([]);
    expect(clean.findings).toEqual([
      {
        severity: 'warning',
        file: '.',
        message: expect.stringMatching(/^signatures of \d+ digests not checked: no trailsim-manifest.json/),
      },
    ]);
    expect(trailsim(['validate', dir]).status).toBe(0);
    const log = [...digests.values()].find((d) => d.logFiles.length > 0)!.logFiles[0]!.s3Object;
    rmSync(join(dir, log));
    expect(problemsOf(validateTree(dir))).toHaveLength(1);
  });

  it('prints one line per problem naming the file, a summary, and exits 1', () => {
    const dir = copy();
    const { key, body } = middleDigest();
    const log = body.logFiles[0]!.s3Object;
    rmSync(join(dir, log));
    const r = trailsim(['validate', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${log}: is listed in trailsim-manifest.json but missing`,
      `${key}: lists ${log}, which is missing or unreadable`,
      expect.stringMatching(/^INVALID: \d+ log files .*: 2 problems, 0 warnings$/),
      '',
    ]);
  });

  it('exits 2 for a folder that does not exist', () => {
    const r = trailsim(['validate', join(tmp, 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^trailsim: .*nope: is not a folder\n$/);
  });

  describe('tampering at the ends of a digest chain', () => {
    /** The first or the last digest of an account's and Region's chain, one that lists log files. */
    function chainEnd(end: 'first' | 'last'): [string, DigestFile] {
      const chains = new Map<string, [string, DigestFile][]>();
      for (const entry of digests) {
        const [account, , region] = entry[0].split('/').slice(1, 4);
        const id = `${account}/${region}`;
        chains.set(id, [...(chains.get(id) ?? []), entry]);
      }
      for (const chain of chains.values()) {
        chain.sort(([a], [b]) => (a < b ? -1 : 1));
        const pick = end === 'first' ? chain[0]! : chain[chain.length - 1]!;
        if (pick[1].logFiles.length > 0) return pick;
      }
      throw new Error(`no chain whose ${end} digest lists log files`);
    }

    /** Deletes a digest and edits (re-gzips) the first log file it listed; returns that log's key. */
    function tamper(dir: string, [key, body]: [string, DigestFile]): string {
      rmSync(join(dir, key));
      const log = body.logFiles[0]!.s3Object;
      const text = readGzJson(join(dir, log)).raw.toString();
      writeFileSync(join(dir, log), gz(text.replace('"eventName":"', '"eventName":"X')));
      return log;
    }

    for (const end of ['first', 'last'] as const) {
      it(`reports the ${end} digest deleted and a log file of its hour edited, with the manifest`, () => {
        const dir = copy();
        const target = chainEnd(end);
        const log = tamper(dir, target);
        const found = problemsOf(validateTree(dir));
        expect(found).toContainEqual(problem(target[0], /is listed in trailsim-manifest.json but missing/));
        expect(found).toContainEqual(problem(log, /SHA-256 differs from the one in trailsim-manifest.json/));
        expect(found).toContainEqual(problem(log, /is not listed in any digest/));
        expect(trailsim(['validate', dir]).status).toBe(1);
      });

      it(`reports the ${end} digest deleted and a log file of its hour edited, without the manifest`, () => {
        const dir = copy();
        rmSync(join(dir, 'trailsim-manifest.json'));
        const log = tamper(dir, chainEnd(end));
        expect(problemsOf(validateTree(dir))).toContainEqual(problem(log, /is not listed in any digest/));
        expect(trailsim(['validate', dir]).status).toBe(1);
      });
    }

    it('reports a whole chain deleted without the manifest: its log files are in no digest', () => {
      const dir = copy();
      rmSync(join(dir, 'trailsim-manifest.json'));
      const region = 'ap-northeast-1';
      for (const key of digests.keys())
        if (key.includes(`/CloudTrail-Digest/${region}/`)) rmSync(join(dir, key));
      const logs = files.filter((f) => f.includes(`/CloudTrail/${region}/`));
      const found = problemsOf(validateTree(dir));
      for (const log of logs) expect(found).toContainEqual(problem(log, /its account and Region have none/));
    });

    it('reports a file added after the run, which the manifest does not list', () => {
      const dir = copy();
      const log = files.find((f) => f.includes('/CloudTrail/eu-west-1/'))!;
      const added = log.replace(/_[A-Za-z0-9]{16}\.json\.gz$/, '_AAAAAAAAAAAAAAAA.json.gz');
      cpSync(join(dir, log), join(dir, added));
      const found = problemsOf(validateTree(dir));
      expect(found).toContainEqual(problem(added, /is not listed in trailsim-manifest.json/));
    });
  });
});
