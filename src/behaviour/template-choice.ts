import type { Rng } from '../shared/rng.js';
import type { RegionState } from '../world/view.js';
import type { Account } from '../world/world.js';
import type { Activity } from './activity.js';
import type { FailureDraw } from './failure.js';
import { CALLERS, type Caller, type OperationInfo } from './operation.js';

// Weights are Float64Arrays, as Rng.weighted explains.
interface TemplatePool<T> {
  list: T[];
  weights: Float64Array;
}

/** Whether every entity the template requires exists in the Region at `time`. */
export function meetsNeeds(t: OperationInfo, state: RegionState, time: number): boolean {
  const needs = t.requires;
  for (let i = 0; i < needs.length; i++) if (!state.has(needs[i]!, time)) return false;
  return true;
}

/**
 * Draws which operation a principal calls: among the templates its caller kind may use in the
 * account, by weight (the scenario's overrides first), and only one whose entities exist then.
 */
export class TemplateChoice<T extends OperationInfo> {
  // By the list of operations an activity may call (null: any its caller kind may).
  private readonly candidates = new Map<readonly string[] | null, TemplatePool<T>[]>();

  /** `planned`: operations made only when the world plans them (settings changes), never drawn. */
  constructor(
    private readonly templates: readonly T[],
    private readonly operationWeights: Readonly<Record<string, number>>,
    private readonly failures: Pick<FailureDraw, 'tries'>,
    private readonly planned: ReadonlySet<string> = new Set(),
  ) {}

  /** Templates a caller of this kind may use in this account, with their weights. */
  private pool(
    caller: Caller,
    admin: boolean,
    readOnly: boolean | null,
    ops: readonly string[] | null,
  ): TemplatePool<T> {
    let pools = this.candidates.get(ops);
    if (!pools) this.candidates.set(ops, (pools = []));
    const index = CALLERS.indexOf(caller) * 6 + (admin ? 3 : 0) + (readOnly === null ? 2 : readOnly ? 1 : 0);
    let p = pools[index];
    if (!p) {
      const list = this.templates.filter(
        (t) =>
          !t.scheduledOnly &&
          !this.planned.has(t.eventName) &&
          t.callers.includes(caller) &&
          (admin || t.scope !== 'organization') &&
          (readOnly === null || t.readOnly === readOnly) &&
          (ops === null || ops.includes(t.eventName)),
      );
      const weights = Float64Array.from(list, (t) => this.operationWeights[t.eventName] ?? t.weight);
      p = { list, weights };
      pools[index] = p;
    }
    return p;
  }

  pick(activity: Activity, account: Account, state: RegionState, time: number, rng: Rng): T {
    const readOnly = rng.chance(activity.readOnlyBias);
    const admin = account.organizationAdmin;
    const ops = activity.operations;
    const p = activity.principal;
    let pool = this.pool(activity.caller, admin, readOnly, ops);
    if (pool.list.length === 0) pool = this.pool(activity.caller, admin, null, ops);
    if (pool.list.length === 0) pool = this.pool(activity.caller, admin, null, null);
    if (pool.list.length === 0) pool = this.pool('human', admin, null, null);
    // Callers call what they may: a pick the principal may not make is drawn again, unless it is
    // one they go ahead with (see FailureDraw.tries).
    for (let i = 0; i < 8; i++) {
      const t = rng.weighted(pool.list, pool.weights);
      if (meetsNeeds(t, state, time) && this.failures.tries(t, p, account, time, rng)) return t;
    }
    // Rarely reached (an entity not there yet): only operations whose entities exist, so that no
    // record names one the world does not have.
    const ok = pool.list.filter((t) => meetsNeeds(t, state, time));
    if (ok.length > 0)
      return rng.weighted(
        ok,
        Float64Array.from(ok, (t) => pool.weights[pool.list.indexOf(t)]!),
      );
    const free = this.pool('human', admin, null, null).list.filter((t) => t.requires.length === 0);
    return free.length > 0 ? rng.pick(free) : rng.weighted(pool.list, pool.weights);
  }
}
