// Only light modules at the top: every command's module is loaded at start-up, so the pipeline
// (templates, world, faker) is imported by the handler, when a run needs it.
import type { Argv, CommandModule } from 'yargs';
import type { RunSummary } from '../../pipeline/run.js';
import { runInfo } from '../run-info.js';
import { UsageError } from '../../shared/errors.js';
import { decimalFlag } from '../number-flag.js';
import { parseShard, type Shard } from '../../plan/shard.js';
import {
  deliveryOptions,
  openSink,
  outputTarget,
  readOnlyEvents,
  withOutputLocation,
  type DeliveryFlags,
} from '../output.js';
import { whileInterruptible } from '../interrupt.js';
import { createProgress, formatSeconds, progressMode } from '../progress.js';
import type { ScenarioFlags } from '../scenario-args.js';
import { helpService } from '../default-service.js';

export interface GenerateFlags extends ScenarioFlags, Partial<Omit<DeliveryFlags, 'out' | 'force'>> {
  'signing-key'?: string;
  labels?: string;
  workers?: number;
  shard?: string;
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
      type: 'string',
      requiresArg: true,
      coerce: decimalFlag('--seed'),
      describe: 'Seed of the run: same seed and options, same bytes (default: 1)',
    })
    .option('start', {
      type: 'string',
      requiresArg: true,
      describe:
        'Start of the simulated period, ISO 8601 with a zone (Z or +hh:mm) (default: 2026-11-02T00:00:00Z)',
    })
    .option('end', {
      type: 'string',
      requiresArg: true,
      describe: 'End of the period, exclusive (default: start + 1 day)',
    })
    .option('events', {
      type: 'string',
      requiresArg: true,
      coerce: decimalFlag('--events'),
      describe: 'Exact number of records (default: 5000)',
    })
    .option('accounts', {
      type: 'string',
      requiresArg: true,
      coerce: decimalFlag('--accounts'),
      describe: 'AWS accounts; more than one form an organization (default: 3)',
    })
    .option('regions', {
      type: 'string',
      requiresArg: true,
      describe: 'Comma-separated Regions the service runs in, or all 16 (default: all)',
    })
    .option('event-version', {
      type: 'string',
      requiresArg: true,
      describe: 'CloudTrail eventVersion of the records (default: 1.08)',
    })
    .option('identity-mix', {
      type: 'string',
      requiresArg: true,
      describe:
        'Share of calls per identity type, type=weight,… (default: AssumedRole=66,IAMUser=24,FederatedUser=4,Root=1,AWSService=5)',
    })
    .option('error-rate', {
      type: 'string',
      requiresArg: true,
      coerce: decimalFlag('--error-rate'),
      describe: 'Share of calls that fail, 0 to 1 (default: 0.04)',
    })
    .option('organization', {
      type: 'boolean',
      describe: 'Organization trail: keys under AWSLogs/<o-id>/<account>/',
    })
    .option('key-prefix', {
      type: 'string',
      requiresArg: true,
      describe: "The trail's S3 key prefix, before AWSLogs/",
    })
    .option('trail-name', {
      type: 'string',
      requiresArg: true,
      describe: 'Trail name (default: management-events)',
    })
    .option('bucket', {
      type: 'string',
      requiresArg: true,
      describe: "The trail's bucket name, as digests record it (default: aws-cloudtrail-logs-trailsim)",
    })
    .option('home-region', {
      type: 'string',
      requiresArg: true,
      describe:
        'Region where the trail was created, as digest names and the trail ARN carry it (default: us-east-1 if in --regions, else the first)',
    })
    .option('digests', {
      type: 'boolean',
      describe: 'Write signed digest files; --no-digests skips them (default: on)',
    })
    .option('signing-key', {
      type: 'string',
      requiresArg: true,
      describe:
        'RSA private key (PEM, 2048 bits or more) that signs digests (default: a key derived from --seed)',
    })
    .option('templates', {
      type: 'string',
      requiresArg: true,
      array: true,
      describe: 'Extra template folders, adding or overriding operations',
    })
    .option('edge-cases', {
      type: 'string',
      requiresArg: true,
      describe:
        'Inject labelled edge cases: a profile (realistic, hostile) or a profile file (see docs/edge-cases.md)',
    })
    .option('incidents', {
      type: 'string',
      requiresArg: true,
      describe:
        'Weave labelled incidents into the run: default (every playbook once), playbook names (a,b) or a file (see docs/incidents.md)',
    })
    .option('quiet', { type: 'boolean', describe: 'No progress on stderr' })
    .option('json', { type: 'boolean', describe: 'Print the summary as JSON on stdout' });
}

/** A run's counts as the command reports them: the run's, and how many of its other files are digests. */
export type GenerateSummary = RunSummary & { digests: number; seconds: number; out: string; shard?: Shard };

/**
 * The run summary for people: one fact a line. A run with more files than records (a few events
 * over a long period: every account, Region and hour gets a digest, calls or not) says so on its
 * second line, before the counters.
 */
export function formatSummary(s: GenerateSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.records / s.seconds) : s.records;
  const total = s.files + s.otherObjects;
  const note =
    total > s.records
      ? [
          `  note      ${total} files for ${s.records} records: ${s.digests} digests ` +
            `(${Math.round((100 * s.digests) / total)}%), one per account, Region and hour even when no ` +
            `call was made, ${s.files} log files, ${s.otherObjects - s.digests} other ` +
            '(see "Many files for few events" in docs/digests-and-validate.md)',
        ]
      : [];
  return [
    `trailsim: wrote ${s.files} log files, ${s.records} records in ${formatSeconds(s.seconds)}`,
    ...note,
    `  files     ${s.files} log files, ${s.otherObjects} other files`,
    `  records   ${s.records}`,
    ...(s.incidents ? [incidentsLine(s.incidents, s.shard)] : []),
    `  bytes     ${s.bytes} gzipped (${s.rawBytes} uncompressed)`,
    `  duration  ${s.seconds.toFixed(2)} s (${rate} events/s)`,
    `  seed      ${s.seed}`,
    `  output    ${s.out}`,
    '',
  ].join('\n');
}

/** The summary's incidents: a shard's are the whole run's, and shard 0 writes their labels. */
function incidentsLine(i: NonNullable<RunSummary['incidents']>, shard: Shard | undefined): string {
  const records = `${i.records} of the ${shard ? "run's " : ''}records, on top of --events`;
  const by = shard && shard.index > 0 ? ' (shard 0 writes it)' : '';
  return `  incidents ${i.incidents} (${records}), labels in ${i.labels}${by}`;
}

/**
 * Everything generate decides from its flags and scenario file before it opens the output: checked
 * down to the operation names, nothing written. The property test drives it with broken input.
 *
 * @throws UsageError naming the flag, or the file and JSON path, of the first problem
 */
export async function resolveGenerate(flags: GenerateFlags) {
  const workers = workersFlag(flags.workers);
  const { gatherInput, resolveGathered } = await import('../scenario-args.js');
  const gathered = await gatherInput(flags);
  const delivery = { ...flags, out: gathered.out, force: gathered.force } as GenerateFlags & DeliveryFlags;
  const target = outputTarget(delivery);
  const scenario = resolveGathered(withOutputLocation(gathered.input, target), gathered.where);
  return { workers, delivery, target, scenario };
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
  describe: `Write CloudTrail log files (and digests) for ${helpService().displayName} calls`,
  builder: (y) =>
    deliveryOptions(scenarioOptions(y))
      .option('out', {
        type: 'string',
        requiresArg: true,
        describe: 'Output folder, s3://bucket/prefix, or - for JSON lines on standard output (default: out)',
      })
      .option('force', {
        type: 'boolean',
        describe: 'Replace an earlier trailsim run in --out (only the files its manifest lists)',
      })
      .option('workers', {
        type: 'string',
        requiresArg: true,
        coerce: decimalFlag('--workers'),
        describe:
          'Worker threads that render and gzip; 0 renders on the main thread. Same bytes for any number (default: one per core; 0 below 20,000 events)',
      })
      .option('labels', {
        type: 'string',
        requiresArg: true,
        describe: 'With --out - and --incidents: the file the incident labels (JSON lines) are written to',
      })
      .option('shard', {
        type: 'string',
        requiresArg: true,
        describe:
          'Write shard <i>/<n> of the run (0-based), or auto/<n> with the index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX; the n shards together write the whole tree',
      })
      .example(
        '$0 generate --events 200 --regions us-east-1 --out fixtures/trail  # 200 records in one Region',
        '',
      )
      .example(
        '$0 generate --scenario examples/demo-week.yaml                     # a week of activity, from a scenario file',
        '',
      )
      .example(
        '$0 generate --seed 7 --out - --format eventbridge                  # JSON lines on standard output',
        '',
      ) as unknown as Argv<GenerateFlags>,
  handler: async (flags) => {
    const { workers, delivery, target, scenario } = await resolveGenerate(flags);
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard, process.env);
    if (flags.labels !== undefined && !(target.kind === 'stdout' && scenario.incidents))
      throw new UsageError(
        '--labels',
        'is for --out - with --incidents; a folder or bucket gets trailsim-labels.jsonl next to the manifest',
      );
    if (target.kind === 'stdout' && scenario.incidents && flags.labels === undefined)
      throw new UsageError('--incidents', 'with --out -, give --labels <file> for the incident labels');
    const [{ buildRun }, { loadSigningKey }] = await Promise.all([
      import('../../pipeline/build-run.js'),
      import('../../digest/signing-key.js'),
    ]);
    if (target.kind === 'stdout') {
      if (shard) throw new UsageError('--shard', 'needs files: use it with a folder or s3:// --out');
      if (flags.json)
        throw new UsageError(
          '--json',
          'the summary goes to standard output, which --out - fills with records; use one or the other',
        );
      if (scenario.edgeCases)
        throw new UsageError('--edge-cases', 'needs objects to break: --out a folder or s3://, not -');
      const { writeRecordLines } = await import('../write-lines.js');
      const run = buildRun(scenario);
      if (flags.labels !== undefined) {
        const { writeLabelsFile } = await import('../labels-file.js');
        writeLabelsFile(run, flags.labels);
      }
      return writeRecordLines(run, delivery.format, process.stdout, {
        readOnlyEvents: readOnlyEvents(delivery),
      });
    }
    const signingKey =
      scenario.digests && flags['signing-key'] !== undefined
        ? loadSigningKey(flags['signing-key'])
        : undefined;
    const sink = await openSink(delivery, target, { live: false, trailBucket: scenario.trail.bucket, shard });
    let run;
    try {
      run = buildRun(scenario, { sink, signingKey, workers, shard });
    } catch (err) {
      // A bad template: nothing is left behind.
      await sink.abort();
      throw err;
    }
    const info = { ...runInfo(scenario), ...(shard ? { shard } : {}), trail: run.trail };
    let digests = 0;
    sink.setRunInfo(info);
    // Incident records come on top of --events (docs/incidents.md); a shard writes its share.
    const progress = createProgress(
      run.records(),
      process.stderr,
      progressMode(process.stderr, !!flags.quiet),
    );
    const s = await whileInterruptible(
      () => run.abort(),
      () =>
        run.generate({
          onObject: (o) => {
            if (o.key.includes('/CloudTrail-Digest/')) digests++;
          },
          onProgress: (p) => progress.update(p),
          onFinish: (c) =>
            sink.setRunInfo({
              ...info,
              counts: { files: c.files, records: c.records, bytes: c.bytes, otherFiles: c.otherObjects },
              ...(c.edgeCases ? { edgeCases: c.edgeCases } : {}),
              ...(c.incidents ? { incidents: c.incidents } : {}),
            }),
        }),
    );
    progress.done();
    const summary: GenerateSummary = {
      ...s,
      digests,
      seconds: progress.elapsed(),
      out: sink.where,
      ...(shard ? { shard } : {}),
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(formatSummary(summary));
  },
};
