import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import {
  checkRepeatedFlags,
  joinDashValues,
  listFlags,
  skipHelpCache,
  yargsUsageError,
} from '../../src/cli/argv.js';
import { generateCommand, resolveGenerate, type GenerateFlags } from '../../src/cli/commands/generate.js';
import { UsageError } from '../../src/errors.js';
import { digestFileKey, logFileKey, type TrailLocation } from '../../src/layout/keys.js';
import { keyProblem } from '../../src/object-key.js';
import { DEVOPS_GURU_REGIONS } from '../../src/scenario/regions.js';
import { ROOT, scratchFolder } from '../helpers/tree.js';
import { runCli } from './cli.js';

// Thousands of flag sets and scenario files, valid and broken, through what generate does before it
// opens its output: parse (yargs, as the CLI configures it), gather the scenario file, check, plan
// the keys. Nothing is generated or written. A failure prints fast-check's seed and path; replay it
// with FC_SEED=<seed> FC_PATH=<path> npx vitest run test/cli/input.property.test.ts.

const work = scratchFolder('property');
/** A folder of templates that is not a template folder, and one with no templates at all. */
const emptyFolder = join(work, 'empty');
mkdirSync(emptyFolder, { recursive: true });
const notATemplate = join(work, 'bad-templates');
mkdirSync(notATemplate, { recursive: true });
writeFileSync(join(notATemplate, 'x.json'), '{"eventName": 3}');
const garbageFile = join(work, 'garbage.pem');
writeFileSync(garbageFile, 'not a key\n');

/** Strings a user might type by mistake, or on purpose. */
const ODD = [
  '',
  ' ',
  '-',
  '--',
  '0',
  '-1',
  '-5',
  '1e3',
  '1e309',
  '0x10',
  '0b1',
  '1_000',
  '3.5',
  'NaN',
  'Infinity',
  'null',
  'true',
  '١٢',
  'é',
  '💥',
  'a b',
  'a,b',
  ',',
  '=',
  'x=1',
  'a\nb',
  'tab\there',
  '\u0000',
  '%2e%2e',
  '$HOME',
  '~',
];

/** Paths and keys that try to leave where they belong. None is a real folder outside the test's own. */
const PATH_TRICKS = [
  '..',
  '../..',
  '../escape',
  '../../escape',
  'a/../../escape',
  'a/./b',
  './x',
  'x/',
  'x//y',
  '/abs/p',
  '/',
  '//x',
  '\\..\\x',
  'C:\\x',
  'x\\..\\..\\y',
  'a/\u0000/b',
  's3://',
  's3://b',
  's3://b/../x',
  's3://b//x',
  's3://b/./x',
  's3://B_ad/x',
  's3://bucket/prefix/',
  's3://bucket/a/../../x',
  'file:///tmp/x',
  'out/..',
  'out/../..',
  '.',
];

const odd = fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 8 }));
/** Mostly a good value, now and then a bad one: a case with one mistake says more than one with six. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad });
const pathTrick = fc.oneof(
  fc.constantFrom(...PATH_TRICKS),
  fc.constantFrom(...PATH_TRICKS).map((p) => `team/${p}`),
  fc.constantFrom(...PATH_TRICKS).map((p) => `${p}/AWSLogs`),
);
/** Where output may go: the test's own folder, a bucket, standard output, or a trick. */
const outPath = mostly(
  fc.constantFrom(join(work, 'out'), 's3://bucket/prefix', 's3://bucket', '-', 'relative-out'),
  pathTrick,
);
const keyPrefix = mostly(fc.constantFrom('', 'team/a', 'logs/', 'AWSLogs'), fc.oneof(pathTrick, odd));
const region = fc.constantFrom(...DEVOPS_GURU_REGIONS);
const isoTime = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const time = mostly(
  isoTime,
  fc.oneof(
    isoTime.map((t) => t.slice(0, 10)),
    isoTime.map((t) => t.slice(0, 19)),
    isoTime.map((t) => t.replace('Z', '+05:30')),
    fc.constantFrom('2026-02-30', '2026-13-01', '2026-11-01T25:00:00Z', 'yesterday', '1700000000'),
    odd,
  ),
);
const regions = mostly(
  fc.oneof(
    fc.constant('all'),
    fc.uniqueArray(region, { minLength: 1, maxLength: 3 }).map((r) => r.join(',')),
  ),
  fc.constantFrom('us-east-1,,eu-west-1', 'mars-1', 'US-EAST-1', 'us-east-1 ,eu-west-1', 'all,us-east-1', ''),
);
/** A whole number as a flag value, in range or not. */
const count = (max: number) =>
  mostly(fc.integer({ min: 0, max }).map(String), fc.oneof(fc.integer().map(String), odd));
/** Paths a template or key file is read from: missing, wrong kind, or the real examples. */
const readPath = fc.oneof(
  fc.constantFrom(
    join(ROOT, 'examples', 'templates'),
    emptyFolder,
    notATemplate,
    garbageFile,
    '/nonexistent-trailsim/x',
    'nonexistent-trailsim/../nowhere',
    '',
  ),
);
const identityMix = mostly(
  fc.constantFrom('AssumedRole=1', 'IAMUser=1,Root=0', 'AssumedRole=66,IAMUser=24,FederatedUser=4'),
  fc.oneof(fc.constantFrom('Root=0', 'Bogus=1', 'IAMUser=-1', 'IAMUser', '=', ''), odd),
);
const fraction = mostly(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(-0.1, 1.1)),
);

const trailName = fc.oneof(fc.constantFrom('a', 'trail/x', '../t', '..', 'x'.repeat(129)), odd);
const bucket = fc.oneof(fc.constantFrom('B', 'a..b', '../b', 'a/b', '-b'), odd);

/** One flag with a value (or none), as argv words. */
const flag: fc.Arbitrary<readonly string[]> = fc.oneof(
  count(2 ** 32).map((v) => ['--seed', v]),
  time.map((v) => ['--start', v]),
  time.map((v) => ['--end', v]),
  count(60).map((v) => ['--events', v]),
  count(60).map((v) => ['--accounts', v]),
  regions.map((v) => ['--regions', v]),
  mostly(fc.constantFrom('1.08', '1.05'), fc.oneof(fc.constantFrom('1.0', '2', '1.8'), odd)).map((v) => [
    '--event-version',
    v,
  ]),
  identityMix.map((v) => ['--identity-mix', v]),
  mostly(fraction.map(String), odd).map((v) => ['--error-rate', v]),
  fc.constant(['--organization']),
  fc.constant(['--no-digests']),
  fc.constant(['--force']),
  keyPrefix.map((v) => ['--key-prefix', v]),
  mostly(fc.constantFrom('management-events', 'org.trail_1'), trailName).map((v) => ['--trail-name', v]),
  mostly(fc.constantFrom('my-bucket', 'logs.example.com'), bucket).map((v) => ['--bucket', v]),
  mostly(region, odd).map((v) => ['--home-region', v]),
  readPath.map((v) => ['--templates', v]),
  outPath.map((v) => ['--out', v]),
  fc.constantFrom('cloudtrail', 'eventbridge', 'json', '').map((v) => ['--format', v]),
  count(300).map((v) => ['--workers', v]),
  count(100).map((v) => ['--upload-concurrency', v]),
  fc.constantFrom(['--bogus'], ['--event=5'], ['--seed'], ['--out'], ['extra-positional'], ['-x']),
);

/** A scenario file's value for a key: valid, the wrong type, or out of range. */
const anyValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  odd,
  fc.array(odd, { maxLength: 2 }),
  fc.dictionary(odd, fc.integer(), { maxKeys: 2 }),
);
/** Now and then a key that should not be there. */
const rarely = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: a }, { weight: 1, arbitrary: anyValue });
const scenarioFile = fc.record(
  {
    seed: maybe(fc.integer({ min: 0, max: 2 ** 31 })),
    start: maybe(time),
    end: maybe(time),
    events: maybe(mostly(fc.integer({ min: 0, max: 60 }), fc.constantFrom(-1, 1e10, 0.5))),
    rate: maybe(mostly(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.constantFrom(-1, 0, 1e7))),
    accounts: maybe(mostly(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 51, 2.5))),
    organizationTrail: maybe(fc.boolean()),
    regions: maybe(
      mostly(
        fc.oneof(regions, fc.uniqueArray(region, { minLength: 1, maxLength: 3 })),
        fc.array(odd, { maxLength: 2 }),
      ),
    ),
    eventVersion: maybe(mostly(fc.constantFrom('1.08', '1.05'), fc.constantFrom('1.0', 1.08))),
    identityMix: maybe(
      fc.oneof(
        identityMix,
        mostly(
          fc.dictionary(fc.constantFrom('AssumedRole', 'IAMUser', 'Root'), fc.integer({ min: 1, max: 5 }), {
            minKeys: 1,
          }),
          fc.dictionary(fc.constantFrom('IAMUser', 'Bogus'), fc.integer({ min: -1, max: 0 })),
        ),
      ),
    ),
    errorRate: maybe(fraction),
    operationWeights: maybe(
      mostly(
        fc.dictionary(fc.constantFrom('ListInsights', 'DescribeInsight'), fc.integer({ min: 0, max: 5 })),
        fc.dictionary(fc.constantFrom('ListInsights', 'NoSuchCall', ''), fc.integer({ min: -1, max: 0 })),
      ),
    ),
    curve: maybe(
      fc.record(
        {
          dailyAmplitude: maybe(fraction),
          bursts: maybe(fc.boolean()),
          bogus: rarely(anyValue),
        },
        { requiredKeys: [] },
      ),
    ),
    trail: maybe(
      fc.record(
        {
          name: maybe(mostly(fc.constant('management-events'), trailName)),
          bucket: maybe(mostly(fc.constant('my-bucket'), bucket)),
          prefix: maybe(keyPrefix),
          homeRegion: maybe(mostly(region, odd)),
        },
        { requiredKeys: [] },
      ),
    ),
    digests: maybe(fc.boolean()),
    templates: maybe(fc.array(readPath, { maxLength: 2 })),
    gzipLevel: maybe(mostly(fc.integer({ min: 1, max: 9 }), fc.constantFrom(0, 10))),
    output: maybe(fc.record({ out: maybe(outPath), force: maybe(fc.boolean()) }, { requiredKeys: [] })),
    evnts: rarely(anyValue),
  },
  { requiredKeys: [] },
);

/** How a scenario file reaches the run: YAML, JSON, or text that is neither. */
const fileText = fc.oneof(
  scenarioFile.map((s) => ({ name: 'scenario.yaml', text: stringify(s) })),
  scenarioFile.map((s) => ({ name: 'scenario.json', text: JSON.stringify(s) })),
  fc
    .constantFrom('', '---', '[1, 2]', 'seed: [', '{"seed": 1,}', 'seed: 1\nseed: 2', '42', '\u0000')
    .map((text) => ({
      name: 'scenario.yaml',
      text,
    })),
);

const argvCase = fc.record({
  flags: fc.array(flag, { maxLength: 5 }),
  file: fc.option(fileText, { freq: 3 }),
  // Now and then a --scenario that is no file (used when the case has no file of its own).
  scenarioPath: fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('/', '..', '/nonexistent-trailsim.yaml', emptyFolder) },
  ),
});

let caseNo = 0;

/** The CLI's parser for generate, with its real options and the fail handler of src/cli/main.ts. */
function parseGenerate(argv: string[]): GenerateFlags {
  let parsed: GenerateFlags | undefined;
  const cli = yargs(joinDashValues(argv));
  cli
    .scriptName('trailsim')
    .command({ ...generateCommand, handler: (f) => void (parsed = f as GenerateFlags) })
    .demandCommand(1)
    .strict()
    .check((a) => checkRepeatedFlags(a, listFlags(cli)), true)
    .fail((msg, err) => {
      throw err ?? yargsUsageError(msg);
    })
    .exitProcess(false)
    .help(false)
    .version(false);
  skipHelpCache(cli);
  cli.parseSync();
  if (!parsed) throw new Error('yargs ran no command (a bug in the test)');
  return parsed;
}

/** Whether `path` is `root` or below it. */
const inside = (root: string, path: string): boolean => {
  const r = relative(root, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

describe('any input to generate', () => {
  it('is refused in one line as a UsageError, or planned with every key inside its target', async () => {
    const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
    const path = process.env.FC_PATH;
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(argvCase, async (c) => {
        const argv = ['generate', ...c.flags.flat()];
        if (c.file) {
          const dir = join(work, 'cases', String(caseNo++));
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, c.file.name), c.file.text);
          argv.push('--scenario', join(dir, c.file.name));
        } else if (c.scenarioPath) argv.push('--scenario', c.scenarioPath);
        let planned: Awaited<ReturnType<typeof resolveGenerate>>;
        try {
          planned = await resolveGenerate(parseGenerate(argv));
        } catch (err) {
          // No internal error: every refusal is a UsageError of one line that says where, or one of
          // yargs' own parse errors, which src/cli/main.ts reports by their first line, exit 2.
          refused++;
          if ((err as Error).name === 'YError') {
            expect((err as Error).message.split('\n')[0]).not.toBe('');
            return;
          }
          if (!(err instanceof UsageError))
            throw new Error(`not a UsageError for ${JSON.stringify(argv)}: ${String((err as Error).stack)}`);
          // eslint-disable-next-line no-control-regex
          expect(err.message, JSON.stringify(argv)).not.toMatch(/[\u0000-\u001f\u007f]/);
          expect(err.where.length, err.message).toBeGreaterThan(0);
          return;
        }
        accepted++;
        const { target, scenario } = planned;
        if (target.kind === 'stdout') return;
        const location: TrailLocation = {
          bucket: scenario.trail.bucket,
          prefix: scenario.trail.prefix,
          organizationId: scenario.organizationTrail ? 'o-abcdefghij' : null,
        };
        const keys = scenario.regions.flatMap((r) => [
          logFileKey(location, '123456789012', r, scenario.end, 'ABCDEFGHIJKLMNOP'),
          digestFileKey(
            location,
            '123456789012',
            r,
            scenario.trail.name,
            scenario.trail.homeRegion,
            scenario.end,
          ),
        ]);
        if (target.kind === 'dir') {
          const root = resolve(target.path);
          for (const key of [...keys, 'trailsim-manifest.json', 'trailsim-public-keys.json']) {
            expect(keyProblem(key), key).toBeUndefined();
            const file = resolve(root, key);
            expect(inside(root, file) && file !== root, `${key} leaves ${root}`).toBe(true);
          }
        } else {
          const prefix = target.location.prefix;
          for (const key of keys) {
            const full = prefix ? `${prefix}/${key}` : key;
            expect(keyProblem(full), full).toBeUndefined();
            expect(full.startsWith(prefix), full).toBe(true);
          }
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 2000), seed, path, endOnFailure: true, verbose: 1 },
    );
    console.log(`property: ${accepted} accepted, ${refused} refused`);
    // The draw reaches both sides.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });

  it.each([
    ['a UsageError', ['--key-prefix', '../../escape'], /^trailsim: --key-prefix: .*\n$/],
    ['a yargs parse error', ['--seed'], /^trailsim: Not enough arguments following: seed\n$/],
  ])('the CLI reports %s as one line and exit code 2', async (_kind, args, says) => {
    const r = await runCli(['generate', ...args, '--out', join(work, 'cli-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(says);
    expect(r.stdout).toBe('');
  });
});
