import type { Rng } from '../shared/rng.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When a person works: their home time zone, the local hours of their working day and the days of
 * the week they work. Drawn once per person; calls of people fall inside it, and a principal that
 * several people share (a permission set) works the hours they all work.
 */
export interface WorkHours {
  /** UTC offset of the person's home, in hours (the office's). */
  utcOffset: number;
  /** Local hour the working day starts, 0..23. */
  from: number;
  /** Local hour it ends (exclusive), from+1..24. */
  to: number;
  /** Working days, Sunday (0) to Saturday (6). */
  days: readonly boolean[];
}

/** Monday to Friday. */
const WEEKDAYS = [false, true, true, true, true, true, false] as const;

/**
 * Draws a person's working hours in the office's time zone: a start between 7 and 10 and a day of
 * eight to ten hours, Monday to Friday.
 *
 * @example drawHours(rng, -5) // { utcOffset: -5, from: 9, to: 18, days: [false, true, …, false] }
 */
export function drawHours(rng: Rng, utcOffset: number): WorkHours {
  const from = rng.pick([7, 8, 8, 9, 9, 9, 10]);
  return { utcOffset, from, to: from + rng.pick([8, 9, 9, 10]), days: WEEKDAYS };
}

/**
 * The hours several people all work (they share an office, so one time zone): the latest start to
 * the earliest end, on the days all of them work. With nobody, or nobody in common, the first
 * person's hours.
 */
export function commonHours(all: readonly WorkHours[]): WorkHours | null {
  const first = all[0];
  if (!first) return null;
  let from = first.from;
  let to = first.to;
  for (const h of all) {
    from = Math.max(from, h.from);
    to = Math.min(to, h.to);
  }
  if (to <= from) return first;
  const days = first.days.map((d, i) => d && all.every((h) => h.days[i]));
  return { utcOffset: first.utcOffset, from, to, days: days.some(Boolean) ? days : first.days };
}

/** The local time at `t` in a time zone: hour of the day (fractional) and day of the week. */
export function localTime(t: number, utcOffset: number): { hour: number; weekday: number } {
  const local = t + utcOffset * HOUR;
  const inDay = ((local % DAY) + DAY) % DAY;
  // 1970-01-01 was a Thursday (4).
  const weekday = (((Math.floor(local / DAY) + 4) % 7) + 7) % 7;
  return { hour: inDay / HOUR, weekday };
}

/** Whether `t` falls in working hours on a working day. */
export function isWorkingTime(h: WorkHours, t: number): boolean {
  const { hour, weekday } = localTime(t, h.utcOffset);
  return h.days[weekday] === true && hour >= h.from && hour < h.to;
}
