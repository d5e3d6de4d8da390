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
 * A principal's ARN, short enough for an axis: the account, the kind and the last part of the
 * name, without the suffix Identity Center adds to its roles
 * (`arn:aws:iam::1234…:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_5a6c…`
 * → `1234… role/AWSReservedSSO_Admin`); service names stay as they are.
 */
export function shortPrincipal(arn: string): string {
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):([a-z-]+)\/(.+)$/.exec(arn);
  if (!m) return arn.replace(/^arn:aws[a-z-]*:iam::(\d{12}):root$/, '$1 root');
  const kind = m[2] === 'assumed-role' ? 'role' : m[2]!;
  const name = m[3]!
    .split('/')
    .pop()!
    .replace(/^(AWSReservedSSO_.+)_[0-9a-f]{16}$/, '$1');
  return `${m[1]} ${kind}/${name.length > 36 ? `${name.slice(0, 35)}…` : name}`;
}
