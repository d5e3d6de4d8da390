import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogFiles, runCli } from '../cli/cli.js';

// A generated week, counted here by hand from the files, then compared with trailsim stats.
const work = mkdtempSync(join(tmpdir(), 'trailsim-stats-'));
const out = join(work, 'week');
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Rec = {
  eventName: string;
  eventTime: string;
  awsRegion: string;
  errorCode?: string;
  userIdentity: {
    type: string;
    arn?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
};

const expected = {
  byOperation: new Map<string, number>(),
  byIdentityType: new Map<string, number>(),
  byPrincipal: new Map<string, number>(),
  byRegion: new Map<string, number>(),
  byErrorCode: new Map<string, number>(),
  byHour: new Map<string, number>(),
};
let total = 0;
let files = 0;

beforeAll(async () => {
  const r = await runCli([
    'generate',
    ...['--seed', '9', '--start', '2026-11-02', '--end', '2026-11-09', '--events', '4000'],
    ...['--regions', 'us-east-1,eu-central-1', '--accounts', '2', '--out', out, '--quiet'],
  ]);
  expect(r.code).toBe(0);
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const f of readLogFiles(out)) {
    files++;
    for (const rec of f.body.Records as unknown as Rec[]) {
      total++;
      add(expected.byOperation, rec.eventName);
      add(expected.byIdentityType, rec.userIdentity.type);
      const u = rec.userIdentity;
      add(
        expected.byPrincipal,
        u.sessionContext?.sessionIssuer?.arn ?? u.arn ?? u.invokedBy ?? `(${u.type})`,
      );
      add(expected.byRegion, rec.awsRegion);
      add(expected.byErrorCode, rec.errorCode ?? '(none)');
      add(expected.byHour, `${rec.eventTime.slice(0, 13)}:00`);
    }
  }
});

describe('trailsim stats on a generated week', () => {
  it('--json counts every dimension as the files do', async () => {
    const r = await runCli(['stats', out, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown> & {
      hourly: { start: string; hours: number; count: number }[];
    };
    expect(s.records).toBe(4000);
    expect(s.records).toBe(total);
    expect(s.files).toBe(files);
    for (const key of ['byOperation', 'byIdentityType', 'byPrincipal', 'byRegion', 'byErrorCode'] as const)
      expect(s[key]).toEqual(Object.fromEntries(expected[key]));
    // A week is 168 hours: more than the chart's rows, so hours are grouped two by two.
    expect(s.hourly.length).toBeLessThanOrEqual(96);
    expect(s.hourly.every((b) => b.hours === 2)).toBe(true);
    expect(s.hourly.reduce((n, b) => n + b.count, 0)).toBe(4000);
    for (const b of s.hourly) {
      const h0 = `${b.start.slice(0, 13)}:00`;
      const h1 = `${new Date(Date.parse(b.start) + 3_600_000).toISOString().slice(0, 13)}:00`;
      expect(b.count).toBe((expected.byHour.get(h0) ?? 0) + (expected.byHour.get(h1) ?? 0));
    }
  });

  it('prints the tables and the chart', async () => {
    const r = await runCli(['stats', out]);
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toContain(`${total} records in ${files} log files`);
    for (const title of ['operation', 'identity type', 'principal', 'region', 'error code'])
      expect(text).toMatch(new RegExp(`^Records by ${title} \\(\\d+\\)$`, 'm'));
    const row = (name: string) =>
      new RegExp(`^  ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +(\\d+) +[\\d.]+%$`, 'm');
    for (const [region, n] of expected.byRegion) expect(Number(row(region).exec(text)?.[1])).toBe(n);
    for (const [type, n] of expected.byIdentityType) expect(Number(row(type).exec(text)?.[1])).toBe(n);
    const [topOp, topN] = [...expected.byOperation].sort((a, b) => b[1] - a[1])[0]!;
    expect(Number(row(topOp).exec(text)?.[1])).toBe(topN);
    expect(text).toContain('Records per 2 hours (UTC)');
    const chart = [...text.matchAll(/^ {2}(2026-11-\d\d \d\d:00) +(\d+) {2}(#*)$/gm)];
    expect(chart.length).toBe(84);
    expect(chart.reduce((n, m) => n + Number(m[2]), 0)).toBe(4000);
    // The busiest bucket has the full bar; quiet night buckets have short ones.
    const peak = Math.max(...chart.map((m) => Number(m[2])));
    expect(chart.find((m) => Number(m[2]) === peak)?.[3]).toHaveLength(40);
  });

  it('reads only log files: not digests, not a staging folder', async () => {
    const log = readLogFiles(out)[0]!.key;
    const account = log.split('/')[1]!;
    const digestDir = join(out, 'AWSLogs', account, 'CloudTrail-Digest', 'us-east-1', '2026', '11', '02');
    mkdirSync(digestDir, { recursive: true });
    writeFileSync(
      join(digestDir, 'x_CloudTrail-Digest_us-east-1_t_us-east-1_20261102T000000Z.json.gz'),
      gzipSync('{"logFiles":[]}'),
    );
    mkdirSync(join(out, '.trailsim-staging-999999', 'AWSLogs', account, 'CloudTrail'), { recursive: true });
    cpSync(
      join(out, log),
      join(out, '.trailsim-staging-999999', 'AWSLogs', account, 'CloudTrail', 'copy.json.gz'),
    );
    const r = await runCli(['stats', out, '--json']);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { records: number }).records).toBe(4000);
  });

  it('reports a folder with no log files in one line', async () => {
    mkdirSync(join(work, 'empty'));
    const r = await runCli(['stats', join(work, 'empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailsim: .*: holds no CloudTrail log files .*\n$/);
  });
});
