import type { Argv, CommandModule } from 'yargs';
import { systemClock } from '../../shared/clock.js';
import type { StreamOutput, StreamReport } from '../../pipeline/stream.js';
import { parseDuration, parseRate } from '../../scenario/rate.js';
import { resolveScenario } from '../../scenario/scenario.js';
import { LineWriter } from '../../sinks/stdout.js';
import { UsageError } from '../../shared/errors.js';
import { parseShard } from '../../plan/shard.js';
import { runInfo } from '../run-info.js';
import {
  deliveryOptions,
  openSink,
  outputTarget,
  withOutputLocation,
  type DeliveryFlags,
} from '../output.js';
import { scenarioOptions, workersFlag, type GenerateFlags } from './generate.js';
import { availableParallelism } from 'node:os';

type StreamFlags = Omit<GenerateFlags, keyof DeliveryFlags> &
  DeliveryFlags & {
    rate: string;
    duration?: string;
    interval: string;
  };

const DAY = 86_400_000;
/** From this rate on, a stream renders on worker threads unless --workers says otherwise. */
const STREAM_WORKERS_FROM = 2000;

function describeReport(r: StreamReport, target: number): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const shortfall = r.final && r.events < r.due ? ` (${n(r.due)} due: rendering could not keep up)` : '';
  return (
    `trailsim stream: ${n(r.events)} events${shortfall}, ${r.files} files in ${(r.elapsedMs / 1000).toFixed(1)} s; ` +
    `${r.final ? 'average' : 'now'} ${n(r.recentRate)}/s (target ${n(target)}/s), lag ${(r.lagMs / 1000).toFixed(2)} s\n`
  );
}

export const streamCommand: CommandModule<object, StreamFlags> = {
  command: 'stream',
  describe: 'Stream events stamped with the current time at a steady rate (load tests)',
  builder: (y) =>
    deliveryOptions(scenarioOptions(y))
      .option('rate', {
        type: 'string',
        demandOption: true,
        describe: 'Events per second, minute or hour: 2000/s, 500/m, 10000/h',
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
      .option('out', {
        type: 'string',
        default: 'out',
        describe: 'Output folder, s3://bucket/prefix, or - for JSON lines on standard output',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Replace an earlier trailsim run in --out',
      })
      .option('shard', {
        type: 'string',
        requiresArg: true,
        describe:
          'Stream shard <i>/<n> (or auto/<n>): the accounts and Regions of shard i, its share of --rate; n machines together stream --rate',
      })
      .option('workers', {
        type: 'number',
        describe: `Worker threads that render and gzip (default: one per core from ${STREAM_WORKERS_FROM}/s, else 0 = main thread only)`,
      }) as unknown as Argv<StreamFlags>,
  handler: async (flags) => {
    for (const flag of ['start', 'end', 'events'] as const)
      if (flags[flag] !== undefined)
        throw new UsageError(
          `--${flag}`,
          'does not apply to stream: it runs from now, at --rate, for --duration',
        );
    const rate = parseRate(flags.rate, '--rate');
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard, process.env);
    const workers = workersFlag(flags.workers) ?? (rate >= STREAM_WORKERS_FROM ? availableParallelism() : 0);
    const durationMs = flags.duration !== undefined ? parseDuration(flags.duration, '--duration') : undefined;
    const intervalMs = parseDuration(flags.interval, '--interval');
    if (intervalMs < 1000) throw new UsageError('--interval', 'must be 1s or more');
    const target = outputTarget(flags);
    const now = systemClock.now();
    // The world is drawn for the period the stream covers (at least a day), from now on.
    // Loaded here, not at start-up: only a stream needs the pipeline (see generate.ts).
    const [{ gatherInput }, { prepare }, { streamEvents, streamShardFilter }] = await Promise.all([
      import('../scenario-args.js'),
      import('../../pipeline/generate.js'),
      import('../../pipeline/stream.js'),
    ]);
    const input = {
      // A scenario file applies too (its window and count do not: a stream runs from now).
      ...(await gatherInput(flags)).input,
      start: new Date(now).toISOString(),
      end: new Date(now + Math.min(366 * DAY - 1000, Math.max(DAY, durationMs ?? DAY))).toISOString(),
      events: 0,
    };
    const scenario = resolveScenario(withOutputLocation(input, target), (f) =>
      f === 'start' || f === 'end' || f === 'events' ? `stream (${f})` : `--${f}`,
    );
    let out: StreamOutput;
    let abort = async (): Promise<void> => undefined;
    if (target.kind === 'stdout') {
      out = { kind: 'lines', writer: new LineWriter(process.stdout), format: flags.format };
    } else {
      const sink = await openSink(flags, target, { live: true, trailBucket: scenario.trail.bucket, shard });
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
      const prepared = prepare(scenario);
      const includes = shard ? streamShardFilter(prepared, shard) : undefined;
      await streamEvents(prepared, out, {
        rate,
        durationMs,
        intervalMs,
        clock: systemClock,
        stopped: () => stopped,
        workers,
        includes,
        onReport: (r) => process.stderr.write(describeReport(r, rate)),
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
