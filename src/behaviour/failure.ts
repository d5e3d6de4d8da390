import type { Rng } from '../shared/rng.js';
import type { Permissions } from '../world/policies.js';
import type { Principal } from '../world/principal.js';
import type { Account } from '../world/world.js';
import type { ErrorChoice, OperationInfo } from './operation.js';

/** The error codes whose cause is in the world or the request rather than a draw. */
export const DENIED = 'AccessDeniedException';
export const THROTTLED = 'ThrottlingException';
export const INVALID = 'ValidationException';
export const NOT_FOUND = 'ResourceNotFoundException';

/**
 * Share of the error rate that denials take; the other errors are drawn at the rest. Denials
 * follow from the permission model, so their share is kept by how often people try what they may
 * not (see `FailureDraw.tryRate`) and how many principals lack a permission for a while (see
 * world/policies.ts), both set from the error rate.
 */
const DENIED_SHARE = 0.45;
/** Share of the error rate that throttling takes, in bursts of a busy caller. */
const THROTTLED_SHARE = 0.06;

/**
 * The weight of errors (besides denials and throttling) at which an operation fails at the error
 * rate's remaining share; most list about 4.3 and those calls that name an entity or take input
 * fail more, the few that list only an internal error far less.
 */
const TYPICAL_WEIGHT = 2.4;

/** What failures are drawn from. */
export interface FailureSettings {
  /** Share of calls that fail, 0..1. */
  errorRate: number;
  /** Who may call what, and since and until when. */
  permissions: Permissions;
  /** Whether every request of the operation can be made invalid (it takes input with constraints). */
  invalidable: (t: OperationInfo) => boolean;
}

/** A run of calls by one caller, and which of them are throttled (none when `to` is `from`). */
export interface Burst {
  size: number;
  throttleFrom: number;
  throttleTo: number;
  /** The calls leave back to back: a script in a loop, busy enough to be throttled. */
  busy: boolean;
}

/** The errors drawn at random for an operation, with their weights, built once. */
interface Drawn {
  list: ErrorChoice[];
  weights: Float64Array;
  canBeDenied: boolean;
  /**
   * How often the operation fails with one of them, relative to the error rate: an operation
   * whose template lists few errors (weights summing below `TYPICAL_WEIGHT`) fails less often, so
   * that each error code keeps the share its weight gives it.
   */
  scale: number;
}

/**
 * Decides whether a call fails and why. A denial follows from the principal's policies at the
 * call's time; a ValidationException only for an operation whose request can be made invalid (the
 * record writer breaks it); a ResourceNotFoundException only for one that names an entity (the
 * record names one that does not exist then); throttling only in a busy caller's burst. The other
 * errors (a conflict, an internal error) are drawn at the error rate.
 */
export class FailureDraw {
  private readonly drawn = new Map<OperationInfo, Drawn>();
  /** Share of calls that fail with an error drawn at random. */
  private readonly otherRate: number;
  /** How often a person goes ahead with an action they may not call (they rarely do). */
  private readonly tryRate: number;
  /** How often an activity that may be throttled is a busy burst. */
  private readonly burstRate: number;

  constructor(private readonly settings: FailureSettings) {
    const rate = settings.errorRate;
    this.otherRate = rate * (1 - DENIED_SHARE - THROTTLED_SHARE);
    this.tryRate = Math.min(1, rate * 6);
    this.burstRate = Math.min(1, rate * THROTTLED_SHARE * 8);
  }

  private drawnOf(t: OperationInfo): Drawn {
    let d = this.drawn.get(t);
    if (!d) {
      const invalidable = this.settings.invalidable(t);
      const list = t.errors.filter((e) => e.code !== DENIED && e.code !== THROTTLED);
      // An error without a cause here (no input to get wrong, no entity to miss) is drawn as a
      // success, so that the others keep the share of the operation's calls their weights give.
      const possible = (e: ErrorChoice): boolean =>
        (e.code !== INVALID || invalidable) && (e.code !== NOT_FOUND || t.requires.length > 0);
      d = {
        list: list.map((e) => (possible(e) ? e : { code: '', weight: e.weight })),
        weights: Float64Array.from(list, (e) => e.weight),
        canBeDenied: t.errors.some((e) => e.code === DENIED),
        scale: Math.min(4, list.reduce((sum, e) => sum + e.weight, 0) / TYPICAL_WEIGHT),
      };
      this.drawn.set(t, d);
    }
    return d;
  }

  /**
   * Whether the principal goes ahead with the operation at `time`: always when it may call it; a
   * principal whose role lacks a permission it should have (until the fix); otherwise a person
   * rarely, a job never.
   */
  tries(t: OperationInfo, principal: Principal, account: Account, time: number, rng: Rng): boolean {
    if (!this.drawnOf(t).canBeDenied) return true;
    const permissions = this.settings.permissions;
    if (permissions.denial(principal, account, t.eventName, time) === null) return true;
    // Nobody knows of a permission their role lacks until they are denied it.
    if (permissions.inGap(principal, t.eventName, time)) return true;
    return principal.actor === 'human' && rng.chance(this.tryRate);
  }

  /** The error code a call fails with, or undefined when it succeeds. */
  draw(t: OperationInfo, principal: Principal, account: Account, time: number, rng: Rng): string | undefined {
    const d = this.drawnOf(t);
    if (d.canBeDenied && this.settings.permissions.denial(principal, account, t.eventName, time) !== null)
      return DENIED;
    if (d.list.length === 0 || !rng.chance(this.otherRate * d.scale)) return undefined;
    return rng.weighted(d.list, d.weights).code || undefined;
  }

  /**
   * The shape of an activity of `size` calls with `remaining` left in the window: now and then a
   * script or job that may be throttled runs a busy loop instead, and a run of its calls is
   * throttled before it backs off.
   */
  burst(mayThrottle: boolean, size: number, remaining: number, rng: Rng): Burst {
    if (!mayThrottle || remaining < 12 || !rng.chance(this.burstRate))
      return { size, throttleFrom: size, throttleTo: size, busy: false };
    const busy = Math.min(remaining, rng.int(12, 30));
    const run = rng.int(3, 6);
    const from = rng.int(Math.floor(busy / 2), busy - run);
    return { size: busy, throttleFrom: from, throttleTo: from + run, busy: true };
  }
}
