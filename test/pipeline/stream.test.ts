import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/shared/clock.js';
import { prepare } from '../../src/pipeline/generate.js';
import { streamEvents, streamShardFilter } from '../../src/pipeline/stream.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { validateLogFile } from '../../src/shared/schema-validator.js';
import type { Sink, SinkObject } from '../../src/sinks/sink.js';
import { readTree, runCli } from '../helpers/s3-servers.js';
import { CLI, scratchFolder } from '../helpers/tree.js';

const START = Date.UTC(2026, 10, 25, 12, 0, 0, 250);

/** A clock that moves only when the stream sleeps, and by a little on every read (render time). */
function fakeClock(start: number): Clock & { t: number } {
  const c = {
    t: start,
    now: () => (c.t += 3),
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

class MemorySink implements Sink {
  readonly puts: { at: number; object: SinkObject }[] = [];
  closed = false;
  constructor(private readonly clock: Clock & { t: number }) {}
  async put(object: SinkObject): Promise<void> {
    this.puts.push({ at: this.clock.t, object });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  async abort(): Promise<void> {}
}

function recordsOf(body: Uint8Array): { eventTime: string }[] {
  return (JSON.parse(gunzipSync(body).toString()) as { Records: { eventTime: string }[] }).Records;
}

const scenario = resolveScenario({
  seed: 3,
  start: new Date(START).toISOString(),
  events: 0,
  regions: 'us-east-1,eu-west-1,ap-southeast-2',
});

describe('streamEvents with a fake clock', () => {
  for (const workers of [0, 2])
    it(`delivers exactly rate × duration records, file by file every interval, stamped with the time (${workers} workers)`, async () => {
      const clock = fakeClock(START);
      const sink = new MemorySink(clock);
      const final = await streamEvents(
        prepare(scenario),
        { kind: 'files', sink },
        { rate: 2000, durationMs: 3000, intervalMs: 1000, clock, stopped: () => false, workers },
      );
      const records = sink.puts.flatMap((p) => recordsOf(p.object.body));
      expect(records).toHaveLength(6000);
      expect(new Set(records.map((r) => (r as { eventID?: string }).eventID)).size).toBe(6000);
      expect(final.events).toBe(6000);
      expect(final.files).toBe(sink.puts.length);
      expect(sink.closed).toBe(true);
      // Delivered as it went: at three interval boundaries and at the end, not all at close.
      const deliveries = new Set(sink.puts.map((p) => Math.floor((p.at - START) / 1000)));
      expect(deliveries.size).toBeGreaterThanOrEqual(3);
      for (const p of sink.puts)
        expect(validateLogFile(JSON.parse(gunzipSync(p.object.body).toString()))).toEqual([]);
      const times = records.map((r) => Date.parse(r.eventTime));
      expect(Math.max(...times)).toBeLessThan(START + 3100);
      // Whole seconds: the start's own second at the earliest, never before the stream began.
      expect(Math.min(...times)).toBeGreaterThanOrEqual(START - 250);
      // The file name carries the delivery minute of the stream's clock.
      expect(sink.puts[0]!.object.key).toMatch(/_20261125T1200Z_[A-Za-z0-9]{16}\.json\.gz$/);
    });

  it('stamps every record within the delivery window it is delivered in, never before the stream began', async () => {
    const clock = fakeClock(START);
    const sink = new MemorySink(clock);
    // Enough calls that CloudTrail's occasional late delivery (a call from minutes before) comes up.
    await streamEvents(
      prepare(scenario),
      { kind: 'files', sink },
      { rate: 10_000, durationMs: 3000, intervalMs: 1000, clock, stopped: () => false },
    );
    let previousDelivery = START;
    let checked = 0;
    for (const p of sink.puts) {
      for (const r of recordsOf(p.object.body)) {
        const t = Date.parse(r.eventTime);
        // Whole seconds: a window's start is taken down to its second.
        expect(t).toBeGreaterThanOrEqual(Math.floor(Math.max(START, previousDelivery - 1000) / 1000) * 1000);
        expect(t).toBeLessThanOrEqual(p.at + 1000);
        checked++;
      }
      previousDelivery = Math.max(previousDelivery, Math.floor((p.at - START) / 1000) * 1000 + START);
    }
    expect(checked).toBe(30_000);
  });

  it('shards: two streams of one seed share out the accounts and Regions, together exactly the rate', async () => {
    const prepared = prepare(scenario);
    const keysOf = (puts: { object: SinkObject }[]) =>
      new Set(puts.map((x) => x.object.key.split('/CloudTrail/')[0]! + x.object.key.split('/')[3]));
    const runs = [];
    for (const index of [0, 1]) {
      const clock = fakeClock(START);
      const sink = new MemorySink(clock);
      const final = await streamEvents(
        prepared,
        { kind: 'files', sink },
        {
          rate: 2000,
          durationMs: 2000,
          intervalMs: 1000,
          clock,
          stopped: () => false,
          includes: streamShardFilter(prepared, { index, count: 2 }),
        },
      );
      const records = sink.puts.flatMap((x) => recordsOf(x.object.body));
      expect(final.events).toBe(records.length);
      expect(final.due).toBeGreaterThanOrEqual(final.events - 1);
      runs.push({ records: records.length, pairs: keysOf(sink.puts) });
    }
    expect(runs[0]!.records + runs[1]!.records).toBe(4000);
    expect(runs[0]!.records).toBeGreaterThan(0);
    expect(runs[1]!.records).toBeGreaterThan(0);
    for (const pair of runs[0]!.pairs) expect(runs[1]!.pairs.has(pair)).toBe(false);
  });

  it('paces by count: the number emitted follows the clock, whatever the tick', async () => {
    const clock = fakeClock(START);
    const lines: string[] = [];
    const writer = {
      open: true,
      write: async (l: string) => {
        lines.push(l);
        return true;
      },
      end: async () => undefined,
    };
    const reports: number[] = [];
    await streamEvents(
      prepare(scenario),
      { kind: 'lines', writer: writer as never, format: 'eventbridge' },
      {
        rate: 20_000,
        durationMs: 1500,
        intervalMs: 300_000,
        tickMs: 37,
        reportMs: 500,
        clock,
        stopped: () => false,
        onReport: (r) => reports.push(r.events),
      },
    );
    expect(lines).toHaveLength(30_000);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      source: 'aws.devops-guru',
      'detail-type': 'AWS API Call via CloudTrail',
    });
    // Reports every half second of clock show the count growing at the rate (±1 batch).
    for (let i = 1; i < reports.length - 1; i++)
      expect(Math.abs(reports[i]! - reports[i - 1]! - 10_000)).toBeLessThan(1000);
  });

  it('stops when told, delivering the open interval and closing the sink', async () => {
    const clock = fakeClock(START);
    const sink = new MemorySink(clock);
    const final = await streamEvents(
      prepare(scenario),
      { kind: 'files', sink },
      { rate: 1000, intervalMs: 300_000, clock, stopped: () => clock.t - START >= 1500 },
    );
    const records = sink.puts.flatMap((p) => recordsOf(p.object.body));
    expect(records.length).toBe(final.events);
    expect(final.events).toBeGreaterThanOrEqual(1500);
    expect(final.events).toBeLessThanOrEqual(1700);
    expect(sink.closed).toBe(true);
  });
});

describe('streamEvents that cannot keep up', () => {
  it('ends on time, short of its target, and reports what was due', async () => {
    // Every clock read costs 40 ms: rendering is far slower than the rate asks.
    const clock = { t: START, now: () => (clock.t += 40), sleep: async (ms: number) => void (clock.t += ms) };
    const sink = new MemorySink(clock);
    const final = await streamEvents(
      prepare(scenario),
      { kind: 'files', sink },
      { rate: 50_000, durationMs: 1000, intervalMs: 300_000, tickMs: 10, clock, stopped: () => false },
    );
    expect(final.due).toBe(50_000);
    expect(final.events).toBeLessThan(final.due);
    expect(sink.puts.flatMap((p) => recordsOf(p.object.body))).toHaveLength(final.events);
    expect(final.recentRate).toBeCloseTo(final.events, -1);
  });
});

describe('trailsim stream (real clock)', () => {
  const work = scratchFolder('stream-test');

  const countRecords = (dir: string): number => {
    let n = 0;
    for (const [key, body] of readTree(dir)) if (key.endsWith('.json.gz')) n += recordsOf(body).length;
    return n;
  };

  it('--rate 2000/s --duration 3s delivers 6,000 records (±1%) into files, and a manifest', async () => {
    const dir = join(work, 'timed');
    const r = await runCli([
      'stream',
      '--rate',
      '2000/s',
      '--duration',
      '3s',
      '--interval',
      '1s',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const n = countRecords(dir);
    expect(Math.abs(n - 6000)).toBeLessThanOrEqual(60);
    const tree = readTree(dir);
    const manifest = JSON.parse(tree.get('trailsim-manifest.json')!.toString()) as {
      files: { key: string }[];
    };
    expect(manifest.files.map((f) => f.key).sort()).toEqual(
      [...tree.keys()].filter((k) => k.endsWith('.gz')).sort(),
    );
    expect([...tree.keys()].filter((k) => k.includes('.trailsim-'))).toEqual([]);
    expect(r.stderr).toMatch(/trailsim stream: 6,000 events, \d+ files in 3\.\d s; average 2,0\d\d\/s/);
  });

  it('rejects flags that do not apply, and bad rates, in one line', async () => {
    const a = await runCli(['stream', '--rate', '10/s', '--events', '5', '--out', join(work, 'never')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(
      'trailsim: --events: does not apply to stream: it runs from now, at --rate, for --duration\n',
    );
    const b = await runCli(['stream', '--rate', 'lots', '--out', join(work, 'never')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^trailsim: --rate: "lots" is not a rate such as 2000\/s[^\n]*\n$/);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  it('stops cleanly on SIGINT: exit 0, the open interval delivered, no partial file', async () => {
    const dir = join(work, 'interrupted');
    const child = spawn(process.execPath, [CLI, 'stream', '--rate', '500/s', '--out', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Wait until the stream has started writing (its staging folder exists), then a little more.
    const deadline = performance.now() + 30_000;
    while (!(existsSync(dir) && readdirSync(dir).length > 0) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stderr).toBe(0);
    const tree = readTree(dir);
    expect([...tree.keys()].filter((k) => k.includes('.trailsim-'))).toEqual([]);
    expect(tree.has('trailsim-manifest.json')).toBe(true);
    const n = countRecords(dir);
    expect(n).toBeGreaterThan(300);
    const reported = /trailsim stream: ([\d,]+) events/.exec(stderr.trim().split('\n').at(-1)!)!;
    expect(Number(reported[1]!.replace(/,/g, ''))).toBe(n);
    expect(readFileSync(join(dir, 'trailsim-manifest.json'), 'utf8')).toContain('"stream"');
  });
});
