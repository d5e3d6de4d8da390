import { Rng } from '../shared/rng.js';
import { isReadOnlyRecord, toEventBridge } from '../layout/eventbridge.js';
import { MinHeap } from './min-heap.js';
import { windowLabel } from '../plan/window.js';
import { windowsOf, type Prepared } from './generate.js';
import { renderIncidents } from '../incidents/render.js';

/**
 * How far before its window's start a record can be: the renderer delivers now and then a call
 * from 2 to 12 minutes before the window (src/render/engine.ts), as CloudTrail does.
 */
export const MAX_LATE_MS = 12 * 60_000;

/** How records are written as lines: CloudTrail records, or EventBridge events wrapping them. */
export type LineFormat = 'cloudtrail' | 'eventbridge';

export interface RecordLineOptions {
  /**
   * With the eventbridge format: false leaves out read-only calls, as EventBridge does for a rule
   * in state ENABLED (only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS receives them). Default true.
   */
  readOnlyEvents?: boolean;
}

interface Pending {
  time: number;
  seq: number;
  line: string;
}

const byTimeThenPlan = (a: Pending, b: Pending): number => a.time - b.time || a.seq - b.seq;

/**
 * The records of a run as JSON lines in event-time order across all accounts, Regions and windows
 * (ties in plan order), for `--out -`. Windows come in time order and a record is at most
 * MAX_LATE_MS before its window, so a record is released as soon as no later window can hold an
 * earlier one: memory is about a quarter of an hour of records, whatever the run's length.
 *
 * @example
 * for (const line of recordLines(prepare(resolveScenario({ seed: 7, events: 100 })), 'cloudtrail'))
 *   process.stdout.write(`${line}\n`);
 */
export function* recordLines(
  p: Prepared,
  format: LineFormat,
  opts: RecordLineOptions = {},
): Generator<string> {
  const skipReadOnly = format === 'eventbridge' && opts.readOnlyEvents === false;
  const heap = new MinHeap<Pending>(byTimeThenPlan);
  const root = new Rng(p.scenario.seed).fork('eventbridge');
  let seq = 0;
  let released = -Infinity;
  // An incident's records are few: they wait in the heap from the start, released in time order.
  for (const incident of p.incidents ? renderIncidents(p, p.incidents) : [])
    for (const e of incident.lines) {
      const [account, region] = [
        incident.label.accountId,
        String((JSON.parse(e.json) as { awsRegion: string }).awsRegion),
      ];
      const rng = format === 'eventbridge' ? root.fork(`incident/${incident.label.id}/${seq}`) : undefined;
      const line = rng ? toEventBridge(e.json, { account, region, time: e.time }, rng) : e.json;
      if (skipReadOnly && isReadOnlyRecord(e.json)) continue;
      heap.push({ time: e.time, seq: seq++, line });
    }
  for (const w of windowsOf(p)) {
    const watermark = w.start - MAX_LATE_MS;
    while (heap.size > 0 && heap.peek()!.time < watermark) {
      const next = heap.pop()!;
      released = next.time;
      yield next.line;
    }
    const account = p.world.accounts[w.accountIndex]!.id;
    const rng = format === 'eventbridge' ? root.fork(windowLabel(account, w)) : undefined;
    for (const e of p.renderer.renderWindow(w)) {
      if (e.time < released)
        throw new Error(`a record at ${e.time} is more than MAX_LATE_MS before its window (a bug)`);
      const line = rng ? toEventBridge(e.json, { account, region: w.region, time: e.time }, rng) : e.json;
      // Wrapped first, so that an event's id is the same whether or not read-only calls are kept.
      if (skipReadOnly && isReadOnlyRecord(e.json)) continue;
      heap.push({ time: e.time, seq: seq++, line });
    }
  }
  while (heap.size > 0) yield heap.pop()!.line;
}
