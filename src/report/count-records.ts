import { principalOf, type TreeStats } from '../stats/collect.js';
import { actorOf, clientOf, errorKindOf } from './client-of.js';
import { HOUR, TOP_CALLERS, type Caller, type ReportData, type Row } from './report-data.js';

/** A record's fields the report reads, beyond those `trailsim stats` counts. */
interface RecordFields {
  eventTime?: string;
  eventName?: string;
  awsRegion?: string;
  errorCode?: string;
  userAgent?: string;
  recipientAccountId?: string;
  userIdentity?: { type?: string; accountId?: string };
}

interface CallerCounts {
  identityType: string;
  count: number;
  errors: number;
  denied: number;
  clients: Map<string, number>;
}

/** Per hour: calls by actor and identity type, and failed calls by kind. */
interface HourCounts {
  person: Map<string, number>;
  automation: Map<string, number>;
  denied: number;
  throttled: number;
  other: number;
}

const bump = <K>(m: Map<K, number>, k: K, by = 1): void => {
  m.set(k, (m.get(k) ?? 0) + by);
};

/**
 * The counters the report keeps beside `trailsim stats`' own, fed one log file at a time: what it
 * keeps grows with the hours, principals and places of a tree, not with its records.
 *
 * @example
 * const counter = new RecordCounter();
 * const stats = collectStats('out', (body) => counter.add(body.Records));
 * counter.finish(stats).operations[0]; // { name: 'ListInsights', count: 612, errors: 21 }
 */
export class RecordCounter {
  private readonly hours = new Map<number, HourCounts>();
  private readonly opErrors = new Map<string, number>();
  private readonly regionErrors = new Map<string, number>();
  private readonly identityErrors = new Map<string, number>();
  private readonly accounts = new Map<string, Row>();
  private readonly clients = new Map<string, number>();
  private readonly clientErrors = new Map<string, number>();
  private readonly callers = new Map<string, CallerCounts>();

  add(records: unknown[]): void {
    for (const raw of records as RecordFields[]) {
      const type = raw.userIdentity?.type ?? '(none)';
      const client = clientOf(raw.userAgent);
      const error = raw.errorCode;
      const kind = error === undefined ? undefined : errorKindOf(error);
      const failed = error === undefined ? 0 : 1;
      bump(this.clients, client);
      const account = raw.recipientAccountId ?? raw.userIdentity?.accountId ?? '(none)';
      const row = this.accounts.get(account) ?? { name: account, count: 0, errors: 0 };
      row.count++;
      row.errors += failed;
      this.accounts.set(account, row);
      const principal = principalOf(raw as Parameters<typeof principalOf>[0]);
      let caller = this.callers.get(principal);
      if (!caller) {
        caller = { identityType: type, count: 0, errors: 0, denied: 0, clients: new Map() };
        this.callers.set(principal, caller);
      }
      caller.count++;
      bump(caller.clients, client);
      if (kind !== undefined) {
        bump(this.opErrors, raw.eventName ?? '(none)');
        bump(this.regionErrors, raw.awsRegion ?? '(none)');
        bump(this.identityErrors, type);
        bump(this.clientErrors, client);
        caller.errors++;
        if (kind === 'denied') caller.denied++;
      }
      // Hours as `trailsim stats` buckets them: records without a readable time are in no hour.
      const t = raw.eventTime ? Date.parse(raw.eventTime) : NaN;
      if (Number.isNaN(t)) continue;
      const hour = Math.floor(t / HOUR) * HOUR;
      let h = this.hours.get(hour);
      if (!h) {
        h = { person: new Map(), automation: new Map(), denied: 0, throttled: 0, other: 0 };
        this.hours.set(hour, h);
      }
      bump(h[actorOf(type, client)], type);
      if (kind !== undefined) h[kind]++;
    }
  }

  /** The report's record figures; totals and per-dimension counts are `stats`' own. */
  finish(
    stats: TreeStats,
  ): Omit<
    ReportData,
    | 'tree'
    | 'digestFiles'
    | 'digestHours'
    | 'chains'
    | 'markers'
    | 'manifest'
    | 'manifests'
    | 'manifestProblems'
  > {
    const rows = (counts: Record<string, number>, errors: Map<string, number>): Row[] =>
      sortRows(
        Object.entries(counts).map(([name, count]) => ({ name, count, errors: errors.get(name) ?? 0 })),
      );
    const identities = rows(stats.byIdentityType, this.identityErrors);
    const identityTypes = identities.map((r) => r.name);
    const hours: number[] = [];
    if (stats.first !== null && stats.last !== null)
      for (let t = Math.floor(stats.first / HOUR) * HOUR; t <= stats.last; t += HOUR) hours.push(t);
    const series = (actor: 'person' | 'automation'): number[][] =>
      identityTypes.map((type) => hours.map((t) => this.hours.get(t)?.[actor].get(type) ?? 0));
    const errorSeries = (kind: 'denied' | 'throttled' | 'other'): number[] =>
      hours.map((t) => this.hours.get(t)?.[kind] ?? 0);
    const errorCodes = Object.entries(stats.byErrorCode)
      .filter(([code]) => code !== '(none)')
      .map(([name, count]) => ({ name, count, errors: count, kind: errorKindOf(name) }));
    const callers = [...this.callers].map(([name, c]): Caller => ({
      name,
      ...c,
      clients: sortRows([...c.clients].map(([client, count]) => ({ name: client, count }))),
    }));
    const byErrors = [...callers]
      .filter((c) => c.errors > 0)
      .sort((a, b) => b.errors - a.errors || b.denied - a.denied || compare(a.name, b.name));
    const errorsOf = (kind: string): number =>
      errorCodes.filter((e) => e.kind === kind).reduce((n, e) => n + e.count, 0);
    return {
      records: stats.records,
      files: stats.files,
      first: stats.first,
      last: stats.last,
      errors: stats.records - (stats.byErrorCode['(none)'] ?? 0),
      denied: errorsOf('denied'),
      throttled: errorsOf('throttled'),
      principals: Object.keys(stats.byPrincipal).length,
      identityTypes,
      hours,
      byHour: { person: series('person'), automation: series('automation') },
      errorsByHour: {
        denied: errorSeries('denied'),
        throttled: errorSeries('throttled'),
        other: errorSeries('other'),
      },
      operations: rows(stats.byOperation, this.opErrors),
      regions: rows(stats.byRegion, this.regionErrors),
      accounts: sortRows([...this.accounts.values()]),
      identities,
      errorCodes: sortRows(errorCodes),
      clients: rows(Object.fromEntries(this.clients), this.clientErrors),
      callers: sortRows(callers).slice(0, TOP_CALLERS),
      failingCallers: byErrors.slice(0, TOP_CALLERS),
    };
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Busiest first; ties by name, so the page is the same for the same tree. */
function sortRows<T extends { name: string; count: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.count - a.count || compare(a.name, b.name));
}
