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
  withOutputLocation,
  type DeliveryFlags,
} from '../output.js';
import { scenarioOptions, type GenerateFlags } from './generate.js';

type StreamFlags = Omit<GenerateFlags, keyof DeliveryFlags> &
  DeliveryFlags & {
    rate: string;
    duration?: string;
    interval: string;
  };

const DAY = 86_400_000;

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
      }) as unknown as Argv<StreamFlags>,
  handler: async (flags) => {
    for (const flag of ['start', 'end', 'events'] as const)
      if (flags[flag] !== undefined)
        throw new UsageError(
          `--${flag}`,
          'does not apply to stream: it runs from now, at --rate, for --duration',
        );
    const rate = parseRate(flags.rate, '--rate');
    const durationMs = flags.duration !== undefined ? parseDuration(flags.duration, '--duration') : undefined;
    const intervalMs = parseDuration(flags.interval, '--interval');
    if (intervalMs < 1000) throw new UsageError('--interval', 'must be 1s or more');
    const target = outputTarget(flags);
    const now = systemClock.now();
    // The world is drawn for the period the stream covers (at least a day), from now on.
    // Loaded here, not at start-up: only a stream needs the pipeline (see generate.ts).
    const [{ gatherInput }, { prepare }, { streamEvents }] = await Promise.all([
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
    if (scenario.edgeCases) throw new UsageError('--edge-cases', 'is for generate: a stream injects none');
    let out: StreamOutput;
    let abort = async (): Promise<void> => undefined;
    if (target.kind === 'stdout') {
      out = { kind: 'lines', writer: new LineWriter(process.stdout), format: flags.format };
    } else {
      const sink = await openSink(flags, target, { live: true, trailBucket: scenario.trail.bucket });
      sink.setRunInfo({ ...runInfo(scenario), stream: { rate, intervalMs, durationMs: durationMs ?? null } });
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
      await streamEvents(prepared, out, {
        rate,
        durationMs,
        intervalMs,
        clock: systemClock,
        stopped: () => stopped,
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
