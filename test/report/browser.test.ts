import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { runCli } from '../cli/cli.js';
import { generateAndCount, type TreeCounts } from '../helpers/report-tree.js';
import { scratchFolder } from '../helpers/tree.js';

// The report opened as a user would: from disk, in Chromium, through playwright-core.
const executablePath = findChromium();
if (!executablePath)
  console.log(
    'report browser test skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)',
  );

const work = scratchFolder('report-browser');
const tree = join(work, 'tree');
const htmlPath = join(work, 'report.html');
let counts: TreeCounts;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const requests: string[] = [];

const number = (text: string | null): number => Number((text ?? '').replace(/,/g, ''));

describe.skipIf(!executablePath)('the report in Chromium', () => {
  beforeAll(async () => {
    counts = await generateAndCount(tree, [
      ...['--seed', '11', '--start', '2026-11-03', '--end', '2026-11-06', '--events', '4000'],
      ...['--regions', 'us-east-1,us-west-2,eu-central-1', '--accounts', '3'],
    ]);
    const incident = {
      id: 'i-1',
      playbook: 'runaway-automation',
      start: '2026-11-04T09:00:00Z',
      end: '2026-11-04T12:00:00Z',
      eventIDs: ['e'],
    };
    writeFileSync(join(tree, 'trailsim-labels.jsonl'), `${JSON.stringify(incident)}\n`);
    const r = await runCli(['report', tree, '--out', htmlPath, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    browser = await chromium.launch({ executablePath });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (q) => {
      if (!q.url().startsWith('file:') && !q.url().startsWith('data:')) requests.push(q.url());
    });
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('html[data-charts="rendered"]', { timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart, logs no error and fetches nothing', async () => {
    const drawn = await page.$$eval('[data-chart]', (els) =>
      els.map((el) => ({
        name: el.getAttribute('data-chart'),
        shapes: el.querySelectorAll('svg path, svg rect').length,
      })),
    );
    expect(drawn.map((d) => d.name).sort()).toEqual([
      'accounts',
      'callers',
      'calls',
      'days',
      'digests',
      'errors',
      'failing',
      'operations',
      'regions',
    ]);
    for (const d of drawn) expect(d.shapes, d.name!).toBeGreaterThan(10);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('shows the figures counted from the files', async () => {
    const figures = Object.fromEntries(
      await page.$$eval('[data-figure]', (els) =>
        els.map((el) => [el.getAttribute('data-figure'), el.textContent]),
      ),
    ) as Record<string, string>;
    expect(number(figures.records!)).toBe(4000);
    expect(number(figures.records!)).toBe(counts.records);
    expect(number(figures.files!)).toBe(counts.files);
    expect(number(figures.principals!)).toBe(counts.principals);
    expect(number(figures.operations!)).toBe(counts.operations.size);
    expect(number(figures.errors!)).toBe(counts.errors);
    expect(number(figures.denied!)).toBe(counts.denied);
    expect(number(figures.digests!)).toBe(counts.digests);
    expect(number(figures.breaks!)).toBe(0);
    const rows = await page.$$eval('table[data-table="operations"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(rows).toHaveLength(counts.operations.size);
    for (const [name, calls, , failed] of rows)
      expect({ count: number(calls!), errors: number(failed!) }).toEqual(counts.operations.get(name!));
  });

  it("draws the charts from the files' counts", async () => {
    const read = await page.evaluate(() => {
      type Option = {
        series: { data: (number | number[])[]; markArea?: { data: unknown[] } }[];
        yAxis: { data?: string[] }[];
      };
      const charts = (window as unknown as { trailsimCharts: Record<string, { getOption(): Option }> })
        .trailsimCharts;
      const sum = (o: Option) =>
        o.series.reduce(
          (n, s) => n + s.data.reduce<number>((m, v) => m + (typeof v === 'number' ? v : 0), 0),
          0,
        );
      const perCategory = (o: Option) =>
        Object.fromEntries(
          o.yAxis[0]!.data!.map((name, i) => [name, o.series.reduce((n, s) => n + (s.data[i] as number), 0)]),
        );
      const calls = charts.calls!.getOption();
      const days = charts.days!.getOption();
      return {
        calls: sum(calls),
        incidents: calls.series[0]!.markArea?.data.length ?? 0,
        regions: perCategory(charts.regions!.getOption()),
        accounts: perCategory(charts.accounts!.getOption()),
        operations: sum(charts.operations!.getOption()),
        errors: sum(charts.errors!.getOption()),
        days: days.yAxis[0]!.data!.length,
        heat: (days.series[0]!.data as number[][]).reduce((n, cell) => n + cell[2]!, 0),
      };
    });
    expect(read.calls).toBe(counts.records);
    expect(read.heat).toBe(counts.records);
    expect(read.operations).toBe(counts.records);
    expect(read.errors).toBe(counts.errors);
    expect(read.regions).toEqual(Object.fromEntries(counts.regions));
    expect(read.accounts).toEqual(Object.fromEntries(counts.accounts));
    expect(read.days).toBe(new Set([...counts.hours.keys()].map((h) => h.slice(0, 10))).size);
    expect(read.incidents).toBe(1);
    expect(readFileSync(htmlPath, 'utf8')).toContain('runaway-automation');
  });
});
