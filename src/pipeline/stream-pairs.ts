import { encodeWindow, MAX_RECORDS_PER_FILE } from '../layout/encode.js';
import { isReadOnlyRecord, toEventBridge } from '../layout/eventbridge.js';
import type { LogFile } from '../layout/log-file.js';
import type { Window } from '../plan/window.js';
import type { RenderedEvent } from '../render/rendered.js';
import type { Rng } from '../shared/rng.js';
import type { Prepared } from './generate.js';
import type { LineFormat } from './records.js';

/** What a stream writes: log files, or JSON lines of a format (EventBridge events without the
 * read-only calls when `readOnlyEvents` is false). */
export type StreamOutputKind =
  { kind: 'files' } | { kind: 'lines'; format: LineFormat; readOnlyEvents?: boolean | undefined };

/** One account and Region of a stream, with the records it holds for its next file. */
export interface StreamPair {
  accountIndex: number;
  accountId: string;
  region: string;
}

/** The account/Region pairs of a run, in the order a stream spreads calls over them. */
export function streamPairsOf(p: Prepared): StreamPair[] {
  const pairs: StreamPair[] = [];
  p.world.accounts.forEach((a, accountIndex) => {
    for (const region of p.scenario.regions) pairs.push({ accountIndex, accountId: a.id, region });
  });
  return pairs;
}

/** What rendering a tick's calls gave: lines for standard output, or files that filled up. */
export interface Emitted {
  lines: string[];
  files: LogFile[];
}

/**
 * Renders a stream's calls for some of its account/Region pairs and holds their records until
 * they are delivered as log files: on the main thread for the whole stream, or in each worker for
 * the pairs it owns. A pair that fills a file (5,000 records) is delivered at once.
 */
export class StreamBuffers {
  private readonly buffers = new Map<number, RenderedEvent[]>();
  private held = 0;

  constructor(
    private readonly p: Prepared,
    private readonly pairs: readonly StreamPair[],
    private readonly rng: Rng,
    private readonly output: StreamOutputKind,
    /** Above this many records held, the fullest pair is delivered early. */
    private readonly maxHeld: number,
  ) {}

  /**
   * Renders `count` calls of pair `index` at the instant `now` (whole second `second`), none stamped
   * before `earliest`.
   */
  emit(index: number, count: number, now: number, second: number, earliest: number, into: Emitted): void {
    const pair = this.pairs[index]!;
    // A window of this instant: the renderer stamps its calls at `start`, whole seconds in the
    // record text. Each tick has its own start, hence its own random stream.
    const window: Window = {
      accountIndex: pair.accountIndex,
      region: pair.region,
      start: now,
      end: second * 1000 + 1000,
      count,
      scheduled: [],
      earliest,
    };
    let buffer = this.buffers.get(index);
    for (const e of this.p.renderer.renderWindow(window)) {
      const time = e.time - (((e.time % 1000) + 1000) % 1000);
      if (this.output.kind === 'lines') {
        if (
          this.output.format === 'eventbridge' &&
          this.output.readOnlyEvents === false &&
          isReadOnlyRecord(e.json)
        )
          continue;
        into.lines.push(
          this.output.format === 'eventbridge'
            ? toEventBridge(e.json, { account: pair.accountId, region: pair.region, time }, this.rng)
            : e.json,
        );
        continue;
      }
      if (!buffer) this.buffers.set(index, (buffer = []));
      buffer.push({ time, json: e.json });
      this.held++;
    }
    if (buffer && buffer.length >= MAX_RECORDS_PER_FILE) into.files.push(...this.deliver(index, now));
    while (this.held > this.maxHeld) {
      let fullest = index;
      for (const [i, b] of this.buffers) if (b.length > (this.buffers.get(fullest)?.length ?? 0)) fullest = i;
      into.files.push(...this.deliver(fullest, now));
    }
  }

  /** The log files of pair `index`'s held records, delivered at `now`. */
  deliver(index: number, now: number): LogFile[] {
    const events = this.buffers.get(index);
    if (!events || events.length === 0) return [];
    this.buffers.delete(index);
    this.held -= events.length;
    const pair = this.pairs[index]!;
    return encodeWindow(
      events,
      { accountId: pair.accountId, region: pair.region, windowEnd: now },
      this.rng,
      // A stream writes no digests, so nothing reads the files' hashes.
      { location: this.p.location, gzipLevel: this.p.scenario.gzipLevel, deliveryTime: now, hashRaw: false },
    );
  }

  /** The log files of every pair that holds records, delivered at `now`. */
  deliverAll(now: number): LogFile[] {
    const files: LogFile[] = [];
    for (const index of [...this.buffers.keys()].sort((a, b) => a - b))
      files.push(...this.deliver(index, now));
    return files;
  }
}
