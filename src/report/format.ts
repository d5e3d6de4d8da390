/** Number and time formatting of the page: fixed, not the browser's locale. */

/** @example count(12345) // '12,345' */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** @example percent(0.04213) // '4.2%' */
export function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

/** @example hourLabel(Date.UTC(2026, 10, 1, 14)) // '11-01 14:00' */
export function hourLabel(t: number): string {
  return new Date(t).toISOString().slice(5, 16).replace('T', ' ');
}

/** @example dayLabel(Date.UTC(2026, 10, 1, 14)) // '2026-11-01 Sun' */
export function dayLabel(t: number): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(t).getUTCDay()];
  return `${new Date(t).toISOString().slice(0, 10)} ${day}`;
}

/** @example utc(Date.UTC(2026, 10, 1, 14, 3)) // '2026-11-01 14:03 UTC' */
export function utc(t: number | null): string {
  return t === null ? '–' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A principal's ARN, short enough for an axis: the account and the resource
 * (`arn:aws:iam::1234…:role/Deploy` → `1234… role/Deploy`); service names stay as they are.
 */
export function shortPrincipal(arn: string): string {
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!m) return arn;
  const what = m[2]!.replace(/^assumed-role\//, 'role/');
  return `${m[1]} ${what.length > 38 ? `${what.slice(0, 37)}…` : what}`;
}
