import type { Rng } from '../shared/rng.js';
import type { EntityKind, EntityRegistry } from './entity-registry.js';
import type { DrawContext } from './field-specs.js';
import type { Lifecycle } from './lifecycle.js';
import type { RegionState } from './region-state.js';
import { stateAt, type EntityRef, type WorldView } from './refs.js';

export { RegionState } from './region-state.js';

/**
 * The world as one call sees it. Each kind's entity resolves once per call, so every field of a
 * record names the same one.
 */
export class CallWorldView implements WorldView {
  private readonly registry: EntityRegistry;
  /** The call's entity of each kind, by kind index, once resolved. */
  private readonly resolved: (EntityRef | undefined)[];

  /**
   * `change` is the change the call makes, for calls planned by the world; `missing` says that the
   * call fails with ResourceNotFoundException, so IDs it names must not exist.
   */
  constructor(
    private state: RegionState,
    private time: number,
    private rng: Rng,
    private change: Lifecycle | null = null,
    private missing = false,
  ) {
    this.registry = state.world.entities;
    this.resolved = this.registry.kinds.map(() => undefined);
  }

  /**
   * Points the view at another call and forgets what it resolved: a renderer keeps one view and
   * rebinds it per call rather than allocating one.
   */
  rebind(state: RegionState, time: number, rng: Rng, change: Lifecycle | null, missing: boolean): void {
    this.state = state;
    this.time = time;
    this.rng = rng;
    this.change = change;
    this.missing = missing;
    this.resolved.fill(undefined);
  }

  private kind(name: string): EntityKind {
    const k = this.registry.byName.get(name);
    if (!k) throw new Error(`trailsim: no entity kind "${name}" in the registry`);
    return k;
  }

  entity(name: string): EntityRef {
    const kind = this.kind(name);
    const done = this.resolved[kind.index];
    if (done !== undefined) return done;
    return (this.resolved[kind.index] = this.resolve(kind));
  }

  private resolve(kind: EntityKind): EntityRef {
    const of = kind.of;
    if (of) return { id: this.rng.pick(this.entity(of.kind.name)[of.field] as readonly string[]) };
    const change = this.change;
    if (change !== null && change.entity === kind.name) return stateAt(change.instance, this.time);
    const live = this.state.at(kind.index, this.time);
    // A call that fails for want of the entity names one a caller may still hold (world/region-state.ts).
    const stale = this.missing ? this.state.stale(kind.index, this.time, this.rng) : undefined;
    if (stale) return stateAt(stale, this.time);
    if ((this.missing || live.length === 0) && kind.missing) return kind.missing(this.drawContext());
    if (live.length === 0)
      throw new Error(`trailsim: no ${kind.name} exists and ${kind.file} declares no "missing" for it`);
    const pick = kind.pick;
    if (pick === 'single') return stateAt(live[0]!, this.time);
    if (pick === 'uniform') return stateAt(this.rng.pick(live), this.time);
    // The newest draw the most attention.
    const recent = live.slice(-pick.recent);
    return stateAt(this.rng.chance(pick.p) ? this.rng.pick(recent) : this.rng.pick(live), this.time);
  }

  private drawContext(): DrawContext {
    const s = this.state;
    return {
      rng: this.rng,
      region: s.region,
      accountId: s.account.id,
      env: s.account.env,
      time: this.time,
      keys: s.resources.keys,
    };
  }

  values(name: string, field: string): readonly unknown[] {
    const kind = this.kind(name);
    const change = this.change;
    if (change !== null && change.entity === name) return [stateAt(change.instance, this.time)[field]];
    const live = this.state.at(kind.index, this.time);
    if (live.length === 0) return kind.wildcard === null ? [] : [kind.wildcard];
    const out: unknown[] = [];
    for (const i of live) out.push(stateAt(i, this.time)[field]);
    return out;
  }

  organizationAccountIds(): readonly string[] {
    const org = this.state.world.organization;
    if (!org) return [this.state.account.id];
    return this.state.world.accounts.map((a) => a.id);
  }

  organizationalUnitIds(): readonly string[] {
    return this.state.world.organization?.unitIds ?? [];
  }
}
