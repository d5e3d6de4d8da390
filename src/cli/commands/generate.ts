// Only light modules at the top: every command's module is loaded at start-up, so the pipeline
// (templates, world, faker) is imported by the handler, when a run needs it.
import type { Argv, CommandModule } from 'yargs';
import type { RunSummary } from '../../pipeline/run.js';
import { runInfo } from '../run-info.js';
import { UsageError } from '../../shared/errors.js';
import {
  deliveryOptions,
  openSink,
  outputTarget,
  withOutputLocation,
  type DeliveryFlags,
} from '../output.js';
import { whileInterruptible } from '../interrupt.js';
import { createProgress, formatSeconds, progressMode } from '../progress.js';
import type { ScenarioFlags } from '../scenario-args.js';

export interface GenerateFlags extends ScenarioFlags, Partial<Omit<DeliveryFlags, 'out' | 'force'>> {
  'signing-key'?: string;
  workers?: number;
  quiet?: boolean;
  json?: boolean;
}

/**
 * Options shared by commands that generate (generate, and later stream). None has a yargs default:
 * a flag the user did not give must not override the scenario file.
 */
export function scenarioOptions<T>(y: Argv<T>) {
  return y
    .option('scenario', {
      type: 'string',
      requiresArg: true,
      describe: 'Scenario file (YAML or JSON, or a trailsim-manifest.json); flags override it',
    })
    .option('seed', {
      type: 'number',
      requiresArg: true,
      describe: 'Seed of the run: same seed, same bytes (default 1)',
    })
    .option('start', {
      type: 'string',
      requiresArg: true,
      describe: 'Start of the simulated period (ISO 8601, UTC), default 2026-11-01T00:00:00Z',
    })
    .option('end', {
      type: 'string',
      requiresArg: true,
      describe: 'End of the period (exclusive), default start + 1 day',
    })
    .option('events', {
      type: 'number',
      requiresArg: true,
      describe: 'Exact number of records (default 5000)',
    })
    .option('accounts', {
      type: 'number',
      requiresArg: true,
      describe: 'Number of AWS accounts (default 3, an organization)',
    })
    .option('regions', {
      type: 'string',
      requiresArg: true,
      describe: 'Comma-separated Regions, or "all" (default: all 16 DevOps Guru Regions)',
    })
    .option('event-version', {
      type: 'string',
      requiresArg: true,
      describe: 'CloudTrail eventVersion of the records (default 1.08)',
    })
    .option('identity-mix', {
      type: 'string',
      requiresArg: true,
      describe:
        'Share of calls per identity type, e.g. AssumedRole=66,IAMUser=24,FederatedUser=4,Root=1,AWSService=5',
    })
    .option('error-rate', {
      type: 'number',
      requiresArg: true,
      describe: 'Share of calls that fail, 0..1 (default 0.04)',
    })
    .option('organization', {
      type: 'boolean',
      describe: 'Organization trail: keys under AWSLogs/<o-id>/<account>/',
    })
    .option('key-prefix', {
      type: 'string',
      requiresArg: true,
      describe: "The trail's S3 key prefix",
    })
    .option('trail-name', {
      type: 'string',
      requiresArg: true,
      describe: 'Trail name (default management-events)',
    })
    .option('bucket', {
      type: 'string',
      requiresArg: true,
      describe: "The trail's bucket name, as digests record it",
    })
    .option('home-region', {
      type: 'string',
      requiresArg: true,
      describe:
        'Region where the trail was created, as digest names carry it (default us-east-1 if in --regions)',
    })
    .option('digests', {
      type: 'boolean',
      describe: 'Write signed digest files (default on; --no-digests to skip)',
    })
    .option('signing-key', {
      type: 'string',
      requiresArg: true,
      describe: 'RSA private key (PEM) that signs digests; default: a key derived from --seed',
    })
    .option('templates', {
      type: 'string',
      requiresArg: true,
      array: true,
      describe: 'Extra template folders (add or override operations)',
    })
    .option('edge-cases', {
      type: 'string',
      requiresArg: true,
      describe:
        'Inject labelled edge cases: a profile (realistic, hostile) or a profile file (see docs/edge-cases.md)',
    })
    .option('quiet', { type: 'boolean', describe: 'No progress on stderr' })
    .option('json', { type: 'boolean', describe: 'Print the summary as JSON on stdout' });
}

/** The run summary for people: one fact a line. */
export function formatSummary(s: RunSummary & { seconds: number; out: string }): string {
  const rate = s.seconds > 0 ? Math.round(s.records / s.seconds) : s.records;
  return [
    `trailsim: wrote ${s.files} log files, ${s.records} records in ${formatSeconds(s.seconds)}`,
    `  files     ${s.files} log files, ${s.otherObjects} other files`,
    `  records   ${s.records}`,
    `  bytes     ${s.bytes} gzipped (${s.rawBytes} uncompressed)`,
    `  duration  ${s.seconds.toFixed(2)} s (${rate} events/s)`,
    `  seed      ${s.seed}`,
    `  output    ${s.out}`,
    '',
  ].join('\n');
}

/** `--workers`: a whole number from 0 to 256, or not given (the default). */
export function workersFlag(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 256)
    throw new UsageError('--workers', `expected a whole number from 0 to 256, got ${String(value)}`);
  return value;
}

export const generateCommand: CommandModule<object, GenerateFlags> = {
  command: 'generate',
  describe: 'Write CloudTrail log files (and digests) for DevOps Guru calls',
  builder: (y) =>
    deliveryOptions(scenarioOptions(y))
      .option('out', {
        type: 'string',
        requiresArg: true,
        describe: 'Output folder, s3://bucket/prefix, or - for JSON lines on standard output (default out)',
      })
      .option('force', {
        type: 'boolean',
        describe: 'Replace an earlier trailsim run in --out',
      })
      .option('workers', {
        type: 'number',
        describe:
          'Worker threads that render and gzip (default: one per core; 0 = main thread only). Same bytes for any number',
      }) as unknown as Argv<GenerateFlags>,
  handler: async (flags) => {
    const workers = workersFlag(flags.workers);
    const { gatherInput, resolveGathered } = await import('../scenario-args.js');
    const gathered = await gatherInput(flags);
    const delivery = { ...flags, out: gathered.out, force: gathered.force } as GenerateFlags & DeliveryFlags;
    const target = outputTarget(delivery);
    const scenario = resolveGathered(withOutputLocation(gathered.input, target), gathered.where);
    if (target.kind === 'stdout') {
      if (scenario.edgeCases)
        throw new UsageError('--edge-cases', 'needs objects to break: --out a folder or s3://, not -');
      const { writeRecordLines } = await import('../write-lines.js');
      return writeRecordLines(scenario, delivery.format);
    }
    const { deriveSigningKeyAsync, loadSigningKey } = await import('../../digest/signing-key.js');
    const keyFromFile =
      scenario.digests && flags['signing-key'] !== undefined
        ? loadSigningKey(flags['signing-key'])
        : undefined;
    // A key from the seed is searched on the thread pool from here on, while the rest of the
    // command loads, the world is prepared and the first files rendered; the digest stage waits for
    // it when it first signs. (Should the output folder then be refused, the search only delays the
    // exit by its tenth of a second.)
    const signingKey = scenario.digests ? (keyFromFile ?? deriveSigningKeyAsync(scenario.seed)) : undefined;
    // A failed search is reported where the digest stage awaits the key; left unawaited, it is moot.
    if (signingKey instanceof Promise) signingKey.catch(() => undefined);
    const [{ runGenerate }, { createDigestStage }, { describeTrail }] = await Promise.all([
      import('../../pipeline/run.js'),
      import('../../digest/digest-stage.js'),
      import('../../digest/trail.js'),
    ]);
    const sink = await openSink(delivery, target, { live: false, trailBucket: scenario.trail.bucket });
    let info = runInfo(scenario);
    sink.setRunInfo(info);
    const progress = createProgress(
      scenario.events,
      process.stderr,
      progressMode(process.stderr, !!flags.quiet),
    );
    const s = await whileInterruptible(
      () => sink.abort(),
      () =>
        runGenerate(
          scenario,
          sink,
          {
            stages: (p) => {
              info = { ...info, trail: describeTrail(p) };
              sink.setRunInfo(info);
              return signingKey ? [createDigestStage(p, signingKey)] : [];
            },
            onProgress: (p) => progress.update(p),
            onFinish: (c) =>
              sink.setRunInfo({
                ...info,
                counts: { files: c.files, records: c.records, bytes: c.bytes, otherFiles: c.otherObjects },
                ...(c.edgeCases ? { edgeCases: c.edgeCases } : {}),
              }),
          },
          { workers },
        ),
    );
    progress.done();
    const summary = { ...s, seconds: progress.elapsed(), out: sink.where };
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(formatSummary(summary));
  },
};
