const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const DAY = 86_400_000;

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the way CloudTrail writes times: UTC, whole seconds. Plain arithmetic
 * (Hinnant's civil-from-days) rather than a Date per call: it runs once per record.
 *
 * @example isoSeconds(Date.UTC(2026, 10, 1, 12, 5, 9)) // '2026-11-01T12:05:09Z'
 */
export function isoSeconds(ms: number): string {
  const days = Math.floor(ms / DAY);
  const secs = Math.floor((ms - days * DAY) / 1000);
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
  const h = Math.floor(secs / 3600);
  const m = Math.floor(secs / 60) % 60;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(m)}:${pad2(secs % 60)}Z`;
}
