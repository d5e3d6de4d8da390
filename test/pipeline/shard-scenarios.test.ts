import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EdgeCaseReport } from '../../src/edge-cases/label.js';
import type { IncidentReport } from '../../src/incidents/label.js';
import { validateTree } from '../../src/validate/validate-tree.js';
import { hashTree, runCli } from '../cli/cli.js';
import { s3Env, runCli as runCliEnv, useS3rver } from '../helpers/s3-servers.js';
import { filesOf, hashPrefix, unionOfShards } from '../helpers/shards.js';
import { scratchFolder } from '../helpers/tree.js';

// Shards of runs with incidents and edge cases: an organization of three accounts in three Regions
// over two days (a UTC midnight inside, for day-boundary), a few thousand events.
const work = scratchFolder('shard-scenarios');
const RUN = [
  'generate',
  '--seed',
  '11',
  '--events',
  '3000',
  '--accounts',
  '3',
  '--organization',
  '--regions',
  'us-east-1,eu-west-1,ap-south-1',
  '--start',
  '2026-11-02T00:00:00Z',
  '--end',
  '2026-11-04T00:00:00Z',
  '--quiet',
];
/**
 * One day in two Regions for the S3 test: s3rver on Node.js 20 cannot list past 1,000 keys (the
 * cipher of its continuation tokens is gone from OpenSSL 3).
 */
const SMALLER: Record<string, string> = {
  '--events': '1200',
  '--regions': 'us-east-1,eu-west-1',
  '--end': '2026-11-03T00:00:00Z',
};
const S3_RUN = RUN.map((a, i) => SMALLER[RUN[i - 1] ?? ''] ?? a);
/** The realistic profile with a burst of 600 records rather than 20,000: the suite stays fast. */
const REALISTIC = join(work, 'realistic.yaml');
writeFileSync(REALISTIC, 'profile: realistic\ncases:\n  burst-file: { count: 1, records: 600 }\n');

interface Manifest {
  files: { key: string }[];
  counts: { records: number };
  incidents?: IncidentReport;
  edgeCases?: EdgeCaseReport;
}
const manifestOf = (dir: string, name = 'trailsim-manifest.json'): Manifest =>
  JSON.parse(readFileSync(join(dir, name), 'utf8')) as Manifest;

/** Runs `generate`; its summary. */
async function generate(args: string[], run = RUN): Promise<string> {
  const r = await runCli([...run, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** The whole run and its three shards (0, 1 and 2 workers); the shards also copied into one folder. */
async function runAndShards(name: string, flags: string[]) {
  const whole = join(work, name, 'whole');
  await generate([...flags, '--out', whole, '--workers', '0']);
  const together = join(work, name, 'together');
  const trees: Record<string, string>[] = [];
  const manifests: Manifest[] = [];
  const summaries: string[] = [];
  for (const i of [0, 1, 2]) {
    const out = join(work, name, `shard-${i}`);
    summaries[i] = await generate([...flags, '--out', out, '--shard', `${i}/3`, '--workers', String(i)]);
    trees.push(hashTree(out));
    manifests.push(manifestOf(out, `trailsim-manifest.shard-${i}-of-3.json`));
    cpSync(out, together, { recursive: true });
  }
  return { whole, together, trees, manifests, summaries, wholeManifest: manifestOf(whole) };
}

/** `validate` of the shards together reads as `validate` of the one-machine tree: same findings, same counts. */
function expectSameValidation(whole: string, together: string) {
  const expected = validateTree(whole);
  const got = validateTree(together);
  expect(got.findings).toEqual(expected.findings);
  expect({ ...got, findings: [] }).toEqual({ ...expected, findings: [] });
  return expected;
}

/** `stats` of the shards together prints what it prints of the one-machine tree (its first line names the folder). */
async function expectSameStats(whole: string, together: string): Promise<string> {
  const [a, b] = await Promise.all([runCli(['stats', whole]), runCli(['stats', together])]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.stdout.split('\n').slice(1)).toEqual(a.stdout.split('\n').slice(1));
  return a.stdout;
}

describe('--shard with --incidents', () => {
  it('3 shards (0, 1, 2 workers) write the unsharded tree, labels by shard 0; validate and stats read them as one', async () => {
    const r = await runAndShards('incidents', ['--incidents', 'default']);
    const { union, writers } = unionOfShards(r.trees);
    expect(union).toEqual(filesOf(hashTree(r.whole)));
    expect(writers.get('trailsim-labels.jsonl')).toEqual([0]);
    const report = r.wholeManifest.incidents!;
    expect(report.incidents).toBeGreaterThanOrEqual(5);
    // Every shard's manifest sums up the run's incidents; only shard 0's lists the labels file.
    for (const [i, m] of r.manifests.entries()) {
      expect(m.incidents).toEqual(report);
      expect(m.files.some((f) => f.key === 'trailsim-labels.jsonl')).toBe(i === 0);
    }
    expect(r.manifests.reduce((n, m) => n + m.counts.records, 0)).toBe(3000 + report.records);
    expect(r.summaries[0]).toMatch(
      /of the run's records, on top of --events\), labels in trailsim-labels.jsonl\n/,
    );
    expect(r.summaries[2]).toMatch(/labels in trailsim-labels.jsonl \(shard 0 writes it\)\n/);

    const v = expectSameValidation(r.whole, r.together);
    expect(v.problems).toBe(0);
    expect(v.incidents).toEqual({ incidents: report.incidents, records: report.records });
    const stats = await expectSameStats(r.whole, r.together);
    expect(stats).toContain(`Incidents (${report.incidents}, labels in trailsim-labels.jsonl)`);
  }, 120_000);
});

describe.each([
  ['hostile', 'hostile'],
  ['realistic', REALISTIC],
])('--shard with --edge-cases %s', (name, profile) => {
  it('3 shards (0, 1, 2 workers) write the unsharded tree; their manifests label its cases once; validate reads them as one', async () => {
    const r = await runAndShards(name, ['--edge-cases', profile]);
    expect(unionOfShards(r.trees).union).toEqual(filesOf(hashTree(r.whole)));
    const whole = r.wholeManifest.edgeCases!;
    expect(Object.keys(whole.injected)).toEqual(Object.keys(whole.requested));

    // Each shard labels the cases of its files: together, the whole run's labels, once each.
    const cases = r.manifests.map((m) => m.edgeCases!);
    const byKey = (labels: EdgeCaseReport['labels']) =>
      [...labels].sort((a, b) => (a.kind + a.key < b.kind + b.key ? -1 : 1));
    expect(byKey(cases.flatMap((c) => c.labels))).toEqual(byKey(whole.labels));
    expect(cases.flatMap((c) => c.skipKeys).sort()).toEqual(whole.skipKeys);
    expect(cases.reduce((n, c) => n + c.readableRecords, 0)).toBe(whole.readableRecords);
    for (const c of cases) expect(c.requested).toEqual(whole.requested);
    const injected: Record<string, number> = {};
    for (const c of cases)
      for (const [k, n] of Object.entries(c.injected)) injected[k] = (injected[k] ?? 0) + n;
    expect(injected).toEqual(whole.injected);

    const v = expectSameValidation(r.whole, r.together);
    expect(v.findings.filter((f) => f.message.startsWith('labelled '))).toHaveLength(whole.labels.length);
    if (name === 'hostile') expect(v.problems).toBe(whole.labels.length);
    else expect(v.problems).toBe(0);
  }, 120_000);
});

describe('--shard with --incidents and --edge-cases into one S3 prefix (s3rver on loopback)', () => {
  const server = useS3rver(['shards']);

  it('3 shards hold exactly the tree one machine writes into a folder', async () => {
    const flags = [
      '--incidents',
      'default',
      '--edge-cases',
      'hostile',
      '--bucket',
      'shards',
      '--key-prefix',
      'trail',
    ];
    const runs = await Promise.all(
      [0, 1, 2].map((i) =>
        runCliEnv([...S3_RUN, ...flags, '--out', 's3://shards/trail', '--shard', `${i}/3`], s3Env(server.s3)),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const folder = join(server.work, 'whole');
    await generate([...flags, '--out', folder], S3_RUN);
    const got = await hashPrefix(server.s3, 'shards', 'trail');
    expect(got).toEqual(filesOf(hashTree(folder)));
    expect(got['trailsim-labels.jsonl']).toBeDefined();
  }, 120_000);
});
