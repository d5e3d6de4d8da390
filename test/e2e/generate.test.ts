import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/shared/schema-validator.js';
import { DEVOPS_GURU_REGIONS } from '../../src/scenario/regions.js';
import {
  hashTree,
  isSingleMemberGzip,
  listFiles,
  readLogFiles,
  ROOT,
  runCli,
  type LogFileRead,
} from '../helpers/tree.js';

const MODEL = JSON.parse(readFileSync(join(ROOT, 'schemas', 'devops-guru', 'service-2.json'), 'utf8')) as {
  operations: Record<string, unknown>;
};
const OPERATIONS = Object.keys(MODEL.operations).sort();
/** Settings changes are planned a few times a month per account, so a day may have none of them. */
const SERVICE = JSON.parse(readFileSync(join(ROOT, 'templates', 'devops-guru', 'service.json'), 'utf8')) as {
  settings: { changes: { operations: string[] }[] };
};
const PLANNED = new Set(SERVICE.settings.changes.map((c) => c.operations[c.operations.length - 1]!));
const ARGS = [
  'generate',
  '--seed',
  '42',
  '--start',
  '2026-11-01T00:00:00Z',
  '--end',
  '2026-11-02T00:00:00Z',
  '--events',
  '20000',
  // No progress lines on stderr (a run longer than 10 s writes some when stderr is not a terminal).
  '--quiet',
];
const KEY =
  /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z]{2}-[a-z]+-\d)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;

let work: string;
let out: string;
let files: LogFileRead[];
let records: Record<string, unknown>[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'trailsim-e2e-'));
  out = join(work, 'a');
  const r = runCli([...ARGS, '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/20000 records/);
  files = readLogFiles(out);
  records = files.flatMap((f) => f.records);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('generate: a day for the default scenario', () => {
  it('writes exactly the requested number of records, all 31 operations among them but the rare settings changes', () => {
    expect(records).toHaveLength(20000);
    const names = new Set(records.map((r) => r.eventName as string));
    expect(PLANNED.size).toBe(2);
    expect([...names].filter((n) => !PLANNED.has(n)).sort()).toEqual(
      OPERATIONS.filter((n) => !PLANNED.has(n)),
    );
    expect(records.filter((r) => PLANNED.has(r.eventName as string)).length).toBeLessThan(4);
    expect(OPERATIONS).toHaveLength(31);
  });

  it('spreads calls over several accounts, Regions and identity types', () => {
    const accounts = new Set(records.map((r) => r.recipientAccountId));
    const regions = new Set(records.map((r) => r.awsRegion as string));
    const types = new Set(records.map((r) => (r.userIdentity as { type: string }).type));
    expect(accounts.size).toBe(3);
    expect(regions.size).toBeGreaterThanOrEqual(8);
    for (const r of regions) expect(DEVOPS_GURU_REGIONS).toContain(r);
    expect([...types].sort()).toEqual(['AWSService', 'AssumedRole', 'FederatedUser', 'IAMUser', 'Root']);
  });

  it('writes every record valid against the CloudTrail record schema', () => {
    const problems = records.flatMap((r, i) =>
      validateRecord(r).map((p) => `${i} ${String(r.eventName)}: ${p}`),
    );
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('writes every requestParameters valid against its operation request schema, but the rejected ones', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validators = new Map(
      OPERATIONS.map((op) => [
        op,
        ajv.compile(
          JSON.parse(
            readFileSync(join(ROOT, 'schemas', 'devops-guru', 'requests', `${op}.schema.json`), 'utf8'),
          ) as object,
        ),
      ]),
    );
    const bad: string[] = [];
    let rejected = 0;
    for (const r of records) {
      const params = r.requestParameters ?? {};
      const v = validators.get(r.eventName as string)!;
      // A ValidationException's request carries the value the service rejected, and only it does.
      const invalid = r.errorCode === 'ValidationException';
      if (invalid) rejected++;
      if (v(params) === invalid)
        bad.push(`${String(r.eventName)} ${String(r.errorCode)}: ${ajv.errorsText(v.errors)}`);
      else if (invalid && v.errors?.length !== 1)
        bad.push(`${String(r.eventName)}: ${ajv.errorsText(v.errors)}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(rejected).toBeGreaterThan(0);
  });

  it('places files exactly as a trail delivers them', () => {
    const ids = new Set<string>();
    for (const f of files) {
      const m = KEY.exec(f.key);
      expect(m, f.key).not.toBeNull();
      const [, account, region, y, mo, d, account2, region2, fy, fmo, fd, hh, mm] = m!;
      expect(account2).toBe(account);
      expect(region2).toBe(region);
      expect(`${fy}${fmo}${fd}`).toBe(`${y}${mo}${d}`);
      expect(isSingleMemberGzip(f.gz)).toBe(true);
      expect(f.gz.readUInt32LE(4)).toBe(0); // gzip mtime
      const delivered = Date.parse(`${fy}-${fmo}-${fd}T${hh}:${mm}:00Z`);
      for (const r of f.records) {
        expect(r.recipientAccountId).toBe(account);
        expect(r.awsRegion).toBe(region);
        expect(Date.parse(r.eventTime as string)).toBeLessThanOrEqual(delivered + 60_000);
        ids.add(r.eventID as string);
      }
      const text = readFileSync(join(out, f.key));
      expect(text.length).toBeGreaterThan(0);
    }
    expect(ids.size).toBe(records.length);
  });

  it('is byte-identical for the same seed, in any time zone and locale, and differs for another seed', () => {
    const again = join(work, 'b');
    const tz = join(work, 'c');
    const other = join(work, 'd');
    expect(runCli([...ARGS, '--out', again]).status).toBe(0);
    expect(
      runCli([...ARGS, '--out', tz], { TZ: 'Asia/Kolkata', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' })
        .status,
    ).toBe(0);
    expect(runCli([...ARGS.slice(0, 2), '43', ...ARGS.slice(3), '--out', other]).status).toBe(0);
    const a = hashTree(out);
    expect(a.size).toBeGreaterThan(100);
    expect(hashTree(again)).toEqual(a);
    expect(hashTree(tz)).toEqual(a);
    const d = hashTree(other);
    const shared = [...d.keys()].filter((k) => a.has(k) && k.endsWith('.gz'));
    expect(shared).toEqual([]);
  });
});

describe('generate: read back by DuckDB, as Athena-style SQL would', () => {
  it('gets every record back, with account and Region from the key matching the record', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    // Log files only (digests share AWSLogs/); Records as JSON, like Athena's CloudTrail SerDe.
    const glob = join(out, 'AWSLogs', '*', 'CloudTrail', '**', '*.json.gz').replaceAll("'", "''");
    const reader = await conn.runAndReadAll(`
      WITH files AS (
        SELECT filename, Records FROM read_json('${glob}', columns = {Records: 'JSON[]'}, filename = true, format = 'auto')
      ), recs AS (
        SELECT filename, unnest(Records) AS r FROM files
      )
      SELECT
        count(*) AS total,
        count(DISTINCT r->>'eventID') AS ids,
        count(*) FILTER (WHERE r->>'recipientAccountId' = regexp_extract(filename, 'AWSLogs/(\\d{12})/CloudTrail/', 1)) AS account_ok,
        count(*) FILTER (WHERE r->>'awsRegion' = regexp_extract(filename, '/CloudTrail/([a-z0-9-]+)/', 1)) AS region_ok,
        count(DISTINCT r->>'eventName') AS operations
      FROM recs`);
    const [row] = reader.getRowObjectsJS() as Record<string, unknown>[];
    conn.closeSync();
    instance.closeSync();
    expect(Number(row!.total)).toBe(20000);
    expect(Number(row!.ids)).toBe(20000);
    expect(Number(row!.account_ok)).toBe(20000);
    expect(Number(row!.region_ok)).toBe(20000);
    expect(Number(row!.operations)).toBe(new Set(records.map((r) => r.eventName)).size);
  });
});

describe('generate: bad flags', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown region', ['--regions', 'us-east-1,mars-north-1'], /--regions: "mars-north-1" is not a Region/],
    [
      'end before start',
      ['--start', '2026-11-02T00:00:00Z', '--end', '2026-11-01T00:00:00Z'],
      /--end: end .* is not after start/,
    ],
    ['negative count', ['--events', '-5'], /--events: -5 is out of range/],
    ['unparseable date', ['--start', 'yesterday'], /--start: "yesterday" is not an ISO 8601 time/],
    ['unknown flag', ['--evnts', '5'], /Unknown argument/],
  ];
  for (const [name, args, message] of cases) {
    it(`rejects ${name} with one line, exit 2, writing nothing`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'trailsim-bad-'));
      const target = join(dir, 'out');
      const r = runCli(['generate', '--out', target, ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(target)).toBe(false);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('refuses a non-empty folder without --force, leaving it untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailsim-bad-'));
    mkdirSync(join(dir, 'keep'));
    writeFileSync(join(dir, 'keep', 'notes.txt'), 'mine');
    const r = runCli(['generate', '--events', '10', '--out', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not empty/);
    expect(listFiles(dir)).toEqual(['keep/notes.txt']);
    rmSync(dir, { recursive: true, force: true });
  });
});
