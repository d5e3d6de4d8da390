import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf, generateRun, timeOf, WEEK, type Run, type TrailRecord } from '../world/week-run.js';
import type { Instance } from '../../src/world/refs.js';
import type { RequestSchema as Schema } from '../../src/render/invalid-request.js';

/** Read as an analyst reads a week of a trail: why did each call fail? */

const ROOT = join(import.meta.dirname, '..', '..');
const model = JSON.parse(readFileSync(join(ROOT, 'schemas/devops-guru/service-2.json'), 'utf8')) as {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, { members?: Record<string, unknown> }>;
};
const takesInput = (op: string): boolean => {
  const input = model.operations[op]?.input;
  return !!input && Object.keys(model.shapes[input.shape]?.members ?? {}).length > 0;
};

const requestSchema = (op: string): Schema =>
  JSON.parse(readFileSync(join(ROOT, `schemas/devops-guru/requests/${op}.schema.json`), 'utf8')) as Schema;

let run: Run;
beforeAll(() => {
  run = generateRun(WEEK);
});

const DENIED = 'AccessDeniedException';

describe('errors have causes, read on a generated week', () => {
  it('deny a caller an action every time, or never, between two policy changes', () => {
    const changes = run.prepared.renderer.permissions?.changes() ?? [];
    const segmentOf = (t: number): number => changes.filter((c) => c <= t).length;
    const seen = new Map<string, { denied: number; allowed: number }>();
    for (const r of run.records) {
      if (r.errorCode !== undefined && r.errorCode !== DENIED) continue;
      const key = `${actorOf(r)} ${r.eventName} ${segmentOf(timeOf(r))}`;
      const c = seen.get(key) ?? { denied: 0, allowed: 0 };
      if (r.errorCode === DENIED) c.denied++;
      else c.allowed++;
      seen.set(key, c);
    }
    const denied = [...seen].filter(([, c]) => c.denied > 0);
    const both = denied.filter(([, c]) => c.allowed > 0).map(([k, c]) => `${k}: ${JSON.stringify(c)}`);
    expect(both).toEqual([]);
    expect(denied.length).toBeGreaterThan(10);
    // A permission added during the week: denials first, then successes.
    expect(changes.length).toBeGreaterThan(0);
  });

  it('never deny root by an identity-based policy, only by a service control policy', () => {
    for (const r of run.records.filter((x) => x.userIdentity.type === 'Root' && x.errorCode === DENIED))
      expect(r.errorMessage).toMatch(/ with an explicit deny in a service control policy$/);
    const permissions = run.prepared.renderer.permissions;
    let asked = 0;
    for (const account of run.prepared.world.accounts)
      for (const p of account.principals.filter((x) => x.type === 'Root'))
        for (const t of run.prepared.templates)
          for (let time = Date.parse(WEEK.start!); time < Date.parse(WEEK.end!); time += 6 * 3_600_000) {
            asked++;
            expect([null, 'scp']).toContain(permissions.denial(p, account, t.eventName, time));
          }
    expect(asked).toBeGreaterThan(100);
  });

  it("word each denial as IAM does for its cause, naming the caller's ARN and the action", () => {
    const denied = run.records.filter((r) => r.errorCode === DENIED);
    expect(denied.length).toBeGreaterThan(50);
    const causes = new Set<string>();
    for (const r of denied) {
      const head = `User: ${String(r.userIdentity.arn)} is not authorized to perform: devops-guru:${r.eventName} on resource: `;
      expect(r.errorMessage!.startsWith(head)).toBe(true);
      const m =
        / (because no identity-based policy allows the devops-guru:\w+ action|with an explicit deny in an identity-based policy|with an explicit deny in a service control policy)$/.exec(
          r.errorMessage!,
        );
      expect(m, r.errorMessage).not.toBeNull();
      causes.add(m![1]!.replace(/devops-guru:\w+/, ''));
    }
    // With settings changes planned (not drawn) an operator rarely meets an explicit deny in a week;
    // each denial present must still carry its cause's wording.
    expect(causes.size).toBeGreaterThan(0);
  });

  it('fail with ValidationException only for a request that carries a value breaking the quoted rule', () => {
    const invalid = run.records.filter((r) => r.errorCode === 'ValidationException');
    expect(invalid.length).toBeGreaterThan(20);
    const rules = new Set<string>();
    for (const r of invalid) {
      expect(takesInput(r.eventName), r.eventName).toBe(true);
      const m =
        /^1 validation error detected: Value '(.*)' at '([^']+)' failed to satisfy constraint: Member must (.*)$/.exec(
          r.errorMessage!,
        );
      expect(m, r.errorMessage).not.toBeNull();
      const [, quoted, path, rule] = m! as unknown as [string, string, string, string];
      const { value, schema } = locate(r, path);
      expect(value, `${r.eventName} ${path}`).not.toBeUndefined();
      expect(Array.isArray(value) ? `[${(value as unknown[]).join(', ')}]` : String(value)).toBe(quoted);
      expect(breaks(schema, value, rule), `${r.eventName} ${path} ${quoted} ${rule}`).toBe(true);
      rules.add(rule.split(/[:\d]/)[0]!);
    }
    expect(rules.size).toBeGreaterThan(2);
  });

  it('name in ResourceNotFoundException an ID that once existed but does not exist there at that time', () => {
    const notFound = run.records.filter((r) => r.errorCode === 'ResourceNotFoundException');
    // Every ID-like value an instance of any kind carries (its key, IDs, lists of IDs).
    const idsIn = (i: Instance, into: Set<string>): void => {
      into.add(i.key);
      for (const v of Object.values(i.open))
        if (typeof v === 'string') into.add(v);
        else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') into.add(x);
    };
    const everywhere = new Set<string>();
    for (const a of run.prepared.world.accounts)
      for (const res of Object.values(a.resources))
        for (const list of res.instances) for (const i of list) idsIn(i, everywhere);
    for (const c of run.prepared.lifecycles) idsIn(c.change.instance, everywhere);
    let named = 0;
    let stale = 0;
    for (const r of notFound) {
      const ids = idsOf(r);
      if (ids.length === 0) continue;
      named++;
      const account = run.prepared.world.accounts.find((a) => a.id === r.recipientAccountId)!;
      const state = run.prepared.renderer.behaviour.state(account, r.awsRegion);
      const t = timeOf(r);
      const live = new Set<string>();
      for (const k of run.prepared.world.entities.kinds) for (const i of state.at(k.index, t)) idsIn(i, live);
      for (const id of ids) expect(live.has(id), `${r.eventName} ${id} at ${r.eventTime}`).toBe(false);
      if (ids.every((id) => everywhere.has(id))) stale++;
    }
    expect(named).toBeGreaterThan(5);
    // A deleted insight, a link followed in the wrong Region: an ID a caller could have held.
    expect(stale / named).toBeGreaterThan(0.8);
  });

  it('throttle in bursts of one busy caller', () => {
    // Busy loops are rare and need a window with room for one: a run with more failures has
    // enough of them whatever the seed's draws.
    const run = generateRun({ ...WEEK, errorRate: 0.2 });
    const throttled = run.records.filter((r) => r.errorCode === 'ThrottlingException');
    expect(throttled.length).toBeGreaterThan(5);
    const callsOf = new Map<string, number[]>();
    for (const r of run.records) {
      const list = callsOf.get(actorOf(r)) ?? [];
      list.push(timeOf(r));
      callsOf.set(actorOf(r), list);
    }
    for (const r of throttled) {
      const t = timeOf(r);
      const near = callsOf.get(actorOf(r))!.filter((x) => Math.abs(x - t) <= 60_000).length;
      expect(near, `${actorOf(r)} at ${r.eventTime}`).toBeGreaterThanOrEqual(10);
      const others = throttled.filter(
        (o) => o !== r && actorOf(o) === actorOf(r) && Math.abs(timeOf(o) - t) <= 10_000,
      );
      expect(others.length).toBeGreaterThan(0);
    }
  });
});

/** The ID-like members of a request (an account ID is not a resource). */
function idsOf(r: TrailRecord): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (/Id$/.test(key) && key !== 'AccountId') out.push(v);
    } else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, k);
  };
  walk(r.requestParameters, '');
  return out;
}

/** The value and schema at a message's member path (`statusFilter.ongoing.type`, `ids.2.member`). */
function locate(r: TrailRecord, path: string): { value: unknown; schema: Schema } {
  let value: unknown = r.requestParameters;
  let schema = requestSchema(r.eventName);
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && parts[i + 1] === 'member') {
      value = (value as unknown[] | undefined)?.[Number(part) - 1];
      schema = schema.items!;
      i++;
      continue;
    }
    const name = Object.keys(schema.properties ?? {}).find((k) => k.toLowerCase() === part.toLowerCase());
    if (!name) return { value: undefined, schema };
    value = (value as Record<string, unknown> | undefined)?.[name];
    schema = schema.properties![name]!;
  }
  return { value, schema };
}

/** Whether `value` breaks the rule as the message words it, by the schema's own constraint. */
function breaks(s: Schema, value: unknown, rule: string): boolean {
  const n = Number(/(-?\d+)$/.exec(rule)?.[1]);
  const length = Array.isArray(value) ? value.length : [...String(value)].length;
  if (rule.startsWith('satisfy regular expression pattern: '))
    return rule.endsWith(s.pattern!) && !new RegExp(s.pattern!, 'u').test(String(value));
  if (rule.startsWith('satisfy enum value set: '))
    return rule.endsWith(`[${s.enum!.join(', ')}]`) && !(s.enum! as unknown[]).includes(value);
  if (rule.startsWith('have length greater than or equal to '))
    return (s.minLength ?? s.minItems) === n && length < n;
  if (rule.startsWith('have length less than or equal to '))
    return (s.maxLength ?? s.maxItems) === n && length > n;
  if (rule.startsWith('have value greater than or equal to ')) return s.minimum === n && Number(value) < n;
  if (rule.startsWith('have value less than or equal to ')) return s.maximum === n && Number(value) > n;
  return false;
}
