import type { Argv, CommandModule } from 'yargs';
import { systemClock } from '../../shared/clock.js';
import type { StreamOutput, StreamReport } from '../../pipeline/stream.js';
import { parseDuration, parseRate } from '../../scenario/rate.js';
import { resolveScenario } from '../../scenario/scenario.js';
import { LineWriter } from '../../sinks/stdout.js';
import { UsageError } from '../../shared/errors.js';
import { runInfo } from '../run-info.js';
import {
  deliveryOptions,
  openSink,
  outputTarget,
  readOnlyEvents,
  withOutputLocation,
  type DeliveryFlags,
} from '../output.js';
import { scenarioOptions, workersFlag, type GenerateFlags } from './generate.js';
import { decimalFlag } from '../number-flag.js';
import { parseShard } from '../../plan/shard.js';
import { availableParallelism } from 'node:os';

type StreamFlags = Omit<GenerateFlags, keyof DeliveryFlags> &
  DeliveryFlags & {
    rate?: string;
    duration?: string;
    interval: string;
  };

const DAY = 86_400_000;
/** From this rate on, a stream renders on worker threads unless --workers says otherwise. */
const STREAM_WORKERS_FROM = 2000;

/**
 * Flags generate shares with stream that a stream cannot honour: it runs from now at --rate and
 * writes no digests. Hidden from stream's help and refused when given, with the reason.
 */
const NOT_FOR_STREAM = {
  start: 'it runs from now, at --rate, for --duration',
  end: 'it runs from now, at --rate, for --duration',
  events: 'it runs from now, at --rate, for --duration',
  digests: 'a stream writes no digest files',
  'signing-key': 'a stream writes no digest files',
  'home-region': 'only digest names carry it, and a stream writes no digest files',
  json: 'a stream reports on stderr as it goes',
  incidents: 'incidents are woven into generate runs, not streams',
} as const;

function describeReport(r: StreamReport, target: number): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const shortfall = r.final && r.events < r.due ? ` (${n(r.due)} due: rendering could not keep up)` : '';
  return (
    `trailsim stream: ${n(r.events)} events${shortfall}, ${r.files} files in ${(r.elapsedMs / 1000).toFixed(1)} s; ` +
    `${r.final ? 'average' : 'now'} ${n(r.recentRate)}/s (target ${n(target)}/s), lag ${(r.lagMs / 1000).toFixed(2)} s\n`
  );
}

function noRate(): never {
  throw new UsageError(
    '--rate',
    'is needed: give --rate (2000/s, 500/m, 10000/h) or rate in the scenario file',
  );
}

export const streamCommand: CommandModule<object, StreamFlags> = {
  command: 'stream',
  describe: 'Stream events stamped with the current time at a steady rate (load tests)',
  builder: (y) =>
    Object.keys(NOT_FOR_STREAM)
      .reduce((a, flag) => a.hide(flag), deliveryOptions(scenarioOptions(y)))
      .option('rate', {
        type: 'string',
        requiresArg: true,
        describe: "Events per second, minute or hour: 2000/s, 500/m, 10000/h (default: the scenario's rate)",
      })
      .option('duration', {
        type: 'string',
        describe: 'Stop after this long (60s, 10m, 2h); default: until Ctrl-C',
      })
      .option('interval', {
        type: 'string',
        default: '5m',
        describe: 'Deliver log files this often (CloudTrail: about every 5 minutes)',
      })
      // No yargs defaults for --out and --force: a flag the user did not give must not override
      // the scenario file's output (see gatherInput).
      .option('out', {
        type: 'string',
        requiresArg: true,
        describe: 'Output folder, s3://bucket/prefix, or - for JSON lines on standard output (default out)',
      })
      .option('force', {
        type: 'boolean',
        describe: 'Replace an earlier trailsim run in --out',
      })
      .option('shard', {
        type: 'string',
        requiresArg: true,
        describe:
          'Stream shard <i>/<n> (or auto/<n>): the accounts and Regions of shard i, its share of --rate; n machines together stream --rate',
      })
      .option('workers', {
        type: 'string',
        requiresArg: true,
        coerce: decimalFlag('--workers'),
        describe: `Worker threads that render and gzip (default: one per core from ${STREAM_WORKERS_FROM} events/s, else 0: the main thread)`,
      })
      .example(
        '$0 stream --rate 2000/s --duration 10m --out s3://load-test/trail  # 10 minutes into a bucket',
        '',
      )
      .example(
        '$0 stream --rate 500/m --interval 10s --out stream-out             # a file every 10 seconds',
        '',
      )
      .example(
        '$0 stream --rate 200/s --out - --format eventbridge                # EventBridge events on standard output',
        '',
      ) as unknown as Argv<StreamFlags>,
  handler: async (flags) => {
    for (const [flag, why] of Object.entries(NOT_FOR_STREAM))
      if ((flags as Record<string, unknown>)[flag] !== undefined)
        throw new UsageError(`--${flag}`, `does not apply to stream: ${why}`);
    const durationMs = flags.duration !== undefined ? parseDuration(flags.duration, '--duration') : undefined;
    const intervalMs = parseDuration(flags.interval, '--interval');
    if (intervalMs < 1000) throw new UsageError('--interval', 'must be 1s or more');
    // Loaded here, not at start-up: only a stream needs the pipeline (see generate.ts).
    const [{ gatherInput }, { buildRun }, { streamShardFilter }] = await Promise.all([
      import('../scenario-args.js'),
      import('../../pipeline/build-run.js'),
      import('../../pipeline/stream.js'),
    ]);
    // A scenario file applies as to generate (its window and count do not: a stream runs from
    // now), its rate and output included; the flags a user gives override it.
    const gathered = await gatherInput(flags);
    const delivery = { ...flags, out: gathered.out, force: gathered.force };
    const rate =
      flags.rate !== undefined ? parseRate(flags.rate, '--rate') : (gathered.input.rate ?? noRate());
    const target = outputTarget(delivery);
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard, process.env);
    const workers = workersFlag(flags.workers) ?? (rate >= STREAM_WORKERS_FROM ? availableParallelism() : 0);
    const now = systemClock.now();
    // The world is drawn for the period the stream covers (at least a day), from now on.
    const input = {
      ...gathered.input,
      rate,
      start: new Date(now).toISOString(),
      end: new Date(now + Math.min(366 * DAY - 1000, Math.max(DAY, durationMs ?? DAY))).toISOString(),
      events: 0,
    };
    const scenario = resolveScenario(withOutputLocation(input, target), (f) =>
      f === 'start' || f === 'end' || f === 'events'
        ? `stream (${f})`
        : f === 'rate' && flags.rate !== undefined
          ? '--rate'
          : gathered.where(f),
    );
    if (scenario.edgeCases) throw new UsageError('--edge-cases', 'is for generate: a stream injects none');
    if (scenario.incidents) throw new UsageError('--incidents', 'is for generate: a stream weaves none in');
    let out: StreamOutput;
    let abort = async (): Promise<void> => undefined;
    if (target.kind === 'stdout') {
      out = {
        kind: 'lines',
        writer: new LineWriter(process.stdout),
        format: flags.format,
        readOnlyEvents: readOnlyEvents(flags),
      };
    } else {
      const sink = await openSink(delivery, target, {
        live: true,
        trailBucket: scenario.trail.bucket,
        shard,
      });
      sink.setRunInfo({
        ...runInfo(scenario),
        stream: { rate, intervalMs, durationMs: durationMs ?? null },
        ...(shard ? { shard } : {}),
      });
      out = { kind: 'files', sink };
      abort = () => sink.abort();
    }
    let stopped = false;
    const stop = (): void => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const run = buildRun(scenario);
      await run.stream(out, {
        rate,
        durationMs,
        intervalMs,
        clock: systemClock,
        stopped: () => stopped,
        workers,
        includes: shard ? streamShardFilter(run.prepared, shard) : undefined,
        onReport: (r) => {
          if (r.final || !flags.quiet) process.stderr.write(describeReport(r, rate));
        },
      });
    } catch (err) {
      await abort();
      throw err;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
