import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, hashTree, runCli } from './cli.js';
import { scratchFolder } from '../helpers/tree.js';

// Bad input, tried as a new user would: each case gets a folder of its own (the working folder of
// the run), set up as the case needs; the run must say what is wrong in one line, exit 2, and leave
// the folder exactly as it was.
const work = scratchFolder('bad');

interface Case {
  name: string;
  /** The arguments, given the case's folder. */
  args: (dir: string) => string[];
  setup?: (dir: string) => void;
  /** What the one line must say. */
  says: RegExp;
  /** Environment variables the run gets besides the test's own. */
  env?: Record<string, string>;
}

const template = (over: Record<string, unknown>) =>
  JSON.stringify({
    eventSource: 'sns.amazonaws.com',
    eventName: 'ListTopics',
    readOnly: true,
    weight: 1,
    callers: ['human'],
    requestParameters: null,
    responseElements: null,
    ...over,
  });

const file = (name: string, text: string) => (dir: string) => writeFileSync(join(dir, name), text);
const gen =
  (...a: string[]) =>
  (dir: string) => [
    'generate',
    ...(a.some((x) => x.startsWith('--events')) ? [] : ['--events', '50']),
    '--out',
    join(dir, 'out'),
    ...a,
  ];
const scenario = (name: string) => (dir: string) => [
  'generate',
  '--scenario',
  join(dir, name),
  '--out',
  join(dir, 'out'),
];

const cases: Case[] = [
  // Flags and commands.
  { name: 'unknown flag', args: gen('--bogus'), says: /Unknown argument: bogus/ },
  { name: 'unknown command', args: () => ['frobnicate'], says: /Unknown argument: frobnicate/ },
  { name: 'no command', args: () => [], says: /Name a command/ },
  { name: 'misspelt flag', args: gen('--event=5'), says: /Unknown argument: event/ },
  { name: 'missing value', args: gen('--seed'), says: /Not enough arguments following: seed/ },
  {
    name: 'unknown region',
    args: gen('--regions', 'us-east-9'),
    says: /--regions: "us-east-9" is not a Region/,
  },
  { name: 'empty region list', args: gen('--regions', ','), says: /--regions: no Region given/ },
  {
    name: 'a region where DevOps Guru does not run',
    args: gen('--regions', 'af-south-1'),
    says: /"af-south-1" is not a Region/,
  },
  {
    name: 'end before start',
    args: gen('--start', '2026-11-02', '--end', '2026-11-01'),
    says: /--end: end .* is not after start/,
  },
  {
    name: 'end equal to start',
    args: gen('--start', '2026-11-02', '--end', '2026-11-02T00:00:00Z'),
    says: /--end: .*not after start/,
  },
  {
    name: 'window over a year',
    args: gen('--start', '2026-01-01', '--end', '2027-06-01'),
    says: /--end: the time window is longer than a year/,
  },
  { name: 'negative count', args: gen('--events=-5'), says: /--events: -5 is out of range/ },
  {
    name: 'fractional count',
    args: gen('--events', '2.5'),
    says: /--events: expected a whole number, got 2.5/,
  },
  { name: 'huge count', args: gen('--events', '5e12'), says: /--events: 5000000000000 is out of range/ },
  {
    name: 'count not a number',
    args: gen('--events', 'lots'),
    says: /--events: "lots" is not a decimal number/,
  },
  {
    name: 'unparseable date',
    args: gen('--start', 'yesterday'),
    says: /--start: "yesterday" is not an ISO 8601 time/,
  },
  {
    name: 'date without a zone',
    args: gen('--start', '2026-11-01T08:00:00'),
    says: /--start: .* has no time zone/,
  },
  {
    name: 'date off the calendar',
    args: gen('--end', '2026-02-30T00:00:00Z'),
    says: /--end: .* is not a date on the calendar/,
  },
  { name: 'month 13', args: gen('--start', '2026-13-01'), says: /--start: .* is not a date on the calendar/ },
  {
    name: 'US-style date',
    args: gen('--start', '11/02/2026'),
    says: /--start: "11\/02\/2026" is not an ISO 8601 time/,
  },
  {
    name: 'unknown identity type',
    args: gen('--identity-mix', 'Robot=3'),
    says: /--identity-mix: unknown identity type "Robot"/,
  },
  {
    name: 'identity mix without weights',
    args: gen('--identity-mix', 'AssumedRole'),
    says: /--identity-mix: weight of AssumedRole/,
  },
  {
    name: 'identity mix all zero',
    args: gen('--identity-mix', 'AssumedRole=0,IAMUser=0'),
    says: /--identity-mix: at least one/,
  },
  {
    name: 'error rate above 1',
    args: gen('--error-rate', '4'),
    says: /--error-rate: expected a number from 0 to 1, got 4/,
  },
  {
    name: 'negative error rate',
    args: gen('--error-rate=-0.1'),
    says: /--error-rate: expected a number from 0 to 1/,
  },
  {
    name: 'percent error rate',
    args: gen('--error-rate', '5%'),
    says: /--error-rate: "5%" is not a decimal number/,
  },
  {
    name: 'unknown event version',
    args: gen('--event-version', '2.0'),
    says: /--event-version: unknown eventVersion "2.0"/,
  },
  { name: 'no accounts', args: gen('--accounts', '0'), says: /--accounts: 0 is out of range \(1 to 50\)/ },
  { name: 'negative seed', args: gen('--seed=-1'), says: /--seed: -1 is out of range/ },
  {
    name: 'seed given twice',
    args: gen('--seed', '1', '--seed', '2'),
    says: /--seed: given more than once \(1, 2\)/,
  },
  {
    name: 'bad trail name',
    args: gen('--trail-name', 'a b'),
    says: /--trail-name: "a b" is not a valid trail name/,
  },
  {
    name: 'bad bucket name',
    args: gen('--bucket', 'My_Bucket'),
    says: /--bucket: "My_Bucket" is not a valid S3 bucket name/,
  },

  // Scenario files.
  { name: 'scenario file missing', args: scenario('nope.yaml'), says: /nope\.yaml: no such scenario file/ },
  {
    name: 'scenario is a folder',
    args: scenario('dir.yaml'),
    setup: (d) => mkdirSync(join(d, 'dir.yaml')),
    says: /dir\.yaml: is a folder, not a scenario file/,
  },
  {
    name: 'malformed YAML',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'seed: 3\nregions: [us-east-1, eu-west-1\nevents: 10\n'),
    says: /s\.yaml:3:\d+: not valid YAML: /,
  },
  {
    name: 'duplicate YAML key',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'seed: 3\nseed: 4\n'),
    says: /s\.yaml:2:1: not valid YAML: Map keys must be unique/,
  },
  {
    name: 'malformed JSON',
    args: scenario('s.json'),
    setup: file('s.json', '{\n  "seed": 3,\n}\n'),
    says: /s\.json:3:1: not valid JSON/,
  },
  {
    name: 'YAML list, not a mapping',
    args: scenario('s.yaml'),
    setup: file('s.yaml', '- seed: 3\n'),
    says: /s\.yaml: \/: a scenario must be a mapping/,
  },
  {
    name: 'wrong type',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'seed: 3\nevents: many\n'),
    says: /s\.yaml:2: \/events: must be integer \(got "many"\)/,
  },
  {
    name: 'unknown key',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'seed: 3\nevent: 100\n'),
    says: /s\.yaml:2: \/event: unknown key "event" \(known keys: seed, start, end, events/,
  },
  {
    name: 'unknown nested key',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'trail:\n  nam: x\n'),
    says: /s\.yaml:2: \/trail\/nam: unknown key "nam" \(known keys: name, bucket, prefix, homeRegion\)/,
  },
  {
    name: 'end before start in a file',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'start: 2026-11-05T00:00:00Z\nend: 2026-11-01T00:00:00Z\n'),
    says: /s\.yaml:2: \/end: end .* is not after start/,
  },
  {
    name: 'unknown region in a list',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'regions:\n  - us-east-1\n  - us-east-9\n'),
    says: /s\.yaml:3: \/regions\/1: "us-east-9" is not a Region where the service runs/,
  },
  {
    name: 'eventVersion unquoted',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'eventVersion: 1.10\n'),
    says: /\/eventVersion: must be a string such as "1\.08"; quote it/,
  },
  {
    name: 'error rate out of range',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'errorRate: 1.5\n'),
    says: /s\.yaml:1: \/errorRate: must be <= 1 \(got 1\.5\)/,
  },
  {
    name: 'negative identity weight',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'identityMix:\n  Root: -1\n'),
    says: /\/identityMix\/Root: must be >= 0/,
  },
  {
    name: 'operation with no template',
    args: scenario('s.yaml'),
    setup: file('s.yaml', 'operationWeights:\n  ListWidgets: 3\n'),
    says: /s\.yaml:2: \/operationWeights\/ListWidgets: no template for an operation "ListWidgets"/,
  },
  {
    name: 'flag still checked with a file',
    args: (d) => [...scenario('s.yaml')(d), '--events', '-1'],
    setup: file('s.yaml', 'seed: 3\n'),
    says: /--events: -1 is out of range/,
  },

  // Templates.
  {
    name: 'template folder missing',
    args: gen('--templates', 'no-such-folder'),
    says: /no-such-folder: cannot read the template folder/,
  },
  {
    name: 'template with an unknown generator',
    args: gen('--templates', 't'),
    setup: (d) => {
      mkdirSync(join(d, 't'));
      writeFileSync(
        join(d, 't', 'ListTopics.json'),
        template({ requestParameters: { nextToken: { $token: 1 } } }),
      );
    },
    says: /ListTopics\.json: \/requestParameters\/nextToken\/\$token: unknown generator "\$token"/,
  },
  {
    name: 'template that is not JSON',
    args: (d) => ['templates', 'check', join(d, 't')],
    setup: (d) => {
      mkdirSync(join(d, 't'));
      writeFileSync(join(d, 't', 'X.json'), '{ "eventSource": ');
    },
    says: /X\.json: \/: not valid JSON/,
  },
  {
    name: 'template with an unknown key',
    args: (d) => ['templates', 'check', join(d, 't')],
    setup: (d) => {
      mkdirSync(join(d, 't'));
      writeFileSync(join(d, 't', 'X.json'), template({ wieght: 2 }));
    },
    says: /X\.json: \/wieght: unknown key "wieght"/,
  },
  {
    name: 'templates check on an empty folder',
    args: (d) => ['templates', 'check', d],
    says: /holds no \*\.json template/,
  },
  {
    name: 'templates without a subcommand',
    args: () => ['templates'],
    says: /Name a subcommand|Not enough non-option arguments/,
  },

  {
    name: 'an empty item in the region list',
    args: gen('--regions', 'us-east-1,,eu-west-1'),
    says: /--regions: item 2 of "us-east-1,,eu-west-1" is empty/,
  },
  {
    name: 'an empty scenario file',
    args: scenario('empty.yaml'),
    setup: file('empty.yaml', '# nothing yet\n'),
    says: /empty\.yaml: is empty: a scenario sets at least one key/,
  },

  {
    name: 'sample --time without a time zone',
    args: () => ['sample', '--operation', 'ListInsights', '--time', '2026-11-02T14:03:27'],
    says: /--time: "2026-11-02T14:03:27" has no time zone; add Z for UTC/,
  },
  {
    name: '--start before DevOps Guru existed',
    args: gen('--start', '2019-06-01T00:00:00Z'),
    says: /--start: 2019-06-01T00:00:00Z is before the service became available \(2020-12-01\)/,
  },
  {
    name: '--templates folder with no template',
    args: (d) => ['generate', '--events', '5', '--out', join(d, 'out'), '--templates', join(d, 'none')],
    setup: (d) => {
      mkdirSync(join(d, 'none'));
      writeFileSync(join(d, 'none', 'notes.txt'), 'not a template');
    },
    says: /none: holds no \*\.json template/,
  },

  // A shard writes files: not to standard output, whatever the run holds (and no labels file).
  {
    name: '--shard with --incidents and --out -',
    args: () => [
      'generate',
      '--events',
      '5',
      '--incidents',
      'default',
      '--labels',
      'labels.jsonl',
      '--out',
      '-',
      '--shard',
      '0/2',
    ],
    says: /--shard: needs files: use it with a folder or s3:\/\/ --out/,
  },
  {
    name: '--shard with --edge-cases and --out -',
    args: () => ['generate', '--events', '5', '--edge-cases', 'hostile', '--out', '-', '--shard', '1/2'],
    says: /--shard: needs files: use it with a folder or s3:\/\/ --out/,
  },
  {
    name: '--json with --out -',
    args: () => ['generate', '--events', '5', '--out', '-', '--json'],
    says: /--json: the summary goes to standard output, which --out - fills with records/,
  },

  {
    name: '--eventbridge-rule without --format eventbridge',
    args: () => ['generate', '--events', '5', '--out', '-', '--eventbridge-rule', 'ENABLED'],
    says: /--eventbridge-rule: applies to --format eventbridge only/,
  },

  // Numbers: decimal, and present.
  { name: 'empty --events', args: gen('--events', ''), says: /--events: is empty; give a number/ },
  { name: 'empty --seed', args: gen('--seed', ''), says: /--seed: is empty; give a number/ },
  {
    name: 'hexadecimal --events',
    args: gen('--events', '0x10'),
    says: /--events: "0x10" is not a decimal number/,
  },
  {
    name: 'a word for --events',
    args: gen('--events', 'many'),
    says: /--events: "many" is not a decimal number/,
  },
  {
    name: 'a word for --error-rate',
    args: gen('--error-rate', 'low'),
    says: /--error-rate: "low" is not a decimal number/,
  },
  {
    name: 'a word for --workers',
    args: gen('--workers', 'two'),
    says: /--workers: "two" is not a decimal number/,
  },
  {
    name: 'a word for sample --seed',
    args: () => ['sample', '--operation', 'ListInsights', '--seed', 'x'],
    says: /--seed: "x" is not a decimal number/,
  },
  {
    name: 'negative stream --rate',
    args: (d) => ['stream', '--rate', '-5/s', '--out', join(d, 'out')],
    says: /--rate: the rate must be above 0 \(got "-5\/s"\)/,
  },
  {
    name: 'negative stream --duration',
    args: (d) => ['stream', '--rate', '5/s', '--duration', '-5s', '--out', join(d, 'out')],
    says: /--duration: the duration must be above 0 \(got "-5s"\)/,
  },

  // S3 endpoints and notification files.
  {
    name: '--endpoint-url that is not a URL',
    args: () => ['generate', '--events', '5', '--out', 's3://bucket1/p', '--endpoint-url', 'notaurl'],
    says: /--endpoint-url: "notaurl" is not an http:\/\/ or https:\/\/ URL/,
  },
  {
    name: '--endpoint-url that is not a URL, to upload',
    args: (d) => ['upload', d, 's3://bucket1/p', '--endpoint-url', 'notaurl'],
    setup: (d) => writeFileSync(join(d, 'trailsim-manifest.json'), '{"generator":"trailsim","files":[]}'),
    says: /--endpoint-url: "notaurl" is not an http:\/\/ or https:\/\/ URL/,
  },
  {
    name: 'AWS_ENDPOINT_URL_S3 that is not a URL',
    args: () => ['generate', '--events', '5', '--out', 's3://bucket1/p', '--quiet'],
    env: { AWS_ENDPOINT_URL_S3: 'ftp://x' },
    says: /AWS_ENDPOINT_URL_S3: "ftp:\/\/x" is not an http:\/\/ or https:\/\/ URL/,
  },
  {
    name: '--notifications in a folder that does not exist',
    args: gen('--notifications', 'nodir/n.jsonl'),
    says: /--notifications: nodir\/n\.jsonl: its folder does not exist/,
  },

  // The output place.
  {
    name: 'output is a file',
    args: gen(),
    setup: (d) => writeFileSync(join(d, 'out'), 'mine'),
    says: /out: exists and is not a folder/,
  },
  {
    name: 'output under a file',
    args: (d) => ['generate', '--events', '5', '--out', join(d, 'f', 'out')],
    setup: file('f', 'mine'),
    says: /f\/out: cannot create the output folder here \(ENOTDIR\)/,
  },
  {
    name: 'non-empty folder without --force',
    args: gen(),
    setup: (d) => {
      mkdirSync(join(d, 'out'));
      writeFileSync(join(d, 'out', 'notes.txt'), 'mine');
    },
    says: /out: is not empty; pass --force/,
  },
  {
    name: '--force on a folder trailsim did not write',
    args: gen('--force'),
    setup: (d) => {
      mkdirSync(join(d, 'out'));
      writeFileSync(join(d, 'out', 'notes.txt'), 'mine');
    },
    says: /out: is not empty and holds no trailsim-manifest\.json: --force only replaces what trailsim wrote/,
  },
  {
    name: 'init over an existing file',
    args: (d) => ['init', join(d, 's.yaml')],
    setup: file('s.yaml', 'seed: 1\n'),
    says: /s\.yaml: already exists; pass --force/,
  },
  { name: 'init into a folder', args: (d) => ['init', d], says: /is a folder; name a file/ },
  {
    name: 'stats on a missing folder',
    args: (d) => ['stats', join(d, 'nope')],
    says: /nope: no such folder/,
  },
  {
    name: 'stats on a corrupt log file',
    args: (d) => ['stats', d],
    setup: (d) => {
      mkdirSync(join(d, 'AWSLogs', '111122223333', 'CloudTrail'), { recursive: true });
      writeFileSync(join(d, 'AWSLogs', '111122223333', 'CloudTrail', 'x.json.gz'), 'not gzip');
    },
    says: /x\.json\.gz: is not a gzipped JSON log file/,
  },
];

// Root ignores file modes, so a read-only folder only stops a user who is not root.
if (process.getuid?.() === 0) {
  console.log('bad-input: running as root, the read-only folder case is skipped (root writes anyway)');
} else {
  cases.push({
    name: 'no write permission',
    args: (d) => ['generate', '--events', '5', '--out', join(d, 'ro', 'out')],
    setup: (d) => mkdirSync(join(d, 'ro'), { mode: 0o555 }),
    says: /ro\/out: cannot create the output folder here \(EACCES\)/,
  });
}

describe('bad input', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.concurrent.each(cases.map((c, i) => [c.name, c, i] as const))(
    '%s: one line, exit 2, nothing written',
    async (_name, c, i) => {
      const dir = join(work, `case-${i}`);
      mkdirSync(dir);
      c.setup?.(dir);
      const before = hashTree(dir);
      const r = await runCli(c.args(dir), { cwd: dir, env: c.env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^trailsim: [^\n]+\n$/);
      expect(r.stderr).toMatch(c.says);
      expect(r.stdout).toBe('');
      expect(hashTree(dir)).toEqual(before);
    },
  );
});

describe('an output folder that cannot be made', () => {
  // /proc refuses new folders with ENOENT though its parent exists; on Linux only.
  it.skipIf(!existsSync('/proc/self'))('--out /proc/x: fails at once, one line, exit 2', () => {
    const r = spawnSync(process.execPath, [CLI, 'generate', '--events', '5', '--out', '/proc/x/out'], {
      encoding: 'utf8',
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    expect(r.signal, 'still running after 30 s').toBeNull();
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^trailsim: \/proc\/x\/out: cannot create the output folder here \(ENOENT\)\n$/);
  });
});

/** Starts a long run and waits until it has staged some log files. */
async function startLongRun(out: string, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [CLI, 'generate', '--events', '400000', '--regions', 'us-east-1', '--out', out, '--quiet', ...extra],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  const staging = join(out, `.trailsim-staging-${child.pid}`);
  for (let i = 0; i < 600; i++) {
    if (existsSync(join(staging, 'AWSLogs'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Let it write a while longer, so that the kill lands mid-run.
  await new Promise((r) => setTimeout(r, 1500));
  expect(Object.keys(hashTree(staging)).length).toBeGreaterThan(5);
  return { child, exited, staging, stderr: () => stderr };
}

/** Files in `out` that are not inside a staging folder. */
const visibleFiles = (out: string) =>
  Object.keys(hashTree(out)).filter((k) => !k.startsWith('.trailsim-staging-'));

describe('an interrupted run', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: removes what it staged and exits ${code}`, async () => {
      const out = join(work, `killed-${signal}`);
      const run = await startLongRun(out);
      run.child.kill(signal);
      const { code: exit } = await run.exited;
      expect(exit).toBe(code);
      expect(run.stderr()).toContain(`interrupted (${signal})`);
      // The run created the folder, so nothing at all is left of it.
      expect(existsSync(out)).toBe(false);
    });
  }

  it('SIGINT while the main thread renders and writes (no workers, no digests): stops there too', async () => {
    // Nothing in such a run waits on the event loop by itself; the run must still give the signal a turn.
    const out = join(work, 'killed-main-thread');
    const run = await startLongRun(out, ['--workers', '0', '--no-digests']);
    run.child.kill('SIGINT');
    const { code: exit } = await run.exited;
    expect(exit).toBe(130);
    expect(existsSync(out)).toBe(false);
  });

  it('SIGKILL: leaves no file outside the staging folder, and a rerun completes the tree', async () => {
    const out = join(work, 'killed-SIGKILL');
    const run = await startLongRun(out);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    expect(visibleFiles(out)).toEqual([]);
    expect(readdirSync(out)).toEqual([`.trailsim-staging-${run.child.pid}`]);

    const rerun = await runCli([
      'generate',
      '--events',
      '2000',
      '--regions',
      'us-east-1',
      '--out',
      out,
      '--quiet',
    ]);
    expect(rerun.code, rerun.stderr).toBe(0);
    // The dead run's staging folder is gone; the new run's tree is in place.
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['AWSLogs', 'trailsim-manifest.json']));
    const manifest = JSON.parse(readFileSync(join(out, 'trailsim-manifest.json'), 'utf8')) as {
      counts: { records: number };
      files: { key: string; sha256: string }[];
    };
    const tree = hashTree(out);
    expect(manifest.counts.records).toBe(2000);
    expect(manifest.files.map((f) => f.key).sort()).toEqual(
      Object.keys(tree)
        .filter((k) => k !== 'trailsim-manifest.json')
        .sort(),
    );
    for (const f of manifest.files) expect(tree[f.key]).toBe(f.sha256);
  });
});
