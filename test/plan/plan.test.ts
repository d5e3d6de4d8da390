import { pollDueIn } from '../../src/plan/polls.js';
import { describe, expect, it } from 'vitest';
import { planWindows, WINDOW_MS } from '../../src/plan/plan.js';
import { MAX_CALLS_PER_PART } from '../../src/plan/window.js';
import { DEFAULT_CURVE } from '../../src/scenario/curve-settings.js';
import { buildWorld } from '../../src/world/world.js';
import { DEFAULT_IDENTITY_MIX } from '../../src/scenario/scenario.js';
import { defaultEntities } from '../helpers/entities.js';

const DAY = 86_400_000;
const start = Date.parse('2026-11-02T00:00:00Z'); // a Monday
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

function plan(seed: number, events: number, span = DAY, from = start) {
  return planWithWorld(seed, events, span, from).windows;
}

function planWithWorld(seed: number, events: number, span = DAY, from = start) {
  const world = buildWorld({
    seed,
    start: from,
    end: from + span,
    accounts: 2,
    regions,
    identityMix: DEFAULT_IDENTITY_MIX,
    organization: false,
    duties: {},
    entities: defaultEntities(),
  });
  const windows = [
    ...planWindows(world, { seed, start: from, end: from + span, events, regions, curve: DEFAULT_CURVE }, []),
  ];
  return { world, windows };
}

describe('planWindows', () => {
  it('distributes exactly the requested total, for any seed, count and span', () => {
    for (const [seed, events, span] of [
      [1, 0, DAY],
      [2, 1, DAY],
      [3, 997, 3 * DAY],
      [4, 50_000, DAY],
      [5, 10, 7 * 60_000],
    ] as const) {
      const { world, windows } = planWithWorld(seed, events, span);
      expect(windows.reduce((s, w) => s + w.count, 0)).toBe(events);
      // A window without random calls is there for a scheduled poll due in it.
      for (const w of windows)
        if (w.count === 0)
          expect(pollDueIn(world, world.accounts[w.accountIndex]!, w.region, w.start, w.end)).toBe(true);
    }
  });

  it('yields windows in time order, inside the period, five minutes or less', () => {
    const from = start + 123_000; // not on a window boundary
    const windows = plan(9, 5000, DAY, from);
    let last = -Infinity;
    for (const w of windows) {
      expect(w.start).toBeGreaterThanOrEqual(last);
      expect(w.start).toBeGreaterThanOrEqual(from);
      expect(w.end).toBeLessThanOrEqual(from + DAY);
      expect(w.end - w.start).toBeLessThanOrEqual(WINDOW_MS);
      last = w.start;
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const a = plan(11, 3000).map((w) => `${w.accountIndex}/${w.region}/${w.start}/${w.count}`);
    expect(plan(11, 3000).map((w) => `${w.accountIndex}/${w.region}/${w.start}/${w.count}`)).toEqual(a);
    expect(plan(12, 3000).map((w) => `${w.accountIndex}/${w.region}/${w.start}/${w.count}`)).not.toEqual(a);
  });

  it('puts more calls in working hours than at night, and more on weekdays than at weekends', () => {
    const span = 7 * DAY;
    const world = buildWorld({
      seed: 21,
      start,
      end: start + span,
      accounts: 2,
      regions,
      identityMix: DEFAULT_IDENTITY_MIX,
      organization: false,
      duties: {},
      entities: defaultEntities(),
    });
    const windows = [
      ...planWindows(
        world,
        { seed: 21, start, end: start + span, events: 100_000, regions, curve: DEFAULT_CURVE },
        [],
      ),
    ];
    let day = 0;
    let night = 0;
    let weekday = 0;
    let weekend = 0;
    for (const w of windows) {
      // Each account works in its own time zone.
      const local = new Date(w.start + world.accounts[w.accountIndex]!.utcOffset * 3_600_000);
      const h = local.getUTCHours();
      const isWeekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
      if (isWeekend) weekend += w.count;
      else weekday += w.count;
      if (!isWeekend && h >= 10 && h < 16) day += w.count;
      if (!isWeekend && h >= 0 && h < 5) night += w.count;
    }
    // Per hour: six working hours against five night hours.
    expect(day / 6).toBeGreaterThan((2 * night) / 5);
    // Automation keeps running at weekends; people mostly do not.
    expect(weekday / 5).toBeGreaterThan((1.5 * weekend) / 2);
  });

  it('splits a busy window into parts of at most a file, keeping the exact total', () => {
    const world = buildWorld({
      seed: 5,
      start,
      end: start + 3_600_000,
      accounts: 1,
      regions: ['us-east-1'],
      identityMix: DEFAULT_IDENTITY_MIX,
      organization: false,
      duties: {},
      entities: defaultEntities(),
    });
    const windows = [
      ...planWindows(
        world,
        {
          seed: 5,
          start,
          end: start + 3_600_000,
          events: 200_000,
          regions: ['us-east-1'],
          curve: DEFAULT_CURVE,
        },
        [],
      ),
    ];
    expect(windows.reduce((s, w) => s + w.count, 0)).toBe(200_000);
    expect(Math.max(...windows.map((w) => w.count))).toBeLessThanOrEqual(MAX_CALLS_PER_PART);
    const parted = windows.filter((w) => (w.part ?? 0) > 0);
    expect(parted.length).toBeGreaterThan(0);
    for (const w of parted) expect(w.scheduled).toEqual([]);
    // Parts of one window follow each other, numbered from 0.
    for (let i = 1; i < windows.length; i++) {
      const w = windows[i]!;
      if (w.part) expect(windows[i - 1]!.start).toBe(w.start);
      if (w.part) expect(windows[i - 1]!.part ?? 0).toBe(w.part - 1);
    }
  });
});
