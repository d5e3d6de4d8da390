import type { LogFile } from '../layout/log-file.js';
import { datePath } from '../layout/keys.js';
import type { Rng } from '../shared/rng.js';
import { isoSeconds } from '../shared/time.js';

/** Defaults of the cases' options (schemas/edge-cases.schema.json says the same). */
export const DEFAULTS = {
  lateHours: 3,
  oldHours: 30,
  oldRecords: 5,
  duplicates: 3,
  burstRecords: 20_000,
  zone: 'America/Los_Angeles',
};

/** A log file after a delivery case: what is delivered in its place now, and what comes later. */
export interface Delivered {
  now: LogFile | undefined;
  later: LogFile[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The label text of a file moved from `from` to `to`. */
export function lateBy(from: LogFile, to: LogFile): string {
  const hours = (to.deliveryTime - from.deliveryTime) / HOUR;
  return (
    `delivered ${hours} h late, at ${isoSeconds(to.deliveryTime)}: its newest event is of ` +
    `${isoSeconds(from.newestEventTime)}, and a later digest than that hour's lists it`
  );
}

/**
 * For a file delivered in the hour before a UTC midnight that is inside the run (up to `latest`):
 * a delivery one to four minutes after that midnight, into the next day's folder, and the label
 * text. Undefined when the file is not in such an hour.
 */
export function dayBoundary(
  delivery: number,
  latest: number,
  rng: Rng,
): { time: number; what: (zone: string) => string } | undefined {
  const midnight = Math.floor(delivery / DAY) * DAY + DAY;
  const time = midnight + rng.int(60, 240) * 1000;
  if (midnight - delivery > HOUR || time > latest) return undefined;
  return {
    time,
    what: (zone) =>
      `events of ${isoSeconds(midnight - DAY).slice(0, 10)} (UTC) in folder ${datePath(time)}, ` +
      `which begins at ${localTime(midnight, zone)} in ${zone}`,
  };
}

/** `YYYY-MM-DD HH:mm` of an instant in an IANA time zone (fixed digits, no locale words). */
function localTime(t: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(t));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
