import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { embeddedData, generateAndCount, type TreeCounts } from '../helpers/report-tree.js';
import { listFiles, scratchFolder } from '../helpers/tree.js';
import type { ReportData } from '../../src/report/report-data.js';

const work = scratchFolder('report');
const tree = join(work, 'tree');
let counts: TreeCounts;
let html: string;
let data: ReportData;

const report = async (dir: string, out: string, env: Record<string, string> = {}) =>
  runCli(['report', dir, '--out', out], { env });

beforeAll(async () => {
  counts = await generateAndCount(tree, [
    ...['--seed', '5', '--start', '2026-11-02', '--end', '2026-11-04', '--events', '3000'],
    ...['--regions', 'us-east-1,eu-west-1', '--accounts', '2'],
  ]);
  const r = await report(tree, join(work, 'report.html'));
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(
    /^trailsim: wrote .*report\.html \(\d+ KB\): 3000 records in \d+ log files, \d+ digests, in [\d.]+ s\n$/,
  );
  html = readFileSync(join(work, 'report.html'), 'utf8');
  data = embeddedData<ReportData>(html);
});

describe('trailsim report', () => {
  it("totals equal trailsim stats --json's on the same tree", async () => {
    const r = await runCli(['stats', tree, '--json']);
    const stats = JSON.parse(r.stdout) as {
      records: number;
      files: number;
      first: number;
      last: number;
      byOperation: Record<string, number>;
      byRegion: Record<string, number>;
      byIdentityType: Record<string, number>;
      byErrorCode: Record<string, number>;
      byPrincipal: Record<string, number>;
      byHour: Record<string, number>;
    };
    expect(data.records).toBe(stats.records);
    expect(data.files).toBe(stats.files);
    expect([data.first, data.last]).toEqual([stats.first, stats.last]);
    const asCounts = (rows: { name: string; count: number }[]) =>
      Object.fromEntries(rows.map((x) => [x.name, x.count]));
    expect(asCounts(data.operations)).toEqual(stats.byOperation);
    expect(asCounts(data.regions)).toEqual(stats.byRegion);
    expect(asCounts(data.identities)).toEqual(stats.byIdentityType);
    const { '(none)': succeeded, ...failed } = stats.byErrorCode;
    expect(asCounts(data.errorCodes)).toEqual(failed);
    expect(data.errors).toBe(stats.records - succeeded!);
    expect(data.principals).toBe(Object.keys(stats.byPrincipal).length);
    // Each hour's people and automation, summed over identity types, are stats' count of the hour.
    for (const [h, t] of data.hours.entries()) {
      const sum = [...data.byHour.person, ...data.byHour.automation].reduce((n, s) => n + s[h]!, 0);
      expect(sum).toBe(stats.byHour[String(t)] ?? 0);
    }
  });

  it('figures equal counts taken from the files', () => {
    expect(data.records).toBe(3000);
    expect(data.records).toBe(counts.records);
    expect(data.files).toBe(counts.files);
    expect(data.digestFiles).toBe(counts.digests);
    expect(data.denied).toBe(counts.denied);
    expect(data.principals).toBe(counts.principals);
    for (const op of data.operations)
      expect(counts.operations.get(op.name)).toEqual({ count: op.count, errors: op.errors });
    expect(data.operations.length).toBe(counts.operations.size);
    expect(Object.fromEntries(data.accounts.map((a) => [a.name, a.count]))).toEqual(
      Object.fromEntries(counts.accounts),
    );
    for (const [h, t] of data.hours.entries()) {
      const sum = [...data.byHour.person, ...data.byHour.automation].reduce((n, x) => n + x[h]!, 0);
      expect(sum).toBe(counts.hours.get(new Date(t).toISOString().slice(0, 13)) ?? 0);
    }
    const errorsPerHour = data.hours.map(
      (_, h) => data.errorsByHour.denied[h]! + data.errorsByHour.throttled[h]! + data.errorsByHour.other[h]!,
    );
    expect(errorsPerHour.reduce((a, b) => a + b, 0)).toBe(counts.errors);
    // The HTML says the same as the data: the records tile and an operation's row.
    expect(html).toContain(`<b data-figure="records">${counts.records.toLocaleString('en-US')}</b>`);
    const top = data.operations[0]!;
    expect(html).toContain(`<tr><td>${top.name}</td><td class="n">${top.count.toLocaleString('en-US')}</td>`);
  });

  it('draws digest coverage per account and Region, and a missing digest as a chain break', async () => {
    expect(data.chains).toHaveLength(4);
    for (const c of data.chains) {
      expect(c.breaks).toBe(0);
      // Two days of hourly digests, the last ending after the period.
      expect(c.digests).toBeGreaterThanOrEqual(48);
      expect(c.hoursCovered).toBeGreaterThanOrEqual(48);
    }
    expect(data.chains.reduce((n, c) => n + c.digests, 0)).toBe(counts.digests);
    const broken = join(work, 'broken');
    cpSync(tree, broken, { recursive: true });
    const digests = listFiles(broken).filter((k) => k.includes('/CloudTrail-Digest/us-east-1/'));
    const victim = digests[10]!;
    rmSync(join(broken, victim));
    const r = await report(broken, join(work, 'broken.html'));
    expect(r.code, r.stderr).toBe(0);
    const after = embeddedData<ReportData>(readFileSync(join(work, 'broken.html'), 'utf8'));
    const account = victim.split('/')[1]!;
    for (const c of after.chains)
      expect(c.breaks).toBe(c.account === account && c.region === 'us-east-1' ? 1 : 0);
  });

  it('puts labelled incidents and injected edge cases on the time axis', async () => {
    const labelled = join(work, 'labelled');
    cpSync(tree, labelled, { recursive: true });
    const label = {
      id: 'inc-1',
      playbook: 'leaked-access-key',
      techniques: ['T1078.004'],
      start: '2026-11-02T10:05:00Z',
      end: '2026-11-02T13:40:00Z',
      eventIDs: ['a', 'b', 'c'],
    };
    writeFileSync(join(labelled, 'trailsim-labels.jsonl'), `${JSON.stringify(label)}\n`);
    const key = listFiles(labelled).find((k) => k.includes('/CloudTrail/'))!;
    const manifestPath = join(labelled, 'trailsim-manifest.json');
    const manifest = readFileSync(manifestPath, 'utf8');
    const edge = { kind: 'duplicate-records', key, action: 'deduplicate', what: 'again', eventIDs: ['x'] };
    writeFileSync(
      manifestPath,
      manifest.replace(
        '\n  "files": [',
        `\n  "edgeCases": {"labels": [${JSON.stringify(edge)}]},\n  "files": [`,
      ),
    );
    const r = await report(labelled, join(work, 'labelled.html'));
    expect(r.code, r.stderr).toBe(0);
    const after = embeddedData<ReportData>(readFileSync(join(work, 'labelled.html'), 'utf8'));
    expect(after.markers).toHaveLength(2);
    expect(after.markers.find((m) => m.kind === 'incident')).toMatchObject({
      name: 'leaked-access-key',
      start: Date.parse(label.start),
      end: Date.parse(label.end),
      records: 3,
      detail: 'inc-1 · T1078.004',
    });
    // An edge case sits at its file's delivery minute, from the key.
    const minute = /_(\d{8}T\d{4})Z_/.exec(key)![1]!;
    const at = Date.parse(
      `${minute.slice(0, 4)}-${minute.slice(4, 6)}-${minute.slice(6, 11)}:${minute.slice(11)}:00Z`,
    );
    expect(after.markers.find((m) => m.kind === 'edge case')).toMatchObject({
      name: 'duplicate-records',
      start: at,
      end: at,
      records: 1,
      detail: `${key} · deduplicate · again`,
    });
    expect(readFileSync(join(work, 'labelled.html'), 'utf8')).toContain('<table data-table="markers">');
  });

  it('is one self-contained page, the same bytes for the same tree in any time zone', async () => {
    expect(html).not.toMatch(/<(?:script|img|link|iframe)[^>]+(?:src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)[^"'\s]+\.(?:js|css)\b/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(data.manifest).toMatchObject({ seed: 5, generator: 'trailsim' });
    expect(data.manifest).not.toHaveProperty('files');
    const again = join(work, 'again.html');
    const r = await report(tree, again, { TZ: 'Asia/Kolkata', LANG: 'de_DE.UTF-8' });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(html);
  });

  it('rejects bad input in one line, exit 2, writing nothing', async () => {
    const out = join(work, 'bad.html');
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const cases: [string[], RegExp][] = [
      [['report', join(work, 'nope'), '--out', out], /nope: no such folder/],
      [['report', empty, '--out', out], /holds no CloudTrail log files/],
      [['report', tree, '--out', work], /^trailsim: --out: .* is a folder; name the HTML file to write\n$/],
      [
        ['report', tree, '--out', join(work, 'missing', 'r.html')],
        /^trailsim: --out: the folder .*missing does not exist\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(existsSync(out)).toBe(false);
    }
    // A failed build leaves an earlier report as it was, and no partial file beside it.
    writeFileSync(out, 'earlier');
    expect((await runCli(['report', empty, '--out', out])).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('earlier');
    expect(listFiles(work).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});
