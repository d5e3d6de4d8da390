import type { Rng } from '../shared/rng.js';
import type { EntityKind } from './entity-registry.js';
import type { ScheduledCall } from './lifecycle.js';
import type { RegionResources } from './populate.js';
import type { Instance } from './refs.js';
import type { Account, World } from './world.js';

/** An instance a planned create added: it exists after `from` and before `to`. */
interface Added {
  readonly instance: Instance;
  readonly from: number;
  to: number;
}

/**
 * The instances of one kind in one account and Region over time: the world's own (each from when
 * it opens until a planned change deletes it) and those planned changes create.
 */
class KindState {
  private readonly deletedAt = new Map<string, number>();
  private readonly added: Added[] = [];
  private live: { from: number; to: number; list: readonly Instance[] } | undefined;

  constructor(private readonly own: readonly Instance[]) {}

  create(instance: Instance, time: number): void {
    this.added.push({ instance, from: time, to: Infinity });
  }

  /** A delete ends the instance a planned create added, or else one of the world's own. */
  delete(key: string, time: number): void {
    const a = this.added.find((x) => x.instance.key === key);
    if (a) a.to = time;
    else this.deletedAt.set(key, Math.min(this.deletedAt.get(key) ?? Infinity, time));
  }

  /**
   * The instances that exist at `t`, oldest first, then those added in the order they were. The
   * set changes only when one opens, is added or is deleted, so the last answer is kept with the
   * span of time it holds for; calls close in time share it. Callers must not change the list.
   * An added instance exists strictly after the second of the call that created it (times are whole
   * milliseconds), so a call in that second cannot name it.
   */
  at(t: number): readonly Instance[] {
    const cached = this.live;
    if (cached && cached.from <= t && t < cached.to) return cached.list;
    const list: Instance[] = [];
    let from = -Infinity;
    let to = Infinity;
    for (const i of this.own) {
      if (i.opensAt > t) {
        to = Math.min(to, i.opensAt);
        break;
      }
      from = Math.max(from, i.opensAt);
      // An instance never deleted is gone at Infinity. Each step below runs for every instance
      // (docs/hot-path.md, rule 4).
      const gone = this.deletedAt.get(i.key) ?? Infinity;
      const deleted = gone <= t;
      from = Math.max(from, deleted ? gone : from);
      if (deleted) continue;
      to = Math.min(to, gone);
      list.push(i);
    }
    for (const a of this.added) {
      if (t <= a.from) to = Math.min(to, a.from + 1);
      else if (t >= a.to) from = Math.max(from, a.to);
      else {
        from = Math.max(from, a.from + 1);
        to = Math.min(to, a.to);
        list.push(a.instance);
      }
    }
    this.live = { from, to, list };
    return list;
  }

  /** Instances gone at `t`: the world's own deleted before it, and added ones removed before it. */
  gone(t: number): Instance[] {
    const out: Instance[] = [];
    for (const i of this.own) if ((this.deletedAt.get(i.key) ?? Infinity) <= t) out.push(i);
    for (const a of this.added) if (a.to <= t) out.push(a.instance);
    return out;
  }
}

/**
 * The world's state for one account and Region, replayed from its planned changes so that a view
 * at any time can be built without rendering what came before.
 */
export class RegionState {
  private readonly kinds: KindState[];
  private readonly byName: ReadonlyMap<string, EntityKind>;
  /** The account's entities in the Region, looked up once rather than on every question. */
  readonly resources: RegionResources;

  constructor(
    readonly world: World,
    readonly account: Account,
    readonly region: string,
    calls: readonly ScheduledCall[],
  ) {
    this.resources = account.resources[region]!;
    this.byName = world.entities.byName;
    this.kinds = world.entities.kinds.map((k) => new KindState(this.resources.instances[k.index] ?? []));
    for (const c of calls) {
      if (c.accountId !== account.id || c.region !== region) continue;
      const ch = c.change;
      const kind = this.kinds[this.byName.get(ch.entity)!.index]!;
      if (ch.event === 'create') kind.create(ch.instance, c.time);
      else if (ch.event === 'delete') kind.delete(ch.instance.key, c.time);
    }
  }

  /** The instances of a kind (by index) that exist at `t`. Callers must not change the list. */
  at(kind: number, t: number): readonly Instance[] {
    return this.kinds[kind]!.at(t);
  }

  /**
   * An instance of a kind (by index) a caller may hold that names nothing here at `t`, for a call
   * that fails with ResourceNotFoundException: most often one deleted before `t` (a saved link, a
   * script's cached list), else one of the account's in another Region that is not here (a link
   * followed in the wrong Region). Undefined when the world has neither.
   */
  stale(kind: number, t: number, rng: Rng): Instance | undefined {
    const gone = this.kinds[kind]!.gone(t);
    if (gone.length > 0 && rng.chance(0.7)) return rng.pick(gone);
    const here = new Set(this.at(kind, t).map((i) => i.key));
    const elsewhere: Instance[] = [];
    for (const [r, res] of Object.entries(this.account.resources))
      if (r !== this.region)
        for (const i of res.instances[kind] ?? []) if (i.opensAt <= t && !here.has(i.key)) elsewhere.push(i);
    if (elsewhere.length > 0) return rng.pick(elsewhere);
    return gone.length > 0 ? rng.pick(gone) : undefined;
  }

  /**
   * Whether an entity of a kind a template `requires` exists at `t`. Templates are checked against
   * the registry at load (render/service-check.ts), so an unknown kind here is a bug.
   */
  has(kind: string, t: number): boolean {
    const k = this.byName.get(kind);
    if (!k) throw new Error(`trailsim: no entity kind "${kind}" in the registry`);
    // A kind listed by another (`of`) exists where that one does.
    return this.kinds[(k.of?.kind ?? k).index]!.at(t).length > 0;
  }
}
