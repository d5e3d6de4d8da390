import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStats } from '../../src/stats/collect.js';
import { validateTree, type Finding } from '../../src/validate/validate-tree.js';
import { trailsim } from '../helpers/cli.js';
import {
  createBucket,
  download,
  hasCommand,
  listAll,
  runCli,
  s3Env,
  startMoto,
  startS3rver,
  type TestS3,
} from '../helpers/s3-servers.js';
import { ROOT, scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('run-roots');
const RUN = [
  '--seed',
  '4',
  '--events',
  '300',
  '--accounts',
  '1',
  '--regions',
  'us-east-1,eu-west-1',
  '--quiet',
];

const problems = (r: { findings: Finding[] }) => r.findings.filter((f) => f.severity === 'problem');
const warnings = (r: { findings: Finding[] }) => r.findings.filter((f) => f.severity === 'warning');

function generate(out: string, args: string[] = RUN): void {
  const r = trailsim(['generate', ...args, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
}

describe("trailsim's S3 output, synced back to a folder", () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3rver();
  });
  afterAll(() => s3?.stop());

  it('validates: the manifest and public keys under the prefix are found, every signature checked', async () => {
    await createBucket(s3, 'synced-trail');
    const gen = await runCli(['generate', ...RUN, '--out', 's3://synced-trail/team/trail'], s3Env(s3));
    expect(gen.code, gen.stderr).toBe(0);
    // What `aws s3 sync s3://synced-trail d` leaves: every object at its key below d.
    const d = join(work, 'synced');
    const { keys } = await listAll(s3.client, 'synced-trail', '');
    expect(keys).toContain('team/trail/trailsim-manifest.json');
    for (const key of keys) {
      mkdirSync(dirname(join(d, key)), { recursive: true });
      writeFileSync(join(d, key), (await download(s3.client, 'synced-trail', key)).body);
    }
    const report = validateTree(d);
    expect(report.findings).toEqual([]);
    expect(report.records).toBe(300);
    expect(report.digests).toBeGreaterThan(0);
    expect(report.signaturesVerified).toBe(report.digests);
    // And a change is still caught against the manifest under the prefix.
    const log = keys.find((k) => k.includes('/CloudTrail/'))!;
    writeFileSync(join(d, log), readFileSync(join(d, log)).subarray(0, 20));
    expect(problems(validateTree(d)).map((f) => f.file)).toContain(log);
  });
});

// moto_server and the AWS CLI are on the project's machines, not on most users'.
const haveMotoAndAws = hasCommand('moto_server') && hasCommand('aws');
if (!haveMotoAndAws)
  console.log('skipping aws s3 sync + validate: moto_server or the aws CLI is not on PATH');

describe.skipIf(!haveMotoAndAws)("trailsim's S3 output in moto_server, fetched with aws s3 sync", () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startMoto();
  });
  afterAll(() => s3?.stop());

  it('validates, every signature checked', async () => {
    await createBucket(s3, 'moto-trail');
    const env = s3Env(s3);
    const gen = await runCli(['generate', ...RUN, '--out', 's3://moto-trail/acme/trail'], env);
    expect(gen.code, gen.stderr).toBe(0);
    const d = join(work, 'aws-synced');
    const sync = spawnSync('aws', ['s3', 'sync', '--endpoint-url', s3.endpoint, 's3://moto-trail', d], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    expect(sync.status, sync.stderr).toBe(0);
    const cli = trailsim(['validate', d]);
    expect(cli.stdout).toMatch(
      /^valid: \d+ log files \(300 records\), (\d+) digests \(\1 signatures verified\): 0 problems, 0 warnings\n$/,
    );
    expect(cli.status).toBe(0);
  });
});

describe('validate: what is not CloudTrail', () => {
  let run: string;
  beforeAll(() => {
    run = join(work, 'stray');
    generate(run);
  });

  it('a stray file beside AWSLogs/ is a warning, not a problem', () => {
    writeFileSync(join(run, 'notes.txt'), 'my notes');
    const report = validateTree(run);
    expect(problems(report)).toEqual([]);
    expect(warnings(report)).toEqual([
      { severity: 'warning', file: 'notes.txt', message: expect.stringMatching(/not a CloudTrail file/) },
    ]);
  });

  it('a file inside AWSLogs/ that the manifest does not list is still a problem', () => {
    const dir = join(run, 'AWSLogs', 'notes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.txt'), 'mine');
    expect(problems(validateTree(run)).map((f) => f.file)).toContain('AWSLogs/notes/x.txt');
  });

  it.each([
    ['an empty folder', () => {}],
    ['a folder of other files', (d: string) => writeFileSync(join(d, 'readme.md'), '# not a trail')],
  ])('%s fails, with a hint', (_name, setup) => {
    const d = join(work, `wrong-${_name.length}`);
    mkdirSync(d);
    setup(d);
    const report = validateTree(d);
    expect(problems(report)).toEqual([
      {
        severity: 'problem',
        file: '.',
        message: expect.stringMatching(
          /no CloudTrail log or digest files: pass the folder that holds AWSLogs\//,
        ),
      },
    ]);
    const cli = trailsim(['validate', d]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/^INVALID/m);
  });
});

describe('validate and stats stop at another run', () => {
  let root: string;
  beforeAll(() => {
    root = join(work, 'nested');
    generate(root);
    // Another run written inside the first, as the examples once did inside out/.
    generate(join(root, 'other-run'), ['--seed', '5', '--events', '200', '--accounts', '1', '--quiet']);
  });

  it('validate checks the run at the root only and says what it left out', () => {
    const report = validateTree(root);
    expect(problems(report)).toEqual([]);
    expect(report.records).toBe(300);
    expect(warnings(report)).toEqual([
      {
        severity: 'warning',
        file: 'other-run',
        message: expect.stringMatching(/another trailsim run .*not checked here/),
      },
    ]);
  });

  it('stats counts the run at the root only', () => {
    expect(collectStats(root).records).toBe(300);
    expect(collectStats(join(root, 'other-run')).records).toBe(200);
  });
});

describe('the example scenarios', () => {
  it.each(['ci-fixture', 'demo-week', 'load-test'])('%s writes beside out/, not inside it', (name) => {
    const file = join(ROOT, 'examples', `${name}.yaml`);
    const out = (parse(readFileSync(file, 'utf8')) as { output: { out: string } }).output.out;
    const where = relative(join(ROOT, 'out'), resolve(dirname(file), out));
    expect(where.startsWith('..'), `${out} is inside out/`).toBe(true);
  });
});
