import { Rng } from '../shared/rng.js';
import { loadTemplates, defaultTemplateDir, type CompiledTemplate } from '../render/template.js';
import { Renderer } from '../render/renderer.js';
import { windowLabel, type Window } from '../plan/window.js';
import { planWindows } from '../plan/plan.js';
import { shardFilter, type Shard } from '../plan/shard.js';
import { deliveryAfter, encodeRecords } from '../layout/encode.js';
import type { LogFile } from '../layout/log-file.js';
import type { TrailLocation } from '../layout/keys.js';
import { buildWorld, type World } from '../world/world.js';
import { planLifecycles, type ScheduledCall } from '../world/lifecycle.js';
import type { Scenario } from '../scenario/scenario.js';
import { loadServices, type ServiceCatalog } from '../world/service.js';
import { checkServices } from '../render/service-check.js';
import { buildEntityRegistry } from '../world/entity-registry.js';
import { countPollCalls } from '../plan/polls.js';
import { loadPlaybooks } from '../incidents/playbooks.js';
import { planIncidents, type IncidentPlan } from '../incidents/plan.js';

/** Everything a run derives from its scenario before the first record: drawn once, then read-only. */
export interface Prepared {
  scenario: Scenario;
  world: World;
  /** The service descriptions of the template folders. */
  services: ServiceCatalog;
  templates: CompiledTemplate[];
  lifecycles: ScheduledCall[];
  renderer: Renderer;
  location: TrailLocation;
  /** Calls drawn at random: the total less the world's planned changes and scheduled polls. */
  randomEvents: number;
  /** The run's top random stream, which each window's delivery forks from. */
  root: Rng;
  /** The scenario's incidents, planned (docs/incidents.md); absent for none. */
  incidents?: IncidentPlan;
}

/**
 * Draws the world, loads the templates and plans the world's changes. Fails before anything is
 * written when a template is bad.
 */
export function prepare(scenario: Scenario): Prepared {
  const dirs = [defaultTemplateDir(), ...scenario.templates];
  const services = loadServices(dirs);
  const templates = loadTemplates(dirs);
  const entities = buildEntityRegistry(services);
  checkServices(services, templates, entities);
  const world = buildWorld({
    seed: scenario.seed,
    start: scenario.start,
    end: scenario.end,
    accounts: scenario.accounts,
    regions: scenario.regions,
    identityMix: scenario.identityMix,
    organization: scenario.organizationTrail,
    events: scenario.events,
    duties: services.primary.description.duties,
    cast: services.primary.description.cast,
    entities,
    settings: services.primary.description.settings,
  });
  const canSchedule = new Set(templates.flatMap((t) => t.lifecycle));
  const lifecycles = planLifecycles(
    world,
    new Rng(scenario.seed).fork('lifecycle'),
    scenario.start,
    scenario.end,
    Math.floor(scenario.events / 20),
  ).filter((c) => canSchedule.has(`${c.change.entity}.${c.change.event}`));
  // Incidents are planned on streams of their own; what they change is part of everyone's world.
  const incidents = scenario.incidents
    ? planIncidents(
        world,
        scenario as typeof scenario & { incidents: NonNullable<typeof scenario.incidents> },
        loadPlaybooks(dirs, templates),
        lifecycles,
      )
    : undefined;
  const changes = incidents ? [...lifecycles, ...incidents.changes] : lifecycles;
  const renderer = new Renderer(world, templates, scenario, changes, services);
  const known = new Set(templates.map((t) => t.eventName));
  const polled = countPollCalls(world, scenario.start, scenario.end, (op) => known.has(op));
  const randomEvents = scenario.events - lifecycles.length - polled;
  // The cast sizes its polls to a quarter of the volume at most (world/cast.ts).
  if (randomEvents < 0)
    throw new Error(`scheduled polls (${polled}) exceed the run's ${scenario.events} events (a bug)`);
  const location: TrailLocation = {
    bucket: scenario.trail.bucket,
    prefix: scenario.trail.prefix,
    organizationId: scenario.organizationTrail ? (world.organization?.id ?? null) : null,
  };
  return {
    scenario,
    world,
    services,
    templates,
    lifecycles,
    renderer,
    location,
    randomEvents,
    root: new Rng(scenario.seed),
    ...(incidents ? { incidents } : {}),
  };
}

/**
 * Which accounts and Regions a shard of a prepared run writes; undefined (all) without a shard. The
 * shards are evened out by the calls the plan puts in each account and Region: one pass over the
 * plan, which renders nothing.
 *
 * @example chainFilter(p, { index: 0, count: 2 })?.(p.world.accounts[0]!.id, 'us-east-1') // true or false
 */
export function chainFilter(
  p: Prepared,
  shard: Shard | undefined,
): ((accountId: string, region: string) => boolean) | undefined {
  return shard ? shardFilter(shard, chainLoads(p)) : undefined;
}

/**
 * The calls of each `<account>/<region>` of a prepared run that its windows count (random and
 * planned, not scheduled polls): what shards are balanced by. One pass over the plan, nothing
 * rendered.
 */
export function chainLoads(p: Prepared): ReadonlyMap<string, number> {
  const known = loads.get(p);
  if (known) return known;
  const load = new Map<string, number>();
  for (const a of p.world.accounts) for (const r of p.scenario.regions) load.set(`${a.id}/${r}`, 0);
  for (const w of windowsOf(p)) {
    const key = `${p.world.accounts[w.accountIndex]!.id}/${w.region}`;
    load.set(key, load.get(key)! + w.count + w.scheduled.length);
  }
  loads.set(p, load);
  return load;
}

/** Each prepared run's chain loads, planned once (a shard's progress and its filter both ask). */
const loads = new WeakMap<Prepared, Map<string, number>>();

/**
 * How many records `generate` writes: the scenario's events and its incidents' calls, or, for a
 * shard, those of its accounts and Regions.
 *
 * @example recordsOf(p, { index: 1, count: 3 }) // about a third of p.scenario.events
 */
export function recordsOf(p: Prepared, shard: Shard | undefined): number {
  const incidents = p.incidents?.incidents ?? [];
  if (!shard) return p.scenario.events + incidents.reduce((n, i) => n + i.calls.length, 0);
  const load = chainLoads(p);
  const includes = shardFilter(shard, load);
  let records = 0;
  for (const a of p.world.accounts)
    for (const r of p.scenario.regions) if (includes(a.id, r)) records += load.get(`${a.id}/${r}`)!;
  const known = new Set(p.templates.map((t) => t.eventName));
  records += countPollCalls(p.world, p.scenario.start, p.scenario.end, (op) => known.has(op), includes);
  for (const i of incidents) for (const c of i.calls) if (includes(i.account.id, c.region)) records++;
  return records;
}

/**
 * The plan of a prepared run: its windows in delivery order; with `includes`, only the windows of
 * those accounts and Regions (a shard's), planned as the whole run plans them.
 */
export function* windowsOf(
  p: Prepared,
  includes?: (accountId: string, region: string) => boolean,
): Generator<Window> {
  const s = p.scenario;
  const windows = planWindows(
    p.world,
    { seed: s.seed, start: s.start, end: s.end, events: p.randomEvents, regions: s.regions, curve: s.curve },
    p.lifecycles,
  );
  if (!includes) return yield* windows;
  for (const w of windows) if (includes(p.world.accounts[w.accountIndex]!.id, w.region)) yield w;
}

/** Renders and encodes one window: a pure function of the prepared run and the window. */
export function renderWindowFiles(p: Prepared, w: Window): LogFile[] {
  const account = p.world.accounts[w.accountIndex]!;
  const records = p.renderer.renderRecords(w);
  const root = p.root;
  const rng = root.fork(`deliver/${windowLabel(account.id, w)}`);
  // Every part of a window is delivered when its first part is, so files stay in delivery order.
  const delivery = w.part ? root.fork(`deliver/${windowLabel(account.id, { ...w, part: 0 })}`) : rng;
  return encodeRecords(records, { accountId: account.id, region: w.region, windowEnd: w.end }, rng, {
    location: p.location,
    gzipLevel: p.scenario.gzipLevel,
    // Stamped here for every window, parts or not, so the options always have the same shape.
    deliveryTime: deliveryAfter(w.end, records.times, delivery),
    hashRaw: p.scenario.digests,
  });
}

/**
 * The log files of a run, in plan order, one window at a time: memory does not grow with the
 * number of events.
 *
 * @example
 * for (const file of generateLogFiles(prepare(resolveScenario({ seed: 7, events: 100 })))) {
 *   console.log(file.key, file.recordCount);
 * }
 */
export function* generateLogFiles(p: Prepared): Generator<LogFile> {
  for (const w of windowsOf(p)) yield* renderWindowFiles(p, w);
}
