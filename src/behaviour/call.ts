import type { Rng } from '../shared/rng.js';
import type { Client } from '../world/clients.js';
import type { Lifecycle } from '../world/lifecycle.js';
import type { Principal } from '../world/principal.js';
import type { RegionState } from '../world/view.js';
import type { Account } from '../world/world.js';
import type { OperationInfo } from './operation.js';

/**
 * One call as behaviour decided it: who made it, from which client, with which operation, when,
 * and whether and how it failed. A record writer turns it into bytes; a test reads it as it is.
 * Behaviour fills one description in place for every call rather than allocating one per call
 * (docs/hot-path.md): a sink reads it during `call` and copies what it keeps.
 */
export interface CallDescription<T extends OperationInfo = OperationInfo> {
  readonly template: T;
  readonly account: Account;
  readonly region: string;
  /** The world in the call's account and Region, which the record's references are drawn from. */
  readonly state: RegionState;
  readonly principal: Principal;
  readonly client: Client;
  /** Epoch ms, whole seconds. */
  readonly time: number;
  /** The error the call fails with, or undefined when it succeeds. */
  readonly errorCode: string | undefined;
  /** When the job or activity the call belongs to started (its session's creation), if any. */
  readonly jobStart: number | undefined;
  /** The world change the call carries out, for a call the world planned. */
  readonly change: Lifecycle | null;
  /** `change` as templates name it, `entity.event`. */
  readonly label: string | undefined;
  /**
   * 0 for a call on its own or a first page; n for the n-th following page of a paginated call,
   * which repeats the call before it with a page token (the writer keeps the first page's request).
   */
  readonly page: number;
}

/** A call description behaviour fills in place, one per window being decided. */
export type CallSlot<T extends OperationInfo> = {
  -readonly [K in keyof CallDescription<T>]: CallDescription<T>[K];
};

/** An empty slot, every field present from the start, so that all slots have one shape. */
export function emptySlot<T extends OperationInfo>(
  template: T,
  state: RegionState,
  principal: Principal,
): CallSlot<T> {
  return {
    template,
    account: state.account,
    region: state.region,
    state,
    principal,
    client: principal.clients[0] ?? { kind: 'cloudformation', userAgent: '', viaService: true },
    time: 0,
    errorCode: undefined,
    jobStart: undefined,
    change: null,
    label: undefined,
    page: 0,
  };
}

/** What a call is, as behaviour names it: every field of a description, by name. */
export type CallFields<T extends OperationInfo> = CallDescription<T>;

/**
 * Fills the slot with a call and returns it (see `CallSink`: a sink copies what it keeps). The
 * fields come as one object literal with every field, in one order, at every call site: one shape
 * (docs/hot-path.md, rule 3) that V8 does not allocate once the call is inlined (rule 5).
 *
 * @example out.call(callOf(slot, { template, account, region, state, principal, client, time, errorCode: undefined, jobStart: undefined, change: null, label: undefined, page: 0 }), rng)
 */
export function callOf<T extends OperationInfo>(slot: CallSlot<T>, f: CallFields<T>): CallDescription<T> {
  slot.template = f.template;
  slot.account = f.account;
  slot.region = f.region;
  slot.state = f.state;
  slot.principal = f.principal;
  slot.client = f.client;
  slot.time = f.time;
  slot.errorCode = f.errorCode;
  slot.jobStart = f.jobStart;
  slot.change = f.change;
  slot.label = f.label;
  slot.page = f.page;
  return slot;
}

/**
 * Receives a window's calls as behaviour decides them, in order, with the window's random stream:
 * the record writer, or a test's list. The writer draws what a record shows of the call (request
 * values, IDs) from the same stream right away, before behaviour draws the next call. The
 * description is reused for the next call: copy it to keep it.
 */
export interface CallSink<T extends OperationInfo = OperationInfo> {
  call(c: CallDescription<T>, rng: Rng): void;
}
