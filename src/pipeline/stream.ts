import type { Clock } from '../shared/clock.js';
import type { LogFile } from '../layout/log-file.js';
import { CastCurve } from '../plan/curve.js';
import { Rng } from '../shared/rng.js';
import { shardFilter, type Shard } from '../plan/shard.js';
import type { Sink } from '../sinks/sink.js';
import type { LineWriter } from '../sinks/stdout.js';
import type { Prepared } from './generate.js';
import type { LineFormat } from './records.js';
import { streamPairsOf, type StreamPair } from './stream-pairs.js';
import {
  localStreamRenderer,
  workerStreamRenderer,
  type StreamOutputKind,
  type StreamRenderer,
} from './stream-pool.js';

/** Where a stream delivers: log files into a sink, or JSON lines to a writer. */
export type StreamOutput =
  | { kind: 'files'; sink: Sink }
  | {
      kind: 'lines';
      writer: LineWriter;
      format: LineFormat;
      /** With the eventbridge format: false leaves out read-only calls (see RecordLineOptions). */
      readOnlyEvents?: boolean;
    };

export interface StreamOptions {
  /** Events per second. */
  rate: number;
  /** Stop after this long; undefined runs until `stopped()` says so. */
  durationMs?: number;
  /** Log files are delivered every interval (CloudTrail: about 5 minutes). */
  intervalMs: number;
  /** How often the pacer wakes to render what is due (default 100 ms). */
  tickMs?: number;
  /** How often `onReport` is called (default 5 s). */
  reportMs?: number;
  clock: Clock;
  /** Polled each tick: true after SIGINT or SIGTERM. */
  stopped: () => boolean;
  onReport?: (r: StreamReport) => void;
  /** Worker threads that render and gzip, each for its share of accounts and Regions; 0: none. */
  workers?: number;
  /**
   * The accounts and Regions this machine streams (a shard's): `rate` is the whole stream's, and a
   * shard renders and reports its accounts' and Regions' share of it. Default all.
   */
  includes?: (accountId: string, region: string) => boolean;
}

export interface StreamReport {
  events: number;
  /** Events the rate asked for by now (by the end, for the final report). */
  due: number;
  files: number;
  elapsedMs: number;
  /** Events per second since the previous report; in the final report, over the whole stream. */
  recentRate: number;
  /** How far the stream is behind its schedule, in ms of events still due. */
  lagMs: number;
  final: boolean;
}

/**
 * Streams events stamped with the current time at a steady rate. Pacing is by count: at each tick
 * the number due since the start (`rate × elapsed`) less the number emitted is rendered at once,
 * spread over accounts and Regions by the plan's weights (account and Region weights and the
 * daily curve), so the rate holds over any minute however long rendering takes, as long as it
 * keeps up. Log files are delivered every `intervalMs`, and early for an account and Region that
 * fills a file (5,000 records); on stop the open interval is delivered, then the sink is closed.
 *
 * @example
 * await streamEvents(prepared, { kind: 'files', sink }, { rate: 2000, durationMs: 60_000, intervalMs: 300_000,
 *   clock: systemClock, stopped: () => false });
 */
export async function streamEvents(p: Prepared, out: StreamOutput, o: StreamOptions): Promise<StreamReport> {
  const tickMs = o.tickMs ?? 100;
  const reportMs = o.reportMs ?? 5000;
  const rng = new Rng(p.scenario.seed).fork('stream');
  const pairs = streamPairsOf(p);
  const kind: StreamOutputKind =
    out.kind === 'files' ? { kind: 'files' } : { kind: 'lines', format: out.format };
  const renderer =
    (o.workers ?? 0) > 0 ? workerStreamRenderer(p, kind, o.workers!) : localStreamRenderer(p, kind);
  try {
    return await paceStream(p, out, o, { tickMs, reportMs, rng, pairs, renderer });
  } finally {
    await renderer.close();
  }
}

async function paceStream(
  p: Prepared,
  out: StreamOutput,
  o: StreamOptions,
  ctx: { tickMs: number; reportMs: number; rng: Rng; pairs: StreamPair[]; renderer: StreamRenderer },
): Promise<StreamReport> {
  const { tickMs, reportMs, rng, pairs, renderer } = ctx;
  const start = o.clock.now();
  const end = o.durationMs !== undefined ? start + o.durationMs : Infinity;
  const maxBatch = Math.max(500, Math.ceil(o.rate * (tickMs / 1000) * 4));
  /** Calls spread over the pairs so far, this machine's and (for a shard) the others'. */
  let allocated = 0;
  /** Calls this machine rendered. */
  let emitted = 0;
  const owned = pairs.map((pair) => o.includes?.(pair.accountId, pair.region) ?? true);
  let files = 0;
  let lastTick = start - 1;
  let nextDelivery = start + o.intervalMs;
  let lastReport = { at: start, events: 0 };
  const curve = new CastCurve(p.world, p.scenario.curve);
  let weights: number[] = [];
  let weightsSecond = -1;

  const put = async (made: LogFile[]): Promise<void> => {
    if (out.kind !== 'files') return;
    for (const f of made) {
      await out.sink.put({ key: f.key, body: f.body, contentType: 'application/x-gzip' });
      files++;
    }
  };

  /** Spreads n calls over the pairs by the plan's weights at `now`, renders them, and writes. */
  const emit = async (n: number, now: number): Promise<void> => {
    const second = Math.floor(now / 1000);
    if (second !== weightsSecond) {
      weightsSecond = second;
      weights = pairs.map((pair) => {
        const a = p.world.accounts[pair.accountIndex]!;
        return a.weight * (a.regionWeights[pair.region] ?? 0) * curve.rate(a, pair.region, now);
      });
    }
    let rest = 0;
    for (const w of weights) rest += w;
    let remaining = n;
    const counts = pairs.map(() => 0);
    for (let i = 0; i < pairs.length && remaining > 0; i++) {
      const w = weights[i]!;
      const k =
        i === pairs.length - 1 || rest <= 0 ? remaining : rng.binomial(remaining, Math.min(1, w / rest));
      rest -= w;
      remaining -= k;
      if (owned[i]) {
        counts[i] = k;
        emitted += k;
      }
    }
    // Stamped within the delivery interval it goes out in, never before the stream began.
    const made = await renderer.emit(counts, now, second, Math.max(start, nextDelivery - o.intervalMs));
    if (out.kind === 'lines') {
      for (const line of made.lines) if (!(await out.writer.write(line))) return;
    }
    await put(made.files);
  };

  const report = (now: number, final: boolean): StreamReport => {
    // A shard is due its share of the whole stream's count, the share its calls have had so far.
    const share = allocated > 0 ? emitted / allocated : 1;
    const due = Math.floor((o.rate * share * (Math.min(now, end) - start)) / 1000);
    const span = Math.max(1, now - lastReport.at);
    const r: StreamReport = {
      events: emitted,
      due,
      files,
      elapsedMs: now - start,
      recentRate: final
        ? (emitted * 1000) / Math.max(1, Math.min(now, end) - start)
        : ((emitted - lastReport.events) * 1000) / span,
      lagMs: Math.max(0, ((due - emitted) * 1000) / Math.max(1e-9, o.rate * share)),
      final,
    };
    lastReport = { at: now, events: emitted };
    o.onReport?.(r);
    return r;
  };

  for (;;) {
    const clockNow = o.clock.now();
    // Every tick gets its own instant, so its windows get their own random streams.
    const now = Math.max(clockNow, lastTick + 1);
    lastTick = now;
    const done = now >= end || o.stopped() || (out.kind === 'lines' && !out.writer.open);
    const due = Math.floor((o.rate * (Math.min(now, end) - start)) / 1000);
    // One batch per tick, also on the last: a stream that cannot keep up ends on time, short of
    // its target, and says so (`due` in the report) rather than catching up after the end.
    const n = Math.min(due - allocated, maxBatch);
    if (n > 0 && !(out.kind === 'lines' && !out.writer.open)) {
      await emit(n, now);
      allocated += n;
    }
    if (done) {
      await put(await renderer.deliverAll(now));
      if (out.kind === 'files') await out.sink.close();
      else await out.writer.end();
      return report(now, true);
    }
    if (now >= nextDelivery) {
      await put(await renderer.deliverAll(now));
      while (nextDelivery <= now) nextDelivery += o.intervalMs;
    }
    if (now - lastReport.at >= reportMs) report(now, false);
    const wait = Math.min(tickMs - (o.clock.now() - clockNow), end - o.clock.now());
    await o.clock.sleep(Math.max(0, wait));
  }
}

/**
 * The accounts and Regions shard `shard` of a stream renders: dealt as `--shard` deals a run's,
 * weighted by each account's and Region's share of the stream (account × Region weight).
 */
export function streamShardFilter(p: Prepared, shard: Shard): (accountId: string, region: string) => boolean {
  const load = new Map<string, number>();
  for (const pair of streamPairsOf(p)) {
    const a = p.world.accounts[pair.accountIndex]!;
    load.set(`${pair.accountId}/${pair.region}`, a.weight * (a.regionWeights[pair.region] ?? 0));
  }
  return shardFilter(shard, load);
}
