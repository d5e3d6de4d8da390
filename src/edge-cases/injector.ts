import { gunzipSync } from 'node:zlib';
import { logFileKey } from '../layout/keys.js';
import type { LogFile } from '../layout/log-file.js';
import type { SinkObject } from '../layout/sink-object.js';
import { EDGE_CASE_KINDS, type EdgeCaseKind, type EdgeCases } from '../scenario/edge-cases.js';
import { Rng } from '../shared/rng.js';
import { BROKEN_BODIES, isBrokenBodyKind } from './broken-body.js';
import { sortLabels, type EdgeCaseLabel, type EdgeCaseReport } from './label.js';
import { buildLogFile, readRecords, recordsText, redeliver, uniquePart } from './log-file-edit.js';
import { distinct, placeOf, planEdgeCases, type EdgeCasePlan } from './plan.js';
import type { EdgeCaseRun } from './run.js';
import { dayBoundary, DEFAULTS, lateBy, type Delivered } from './delivery-cases.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Injects a scenario's edge cases into a run, at places drawn from its own random stream (forked
 * from the seed by `edge-cases`), so every object no case touches keeps its bytes.
 *
 * Two hooks around the digest stage: `files` reshapes the stream of log files before digests are
 * made of it (what CloudTrail itself does: late, duplicate, old, out-of-order and burst files, which
 * the digests list as CloudTrail's would), and `store` breaks objects after (what a bucket suffers:
 * corrupt or missing objects, a missing digest, a bad signature, a stray key), so digests still
 * describe the objects as they were delivered.
 *
 * @example
 * const edge = new EdgeCaseInjector(run, scenario.edgeCases);
 * for await (const f of edge.files(source)) for (const o of edge.store(logObject(f))) await sink.put(o);
 */
export class EdgeCaseInjector {
  private readonly plan: EdgeCasePlan;
  private readonly rng: Rng;
  private readonly labels: EdgeCaseLabel[] = [];
  /** Log files chosen for a case applied when they are stored, by key. */
  private readonly atStore = new Map<string, EdgeCaseKind>();
  private readonly skipKeys: string[] = [];
  private readableRecords = 0;
  /** The latest a moved or added file is delivered: the run's digests end where they would anyway. */
  private readonly latest: number;

  constructor(
    private readonly run: EdgeCaseRun,
    private readonly profile: EdgeCases,
  ) {
    this.rng = new Rng(run.scenario.seed).fork('edge-cases');
    this.plan = planEdgeCases(run, profile.cases ?? {}, this.rng.fork('plan'));
    this.latest = run.scenario.end - MINUTE;
  }

  /**
   * The run's log files with the delivery cases applied, in an order the digest stage accepts:
   * delivery time never goes back within an account and Region. The files of an account and Region
   * come whole (the run's, or a shard's), in plan order.
   */
  async *files(source: AsyncIterable<LogFile>): AsyncGenerator<LogFile> {
    const deferred: LogFile[] = [];
    /** Per account and Region: its files so far, and the cases handed on to its next file. */
    const counts = new Map<string, number>();
    const carried = new Map<string, EdgeCaseKind[]>();
    for await (const file of source) {
      const chain = chainOf(file);
      const n = counts.get(chain) ?? 0;
      counts.set(chain, n + 1);
      const handed = carried.get(chain) ?? [];
      const due = [...(this.plan.byPlace.get(placeOf(file.accountId, file.region, n)) ?? []), ...handed];
      const still: EdgeCaseKind[] = [];
      let out: Delivered = { now: file, later: [] };
      let applied = false;
      for (const kind of due) {
        if (applied) {
          still.push(kind);
          continue;
        }
        const result = this.deliver(kind, file);
        if (result) {
          out = result;
          applied = true;
        } else still.push(kind);
      }
      if (still.length > 0 || handed.length > 0) carried.set(chain, still);
      deferred.push(...out.later);
      if (out.now) {
        deferred.sort(byDelivery);
        for (let i = 0; i < deferred.length;) {
          const d = deferred[i]!;
          if (chainOf(d) === chain && d.deliveryTime <= out.now.deliveryTime) {
            deferred.splice(i, 1);
            yield d;
          } else i++;
        }
        yield out.now;
      }
    }
    yield* deferred.sort(byDelivery);
  }

  /** Applies a case to a log file at delivery, or undefined when the file does not fit the case. */
  private deliver(kind: EdgeCaseKind, file: LogFile): Delivered | undefined {
    const rng = this.rng.fork(`${kind}/${file.key}`);
    const c = this.profile.cases?.[kind] ?? {};
    const opts = { gzipLevel: this.run.scenario.gzipLevel, hashed: file.sha256 !== '' };
    switch (kind) {
      case 'late-file': {
        const hours = (c as { hours?: number }).hours ?? DEFAULTS.lateHours;
        const at = file.deliveryTime + hours * HOUR;
        if (at > this.latest) return undefined;
        const moved = redeliver(file, this.run.location, at);
        this.label(kind, moved, readRecords(file), lateBy(file, moved), [file.key]);
        return { now: undefined, later: [moved] };
      }
      case 'day-boundary': {
        const zone = (c as { zone?: string }).zone ?? DEFAULTS.zone;
        const at = dayBoundary(file.deliveryTime, this.latest, rng);
        if (at === undefined) return undefined;
        const moved = redeliver(file, this.run.location, at.time);
        this.label(kind, moved, readRecords(file), at.what(zone), [file.key]);
        return { now: undefined, later: [moved] };
      }
      case 'duplicate-records': {
        const records = readRecords(file);
        const n = Math.min(records.length, (c as { records?: number }).records ?? DEFAULTS.duplicates);
        const copies = distinct(rng, records.length, n).map((i) => records[i]!);
        const at = Math.min(
          file.deliveryTime + rng.int(5, 15) * MINUTE,
          Math.max(file.deliveryTime, this.latest),
        );
        const dup = buildLogFile(
          file,
          this.newKey(file, at, rng),
          at,
          recordsText(copies),
          copies.map((r) => r.time),
          opts,
        );
        this.label(kind, dup, copies, `${n} records delivered again, first in ${file.key}`, [file.key]);
        return { now: file, later: [dup] };
      }
      case 'old-events': {
        const hours = (c as { hours?: number }).hours ?? DEFAULTS.oldHours;
        const at = file.deliveryTime + hours * HOUR;
        if (at > this.latest || file.recordCount < 2) return undefined;
        const records = readRecords(file);
        const n = Math.min(records.length - 1, (c as { records?: number }).records ?? DEFAULTS.oldRecords);
        const held = new Set(distinct(rng, records.length, n));
        const kept = records.filter((_, i) => !held.has(i));
        const old = records.filter((_, i) => held.has(i));
        const rest = buildLogFile(
          file,
          file.key,
          file.deliveryTime,
          recordsText(kept),
          kept.map((r) => r.time),
          opts,
        );
        const late = buildLogFile(
          file,
          this.newKey(file, at, rng),
          at,
          recordsText(old),
          old.map((r) => r.time),
          opts,
        );
        this.label(
          kind,
          late,
          old,
          `${n} records delivered ${hours} h after the file that should have held them, ${file.key}`,
          [file.key],
        );
        return { now: rest, later: [late] };
      }
      case 'out-of-order': {
        const records = readRecords(file);
        if (records.length < 2) return undefined;
        const shuffled = [...records].reverse();
        const f = buildLogFile(
          file,
          file.key,
          file.deliveryTime,
          recordsText(shuffled),
          shuffled.map((r) => r.time),
          opts,
        );
        this.label(kind, f, records, 'records in reverse time order', []);
        return { now: f, later: [] };
      }
      case 'burst-file': {
        const n = (c as { records?: number }).records ?? DEFAULTS.burstRecords;
        const burst = this.renderBurst(file, n, rng, opts);
        this.label(kind, burst, [], `${n} records in one file (${burst.rawBytes} bytes uncompressed)`, []);
        return { now: file, later: [burst] };
      }
      default:
        // Broken objects: the file goes to the digest stage as it is and breaks when stored.
        this.atStore.set(file.key, kind);
        return { now: file, later: [] };
    }
  }

  /**
   * A burst: a window of `n` calls of the file's account and Region in the five minutes before its
   * delivery, rendered on a stream of its own (a part number no plan uses) and delivered with it.
   */
  private renderBurst(
    file: LogFile,
    n: number,
    rng: Rng,
    opts: { gzipLevel: number; hashed: boolean },
  ): LogFile {
    const end = Math.floor(file.deliveryTime / 1000) * 1000 - MINUTE;
    const accountIndex = this.run.world.accounts.findIndex((a) => a.id === file.accountId);
    const r = this.run.renderer.renderRecords({
      accountIndex,
      region: file.region,
      start: end - 5 * MINUTE,
      end,
      count: n,
      scheduled: [],
      part: 1_000_000 + rng.int(0, 999_999),
    });
    return buildLogFile(
      file,
      this.newKey(file, file.deliveryTime, rng),
      file.deliveryTime,
      Buffer.from(r.body),
      [...r.times],
      opts,
    );
  }

  private newKey(file: LogFile, at: number, rng: Rng): string {
    return logFileKey(this.run.location, file.accountId, file.region, at, rng.alnum(16));
  }

  /** The objects to store for a log file: itself, broken, missing, or with a stray copy. */
  storeLogFile(o: SinkObject, file: LogFile): SinkObject[] {
    const kind = this.atStore.get(o.key);
    if (kind === undefined) {
      this.readableRecords += file.recordCount;
      return [o];
    }
    const records = readRecords(file);
    if (isBrokenBodyKind(kind)) {
      const broken = BROKEN_BODIES[kind](o.body);
      this.label(kind, file, records, broken.what, []);
      this.skipKeys.push(o.key);
      return [{ ...o, body: broken.body }];
    }
    if (kind === 'missing-log-file') {
      this.label(kind, file, records, 'listed in a digest, missing from the bucket', []);
      return [];
    }
    // bad-key: the file where it belongs, and a copy under a name without the underscore before
    // its unique part (the typo of the AWS documentation's own example).
    this.readableRecords += file.recordCount;
    const unique = uniquePart(o.key);
    const key = `${o.key.slice(0, -`_${unique}.json.gz`.length)}${unique}.json.gz`;
    this.label(
      kind,
      { ...file, key },
      records,
      `a copy of ${o.key} under a key outside CloudTrail's layout`,
      [o.key],
    );
    this.skipKeys.push(key);
    return [o, { ...o, key }];
  }

  /** The objects to store for a digest or side file: itself, dropped, or with a bad signature. */
  storeOther(o: SinkObject): SinkObject[] {
    const kind = this.plan.digests.get(o.key);
    if (kind === undefined) return [o];
    const listed = (
      JSON.parse(gunzipSync(o.body).toString('utf8')) as { logFiles: { s3Object: string }[] }
    ).logFiles.map((f) => f.s3Object);
    const base = { kind, key: o.key, ...meta(kind), records: 0, eventIDs: [] };
    if (kind === 'missing-digest') {
      this.labels.push({
        ...base,
        what: `the digest of this hour is missing: the chain breaks here (it listed ${listed.length} log files)`,
        relatedKeys: listed,
      });
      return [];
    }
    const signature = o.metadata?.signature ?? '';
    const bad = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    this.labels.push({
      ...base,
      what: 'signature does not verify (its last hex digit changed)',
      relatedKeys: [],
    });
    this.skipKeys.push(o.key);
    return [{ ...o, metadata: { ...o.metadata, signature: bad } }];
  }

  private label(
    kind: EdgeCaseKind,
    file: LogFile,
    records: { eventID: string }[],
    what: string,
    related: string[],
  ): void {
    this.labels.push({
      kind,
      key: file.key,
      ...meta(kind),
      what,
      records: file.recordCount,
      eventIDs: records.map((r) => r.eventID),
      ...(related.length ? { relatedKeys: related } : {}),
    });
  }

  /** What the manifest says of the run's edge cases. */
  report(): EdgeCaseReport {
    const injected: Partial<Record<EdgeCaseKind, number>> = {};
    for (const { kind } of EDGE_CASE_KINDS) {
      const n = this.labels.filter((l) => l.kind === kind).length;
      if (n > 0) injected[kind] = n;
    }
    return {
      ...(this.profile.profile ? { profile: this.profile.profile } : {}),
      requested: this.plan.requested,
      injected,
      readableRecords: this.readableRecords,
      skipKeys: [...this.skipKeys].sort(),
      labels: sortLabels(this.labels),
    };
  }
}

function meta(kind: EdgeCaseKind): Pick<EdgeCaseLabel, 'action' | 'realistic'> {
  const k = EDGE_CASE_KINDS.find((e) => e.kind === kind)!;
  return { action: k.action, realistic: k.realistic };
}

function chainOf(f: LogFile): string {
  return `${f.accountId}/${f.region}`;
}

function byDelivery(a: LogFile, b: LogFile): number {
  return a.deliveryTime - b.deliveryTime || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
