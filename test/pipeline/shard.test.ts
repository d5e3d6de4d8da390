import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard, shardOwners } from '../../src/plan/shard.js';
import { validateTree } from '../../src/validate/validate-tree.js';
import { hashTree, ROOT, runCli } from '../cli/cli.js';
import { scratchFolder } from '../helpers/tree.js';
import {
  createBucket,
  listAll,
  s3Env,
  startS3rver,
  runCli as runCliEnv,
  type TestS3,
} from '../helpers/s3-servers.js';
import { filesOf, hashPrefix, isManifest, unionOfShards } from '../helpers/shards.js';

const work = scratchFolder('shard');
const RUN = [
  'generate',
  '--seed',
  '11',
  '--events',
  '1200',
  '--accounts',
  '2',
  '--regions',
  'us-east-1,eu-west-1,ap-south-1',
  '--start',
  '2026-11-02T00:00:00Z',
  '--end',
  '2026-11-03T00:00:00Z',
  '--quiet',
];
let whole: Record<string, string>;

beforeAll(async () => {
  const r = await runCli([...RUN, '--out', join(work, 'whole')]);
  expect(r.code, r.stderr).toBe(0);
  whole = filesOf(hashTree(join(work, 'whole')));
}, 120_000);

describe('--shard i/n', () => {
  it('3 shards with 0, 1 and 2 workers write, together, exactly the unsharded tree', async () => {
    const trees: Record<string, string>[] = [];
    const sizes: number[] = [];
    for (const i of [0, 1, 2]) {
      const out = join(work, `shard-${i}`);
      const r = await runCli([...RUN, '--out', out, '--shard', `${i}/3`, '--workers', String(i)]);
      expect(r.code, r.stderr).toBe(0);
      const tree = hashTree(out);
      expect(Object.keys(tree)).toContain(`trailsim-manifest.shard-${i}-of-3.json`);
      const manifest = JSON.parse(
        readFileSync(join(out, `trailsim-manifest.shard-${i}-of-3.json`), 'utf8'),
      ) as {
        shard: { index: number; count: number };
        counts: { records: number };
      };
      expect(manifest.shard).toEqual({ index: i, count: 3 });
      sizes.push(manifest.counts.records);
      trees.push(tree);
    }
    expect(unionOfShards(trees).union).toEqual(whole);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1200);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
  }, 180_000);

  it('shards written into one folder validate as one run; a missing shard is reported', async () => {
    const out = join(work, 'together');
    for (const i of [2, 0, 1]) {
      const r = await runCli([...RUN, '--out', out, '--shard', `${i}/3`]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(filesOf(hashTree(out))).toEqual(whole);
    const report = validateTree(out);
    expect(report.findings).toEqual([]);
    expect(report.records).toBe(1200);
    expect(report.signaturesVerified).toBe(report.digests);

    const again = await runCli([...RUN, '--out', out, '--shard', '1/3']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds shard 1 of 3; pass --force to replace it/);
    const forced = await runCli([...RUN, '--out', out, '--shard', '1/3', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(filesOf(hashTree(out))).toEqual(whole);

    rmSync(join(out, 'trailsim-manifest.shard-1-of-3.json'));
    const found = validateTree(out).findings.filter((f) => f.severity === 'problem');
    expect(found).toContainEqual(
      expect.objectContaining({ file: '.', message: expect.stringMatching(/shard 1 of 3 is missing/) }),
    );
  }, 180_000);

  it('refuses a shard into a folder that holds an unsharded run', async () => {
    const r = await runCli([...RUN, '--out', join(work, 'whole'), '--shard', '0/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds an unsharded run/);
  });

  it('auto/<n> takes the index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX', () => {
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(parseShard('auto/4', { AWS_BATCH_JOB_ARRAY_INDEX: '1' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('2/4', {})).toEqual({ index: 2, count: 4 });
  });

  for (const [text, env, message] of [
    ['3/3', {}, /index 3 is not below the count 3/],
    ['-1/2', {}, /is not <index>\/<count>/],
    ['1/0', {}, /the count must be from 1/],
    ['a/b', {}, /is not <index>\/<count>/],
    ['0x1/2', {}, /is not <index>\/<count>/],
    ['auto/2', {}, /auto needs JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX/],
    ['auto/2', { JOB_COMPLETION_INDEX: '2' }, /JOB_COMPLETION_INDEX=2\): index 2 is not below the count 2/],
  ] as const) {
    it(`refuses --shard ${text}${Object.keys(env).length ? ` with ${JSON.stringify(env)}` : ''}: one line, exit 2, nothing written`, async () => {
      const out = join(work, `bad-${text.replace(/\W+/g, '-')}-${Object.keys(env).length}`);
      const r = await runCli([...RUN, '--out', out, '--shard', text], {
        env: { JOB_COMPLETION_INDEX: '', ...env },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^trailsim: --shard.*\n$/);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('deals the busiest chains first, each to the emptiest shard, the same on every shard', () => {
    const load = new Map([
      ['1/us-east-1', 90],
      ['1/eu-west-1', 50],
      ['2/us-east-1', 40],
      ['2/eu-west-1', 10],
    ]);
    // 90 to shard 0; 50 and 40 to shard 1 (90 each); the tie for 10 goes to the lower shard.
    const owners = Object.fromEntries(shardOwners(load, 2));
    expect(owners).toEqual({ '1/us-east-1': 0, '1/eu-west-1': 1, '2/us-east-1': 1, '2/eu-west-1': 0 });
    expect(Object.fromEntries(shardOwners(new Map([...load].reverse()), 2))).toEqual(owners);
  });
});

describe('--shard into one S3 prefix (s3rver on loopback)', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3rver();
    await createBucket(s3, 'shards');
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('3 shards into one prefix hold exactly the unsharded tree', async () => {
    const env = s3Env(s3);
    const runs = await Promise.all(
      [0, 1, 2].map((i) =>
        runCliEnv(
          [
            ...RUN,
            '--out',
            's3://shards/trail',
            '--bucket',
            'shards',
            '--key-prefix',
            'trail',
            '--shard',
            `${i}/3`,
          ],
          env,
        ),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const folder = join(work, 'whole-prefixed');
    mkdirSync(folder, { recursive: true });
    const local = await runCli([
      ...RUN,
      '--out',
      folder,
      '--force',
      '--bucket',
      'shards',
      '--key-prefix',
      'trail',
    ]);
    expect(local.code, local.stderr).toBe(0);
    expect(await hashPrefix(s3, 'shards', 'trail')).toEqual(filesOf(hashTree(folder)));
    const { keys } = await listAll(s3.client, 'shards', 'trail/');
    expect(keys.filter(isManifest)).toEqual(
      [0, 1, 2].map((i) => `trail/trailsim-manifest.shard-${i}-of-3.json`),
    );
  }, 180_000);
});

describe('the batch recipes in examples/', () => {
  /** A recipe's trailsim arguments, with --out a local folder and the volume small. */
  function runnable(args: string[], out: string): string[] {
    return args.map((a) =>
      a.startsWith('--out=') ? `--out=${out}` : a.startsWith('--events=') ? '--events=400' : a,
    );
  }

  it('the Kubernetes Indexed Job: its args write shard JOB_COMPLETION_INDEX of completions', async () => {
    const job = parseYaml(readFileSync(join(ROOT, 'examples/kubernetes/indexed-job.yaml'), 'utf8')) as {
      spec: {
        completionMode: string;
        completions: number;
        template: { spec: { containers: { args: string[] }[] } };
      };
    };
    expect(job.spec.completionMode).toBe('Indexed');
    const args = job.spec.template.spec.containers[0]!.args;
    expect(args).toContain(`--shard=auto/${job.spec.completions}`);
    const out = join(work, 'k8s');
    const r = await runCli(runnable(args, out), { env: { JOB_COMPLETION_INDEX: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, `trailsim-manifest.shard-1-of-${job.spec.completions}.json`))).toBe(true);
  });

  it('the AWS Batch job definition: its command, parameters filled in, writes shard AWS_BATCH_JOB_ARRAY_INDEX', async () => {
    const def = JSON.parse(readFileSync(join(ROOT, 'examples/aws-batch/job-definition.json'), 'utf8')) as {
      containerProperties: { command: string[] };
      parameters: Record<string, string>;
    };
    const out = join(work, 'batch');
    const params: Record<string, string> = { ...def.parameters, out, events: '400' };
    const args = def.containerProperties.command.map((a) =>
      a.startsWith('Ref::') ? params[a.slice(5)]! : a,
    );
    const r = await runCli(args, { env: { AWS_BATCH_JOB_ARRAY_INDEX: '2', JOB_COMPLETION_INDEX: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(
      existsSync(join(out, `trailsim-manifest.shard-2-of-${def.parameters.shard!.split('/')[1]}.json`)),
    ).toBe(true);
  });
});
