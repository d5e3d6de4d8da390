import type { IncidentRequest, Incidents } from '../generated/incidents.js';
import type { Step } from '../generated/playbook.js';
import { UsageError } from '../shared/errors.js';
import { Rng } from '../shared/rng.js';
import type { Lifecycle, ScheduledCall } from '../world/lifecycle.js';
import type { Account, World } from '../world/world.js';
import { castActor, fits, type IncidentActor } from './actors.js';
import { instancesOf, pickTarget, type Taken } from './targets.js';
import type { LoadedPlaybook } from './playbooks.js';

/** One call of an incident, decided: the record writer turns it into bytes like any other call. */
export interface IncidentCall {
  time: number;
  region: string;
  role: string;
  step: number;
  operation: string;
  errorCode: string | undefined;
  /** The world change the call carries out, seen by every later call. */
  change: Lifecycle | null;
  /** requestParameters as the playbook gives them, instead of the template's. */
  request: Record<string, unknown> | null;
}

/** An incident planned in a run: which playbook, where, who, and every call. */
export interface PlannedIncident {
  id: string;
  playbook: LoadedPlaybook;
  accountIndex: number;
  account: Account;
  actors: IncidentActor[];
  calls: IncidentCall[];
}

/** The incidents of a run, and the world changes they make (for everyone's view of the world). */
export interface IncidentPlan {
  incidents: PlannedIncident[];
  changes: ScheduledCall[];
}

/** What planning incidents needs of a run. */
export interface IncidentSetting {
  seed: number;
  start: number;
  end: number;
  regions: readonly string[];
  incidents: Incidents;
}

const HOUR = 3_600_000;

/**
 * Plans a scenario's incidents on a random stream of their own (forked from the seed by
 * `incidents`, then per incident), so that the background's streams are untouched: the calls and
 * the world changes are decided here, before anything is rendered, and a change (a removed channel)
 * is part of the world every later call sees. `lifecycles` are the world's planned changes: an
 * incident acts on what exists then, and never on what the background later changes itself.
 *
 * @example planIncidents(world, { seed: 7, start, end, regions, incidents: 'default' }, playbooks, lifecycles)
 */
export function planIncidents(
  world: World,
  s: IncidentSetting,
  playbooks: readonly LoadedPlaybook[],
  lifecycles: readonly ScheduledCall[],
): IncidentPlan {
  const requests: IncidentRequest[] =
    s.incidents === 'default' ? playbooks.map((p) => ({ playbook: p.name })) : s.incidents;
  const root = new Rng(s.seed).fork('incidents');
  const taken: Taken = { changes: [] };
  const incidents: PlannedIncident[] = [];
  requests.forEach((r, i) => {
    const playbook = playbooks.find((p) => p.name === r.playbook);
    if (!playbook) throw new UsageError(`incidents.${i}.playbook`, `no playbook "${r.playbook}"`);
    for (let k = 0; k < (r.count ?? 1); k++) {
      const rng = root.fork(`${i}/${k}/${playbook.name}`);
      const planned = planOne(world, s, playbook, r, i, rng, lifecycles, taken, incidents.length + 1);
      if (planned && planned.calls.length > 0) incidents.push(planned);
    }
  });
  return { incidents, changes: taken.changes };
}

function planOne(
  world: World,
  s: IncidentSetting,
  playbook: LoadedPlaybook,
  r: IncidentRequest,
  i: number,
  rng: Rng,
  lifecycles: readonly ScheduledCall[],
  taken: Taken,
  n: number,
): PlannedIncident | undefined {
  const accountIndex = chooseAccount(world, playbook, r, i, rng.fork('account'));
  if (accountIndex === undefined) return undefined;
  const account = world.accounts[accountIndex]!;
  const actors: IncidentActor[] = [];
  for (const [role, a] of Object.entries(playbook.actors)) {
    const actor = castActor(
      role,
      a,
      account,
      world,
      rng.fork(`actor/${role}`),
      s.start,
      r.actors?.[role],
      `incidents.${i}.actors.${role}`,
      operationsOf(playbook, role),
    );
    if (!actor) return undefined;
    actors.push(actor);
  }
  const home = s.regions.includes(account.homeRegion) ? account.homeRegion : s.regions[0]!;
  const unusual = unusualRegion(account, s.regions, home, rng.fork('unusual'));
  const start =
    r.at !== undefined ? Date.parse(r.at) : startTime(world, playbook, account, home, s, rng.fork('start'));
  const calls: IncidentCall[] = [];
  let t = Math.floor(start / 1000) * 1000;
  const foreign = foreignAccount(world, rng.fork('foreign'));
  playbook.steps.forEach((step, si) => {
    const srng = rng.fork(`step/${si}`);
    if (si > 0 || step.after) t += 1000 * draw(srng, step.after, 0);
    const regions = step.regions === 'sweep' ? s.regions : [step.regions === 'unusual' ? unusual : home];
    const perRegion = step.regions === 'sweep' ? step.operations.length : 0;
    const count = step.calls ? draw(srng, step.calls, 1) : step.operations.length * regions.length;
    for (let k = 0; k < count; k++) {
      if (k > 0) t += 1000 * draw(srng, step.gap ?? [1, 4], 1);
      const operation = step.operations[k % step.operations.length]!;
      const region = perRegion ? regions[Math.floor(k / perRegion) % regions.length]! : regions[0]!;
      const errorCode = outcome(step, rng.fork(`outcome/${si}/${operation}/${region}`), srng);
      // A call the period cannot hold is not made (nor what it would change).
      if (t >= s.end) break;
      let change: Lifecycle | null = null;
      if (step.change && errorCode === undefined) {
        change = pickTarget(step.change, world, account, region, t, lifecycles, taken, srng);
        // Nothing left to remove: the step has nothing to act on.
        if (!change) continue;
        taken.changes.push({ time: t, accountId: account.id, region, principal: 0, change });
      }
      const request = step.request
        ? (fill(step.request, { region, accountId: account.id, foreignAccount: foreign }) as Record<
            string,
            unknown
          >)
        : null;
      calls.push({ time: t, region, role: step.actor, step: si, operation, errorCode, change, request });
    }
  });
  return { id: `incident-${String(n).padStart(3, '0')}`, playbook, accountIndex, account, actors, calls };
}

/** The account named, or one drawn (by share of activity) among those where every role can be cast. */
function chooseAccount(
  world: World,
  playbook: LoadedPlaybook,
  r: IncidentRequest,
  i: number,
  rng: Rng,
): number | undefined {
  if (typeof r.account === 'number') return r.account;
  if (typeof r.account === 'string') {
    const at = world.accounts.findIndex((a) => a.id === r.account);
    if (at < 0) throw new UsageError(`incidents.${i}.account`, `no account ${r.account} in the world`);
    return at;
  }
  const ok = world.accounts
    .map((a, index) => ({ a, index }))
    .filter(
      ({ a }) =>
        Object.entries(playbook.actors).every(([role, actor]) =>
          a.principals.some((p) => fits(p, actor, world, operationsOf(playbook, role))),
        ) &&
        instancesOf(world, a, a.homeRegion, 'stack').length > 0 &&
        // Something for each of the playbook's changes to act on, in the home Region.
        playbook.steps.every(
          (st) => !st.change || instancesOf(world, a, a.homeRegion, st.change.split('.')[0]!).length > 0,
        ),
    );
  if (ok.length === 0) return undefined;
  return rng.weighted(
    ok,
    Float64Array.from(ok, ({ a }) => a.weight),
  ).index;
}

/** The operations a role calls in a playbook. */
function operationsOf(playbook: LoadedPlaybook, role: string): string[] {
  return playbook.steps.filter((st) => st.actor === role).flatMap((st) => st.operations);
}

/** The Region of the run the account uses least (a Region no one there would call from). */
function unusualRegion(account: Account, regions: readonly string[], home: string, rng: Rng): string {
  const others = regions.filter((r) => r !== home);
  if (others.length === 0) return home;
  const least = Math.min(...others.map((r) => account.regionWeights[r] ?? 0));
  return rng.pick(others.filter((r) => (account.regionWeights[r] ?? 0) === least));
}

/** A start in the period that fits the playbook's `when`, leaving the incident room to finish. */
function startTime(
  world: World,
  playbook: LoadedPlaybook,
  account: Account,
  home: string,
  s: IncidentSetting,
  rng: Rng,
): number {
  const latest = Math.max(s.start, s.end - 3 * HOUR);
  const any = (): number => s.start + rng.next() * (latest - s.start);
  const when = playbook.when ?? 'any';
  if (when === 'open-insight') {
    const open = instancesOf(world, account, home, 'insight').filter(
      (x) => x.opensAt < latest && x.closesAt > s.start,
    );
    if (open.length > 0) {
      const x = rng.pick(open);
      const from = Math.max(s.start, x.opensAt + 10 * 60_000);
      const to = Math.min(latest, x.closesAt);
      if (to > from) return from + rng.next() * (to - from);
    }
    return any();
  }
  if (when === 'any') return any();
  for (let k = 0; k < 50; k++) {
    const t = any();
    const local = new Date(t + account.utcOffset * HOUR);
    const h = local.getUTCHours();
    const weekday = local.getUTCDay() !== 0 && local.getUTCDay() !== 6;
    const working = weekday && h >= 9 && h < 17;
    if (when === 'working-hours' ? working : !working && (h < 6 || h >= 22)) return t;
  }
  return any();
}

/** The error a call fails with, or undefined when it succeeds (see the schema's `outcome`). */
function outcome(step: Step, fixed: Rng, perCall: Rng): string | undefined {
  const o = step.outcome ?? 'success';
  if (typeof o === 'string') return o === 'success' ? undefined : o;
  for (const [code, share] of Object.entries(o)) {
    const u = code === 'AccessDeniedException' ? fixed.next() : perCall.next();
    if (u < share) return code;
  }
  return undefined;
}

/** A number in [min, max] (or `dflt` for no range). */
function draw(rng: Rng, range: readonly number[] | undefined, dflt: number): number {
  return range ? rng.int(range[0]!, range[1]!) : dflt;
}

/** An account outside the world: where an intruder's own resources live. */
function foreignAccount(world: World, rng: Rng): string {
  for (;;) {
    const id = String(rng.int(100_000_000, 999_999_999)) + String(rng.int(100, 999));
    if (!world.accounts.some((a) => a.id === id)) return id;
  }
}

/** The playbook's request with `{region}`, `{accountId}` and `{foreignAccount}` filled in. */
function fill(v: unknown, values: Record<string, string>): unknown {
  if (typeof v === 'string') return v.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
  if (Array.isArray(v)) return v.map((x) => fill(x, values));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, values)]));
  return v;
}
