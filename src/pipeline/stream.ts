import type { Clock } from '../shared/clock.js';
import { encodeWindow, MAX_RECORDS_PER_FILE } from '../layout/encode.js';
import { isReadOnlyRecord, toEventBridge } from '../layout/eventbridge.js';
import { accountRate } from '../plan/curve.js';
import { Rng } from '../shared/rng.js';
import type { RenderedEvent } from '../render/rendered.js';
import type { Window } from '../plan/window.js';
import type { Sink } from '../sinks/sink.js';
import type { LineWriter } from '../sinks/stdout.js';
import type { Prepared } from './generate.js';
import type { LineFormat } from './records.js';

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

interface Pair {
  accountIndex: number;
  accountId: string;
  region: string;
  buffer: RenderedEvent[];
}

/** Cap on records held for delivery across all accounts and Regions; above it the fullest is delivered early. */
const MAX_BUFFERED = 50_000;

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
  const pairs: Pair[] = [];
  p.world.accounts.forEach((a, accountIndex) => {
    for (const region of p.scenario.regions)
      pairs.push({ accountIndex, accountId: a.id, region, buffer: [] });
  });
  const start = o.clock.now();
  const end = o.durationMs !== undefined ? start + o.durationMs : Infinity;
  const maxBatch = Math.max(500, Math.ceil(o.rate * (tickMs / 1000) * 4));
  let emitted = 0;
  let files = 0;
  let buffered = 0;
  let lastTick = start - 1;
  let nextDelivery = start + o.intervalMs;
  let lastReport = { at: start, events: 0 };
  let weights: number[] = [];
  let weightsSecond = -1;

  const deliver = async (pair: Pair, now: number): Promise<void> => {
    if (pair.buffer.length === 0) return;
    const events = pair.buffer;
    pair.buffer = [];
    buffered -= events.length;
    const made = encodeWindow(
      events,
      { accountId: pair.accountId, region: pair.region, windowEnd: now },
      rng,
      // A stream writes no digests, so nothing reads the files' hashes.
      { location: p.location, gzipLevel: p.scenario.gzipLevel, deliveryTime: now, hashRaw: false },
    );
    if (out.kind !== 'files') return;
    for (const f of made) {
      await out.sink.put({ key: f.key, body: f.body, contentType: 'application/x-gzip' });
      files++;
    }
  };

  const emit = async (n: number, now: number): Promise<void> => {
    const second = Math.floor(now / 1000);
    if (second !== weightsSecond) {
      weightsSecond = second;
      weights = pairs.map((pair) => {
        const a = p.world.accounts[pair.accountIndex]!;
        return (
          a.weight * (a.regionWeights[pair.region] ?? 0) * accountRate(a, now, p.scenario.curve, pair.region)
        );
      });
    }
    let rest = 0;
    for (const w of weights) rest += w;
    let remaining = n;
    for (let i = 0; i < pairs.length && remaining > 0; i++) {
      const pair = pairs[i]!;
      const w = weights[i]!;
      const k =
        i === pairs.length - 1 || rest <= 0 ? remaining : rng.binomial(remaining, Math.min(1, w / rest));
      rest -= w;
      remaining -= k;
      if (k === 0) continue;
      // A window of this instant: the renderer stamps its calls at `start`, whole seconds in the
      // record text. Each tick has its own start, hence its own random stream.
      const window: Window = {
        accountIndex: pair.accountIndex,
        region: pair.region,
        start: now,
        end: second * 1000 + 1000,
        count: k,
        scheduled: [],
        // Stamped within the delivery interval it goes out in, never before the stream began.
        earliest: Math.max(start, nextDelivery - o.intervalMs),
      };
      for (const e of p.renderer.renderWindow(window)) {
        const time = e.time - (((e.time % 1000) + 1000) % 1000);
        if (out.kind === 'lines') {
          const line =
            out.format === 'eventbridge'
              ? toEventBridge(e.json, { account: pair.accountId, region: pair.region, time }, rng)
              : e.json;
          if (out.format === 'eventbridge' && out.readOnlyEvents === false && isReadOnlyRecord(e.json))
            continue;
          if (!(await out.writer.write(line))) return;
        } else {
          pair.buffer.push({ time, json: e.json });
          buffered++;
        }
      }
      if (pair.buffer.length >= MAX_RECORDS_PER_FILE) await deliver(pair, now);
    }
    while (buffered > MAX_BUFFERED) {
      let fullest = pairs[0]!;
      for (const pair of pairs) if (pair.buffer.length > fullest.buffer.length) fullest = pair;
      await deliver(fullest, now);
    }
  };

  const report = (now: number, final: boolean): StreamReport => {
    const due = Math.floor((o.rate * (Math.min(now, end) - start)) / 1000);
    const span = Math.max(1, now - lastReport.at);
    const r: StreamReport = {
      events: emitted,
      due,
      files,
      elapsedMs: now - start,
      recentRate: final
        ? (emitted * 1000) / Math.max(1, Math.min(now, end) - start)
        : ((emitted - lastReport.events) * 1000) / span,
      lagMs: Math.max(0, ((due - emitted) * 1000) / o.rate),
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
    const n = Math.min(due - emitted, maxBatch);
    if (n > 0 && !(out.kind === 'lines' && !out.writer.open)) {
      await emit(n, now);
      emitted += n;
    }
    if (done) {
      for (const pair of pairs) await deliver(pair, now);
      if (out.kind === 'files') await out.sink.close();
      else await out.writer.end();
      return report(now, true);
    }
    if (now >= nextDelivery) {
      for (const pair of pairs) await deliver(pair, now);
      while (nextDelivery <= now) nextDelivery += o.intervalMs;
    }
    if (now - lastReport.at >= reportMs) report(now, false);
    const wait = Math.min(tickMs - (o.clock.now() - clockNow), end - o.clock.now());
    await o.clock.sleep(Math.max(0, wait));
  }
}
