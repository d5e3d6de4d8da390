import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashTree, runCli } from '../cli/cli.js';
import { embeddedData } from '../helpers/report-tree.js';
import { filesOf } from '../helpers/shards.js';
import { scratchFolder } from '../helpers/tree.js';
import type { ReportData } from '../../src/report/report-data.js';

/** `trailsim report` of a run written whole, and of the same run written as 3 shards into one folder. */
const work = scratchFolder('report-shards');
const RUN = [
  ...['generate', '--seed', '9', '--events', '2000', '--accounts', '2'],
  ...['--regions', 'us-east-1,eu-west-1,ap-south-1', '--start', '2026-11-02', '--end', '2026-11-03'],
  ...['--incidents', 'leaked-access-key,root-console', '--edge-cases', 'realistic', '--quiet'],
];
const whole = join(work, 'whole');
const shards = join(work, 'shards');

async function reportOf(tree: string, name: string): Promise<{ html: string; data: ReportData }> {
  const out = join(work, `${name}.html`);
  const r = await runCli(['report', tree, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const html = readFileSync(out, 'utf8');
  return { html, data: embeddedData<ReportData>(html) };
}

/** A page with its tree's name, the note on where the run's facts come from, and their list, set aside. */
function normalised(html: string, tree: string): string {
  return html
    .replaceAll(tree, 'TREE')
    .replace(/(<h2>The run<\/h2>)<p class="note">From [^<]*<\/p>/, '$1')
    .replace(/"manifests":\[[^\]]*\]/, '"manifests":[]');
}

beforeAll(async () => {
  const r = await runCli([...RUN, '--out', whole]);
  expect(r.code, r.stderr).toBe(0);
  for (const i of [1, 0, 2]) {
    const s = await runCli([...RUN, '--out', shards, '--shard', `${i}/3`]);
    expect(s.code, s.stderr).toBe(0);
  }
  expect(filesOf(hashTree(shards))).toEqual(filesOf(hashTree(whole)));
}, 180_000);

describe('trailsim report of a tree written in shards', () => {
  it('is the page of the tree written whole, but for the note on the shard manifests', async () => {
    const a = await reportOf(whole, 'whole');
    const b = await reportOf(shards, 'shards');
    expect(a.data.manifests).toEqual(['trailsim-manifest.json']);
    expect(b.data.manifests).toEqual([0, 1, 2].map((i) => `trailsim-manifest.shard-${i}-of-3.json`));
    expect(b.data.manifestProblems).toEqual([]);
    // The run's facts: seed, scenario, counts summed, edge cases merged, incidents.
    expect(b.data.manifest).toEqual(a.data.manifest);
    expect(b.data.manifest).not.toHaveProperty('shard');
    expect(b.data.markers).toEqual(a.data.markers);
    expect(new Set(b.data.markers.map((m) => m.kind))).toEqual(new Set(['incident', 'edge case']));
    const strip = (d: ReportData) => ({ ...d, tree: '', manifests: [] });
    expect(strip(b.data)).toEqual(strip(a.data));
    expect(b.html).toContain(
      '<p class="note">From 3 shard manifests (trailsim-manifest.shard-0-of-3.json to trailsim-manifest.shard-2-of-3.json), read as one run.</p>',
    );
    expect(normalised(b.html, shards)).toBe(normalised(a.html, whole));
  }, 60_000);

  it('says so on the page when a shard is missing, and still writes it', async () => {
    const partial = join(work, 'partial');
    cpSync(shards, partial, { recursive: true });
    rmSync(join(partial, 'trailsim-manifest.shard-1-of-3.json'));
    const { html, data } = await reportOf(partial, 'partial');
    expect(data.manifests).toEqual([
      'trailsim-manifest.shard-0-of-3.json',
      'trailsim-manifest.shard-2-of-3.json',
    ]);
    expect(data.manifestProblems).toEqual([
      'shard 1 of 3 is missing (no trailsim-manifest.shard-1-of-3.json)',
    ]);
    expect(html).toContain('data-fact="incomplete">Not the whole run: shard 1 of 3 is missing');
    expect(data.manifest).toMatchObject({ seed: 9 });
  }, 60_000);
});
