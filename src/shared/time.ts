const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const DAY = 86_400_000;

/** `YYYY-MM-DDT` of a day since the epoch, by Hinnant's civil-from-days. */
function dayPrefix(days: number): string {
  // https://howardhinnant.github.io/date_algorithms.html#civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}T`;
}

/** `00` … `59`. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => pad2(i));
/** The day `isoSeconds` formatted last: calls come in runs within a day. */
let lastDay = NaN;
let lastDayPrefix = '';

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the way CloudTrail writes times: UTC, whole seconds. Plain arithmetic
 * rather than a Date per call, and the date part kept from the previous call on the same day: it
 * runs for every record and for the times in request parameters.
 *
 * @example isoSeconds(Date.UTC(2026, 10, 1, 12, 5, 9)) // '2026-11-01T12:05:09Z'
 */
export function isoSeconds(ms: number): string {
  const days = Math.floor(ms / DAY);
  if (days !== lastDay) {
    lastDayPrefix = dayPrefix(days);
    lastDay = days;
  }
  const secs = Math.floor((ms - days * DAY) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor(secs / 60) % 60;
  return `${lastDayPrefix}${TWO_DIGITS[h]!}:${TWO_DIGITS[m]!}:${TWO_DIGITS[secs % 60]!}Z`;
}

const DIGIT_0 = 0x30;
/** The last day `isoSecondsInto` wrote, and its `YYYY-MM-DDT` bytes. */
let cachedDay = NaN;
const cachedDayBytes = Buffer.alloc(11);
/** The ASCII codes of the tens and the ones digit of 0..59. */
const TENS = Uint8Array.from({ length: 60 }, (_, i) => DIGIT_0 + Math.floor(i / 10));
const ONES = Uint8Array.from({ length: 60 }, (_, i) => DIGIT_0 + (i % 10));

/**
 * Writes `isoSeconds(ms)` as 20 ASCII bytes at `at`, for records rendered straight into bytes.
 *
 * @example isoSecondsInto(buf, 0, Date.UTC(2026, 10, 1, 12, 5, 9)) // buf holds 2026-11-01T12:05:09Z
 */
export function isoSecondsInto(target: Uint8Array, at: number, ms: number): void {
  const days = Math.floor(ms / DAY);
  if (days !== cachedDay) {
    cachedDayBytes.write(dayPrefix(days), 0, 'latin1');
    cachedDay = days;
  }
  target.set(cachedDayBytes, at);
  const secs = Math.floor((ms - days * DAY) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor(secs / 60) % 60;
  const s = secs % 60;
  // Digits from tables, not `Math.floor(h / 10)` (docs/hot-path.md, rule 4).
  target[at + 11] = TENS[h]!;
  target[at + 12] = ONES[h]!;
  target[at + 13] = 0x3a; // :
  target[at + 14] = TENS[m]!;
  target[at + 15] = ONES[m]!;
  target[at + 16] = 0x3a;
  target[at + 17] = TENS[s]!;
  target[at + 18] = ONES[s]!;
  target[at + 19] = 0x5a; // Z
}
