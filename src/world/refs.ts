/**
 * An entity as calls see it: its fields by name, every field of its kind present, in the order
 * the service description declares them (docs/hot-path.md, rule 3). What the fields are is data
 * (`entities` in the service's service.json), not code.
 */
export type EntityRef = Readonly<Record<string, unknown>>;

/**
 * One entity of the world in an account and Region, with its two states for kinds that open and
 * close (`lifetime`): `open` until `closesAt`, `closed` from then on. For other kinds both are the
 * entity itself and `closesAt` is Infinity.
 */
export interface Instance {
  /** The value of the kind's key field: what a create and a later delete agree on. */
  readonly key: string;
  readonly open: EntityRef;
  readonly closed: EntityRef;
  /** Epoch ms from which the instance exists (-Infinity for one that exists before the period). */
  readonly opensAt: number;
  /** Epoch ms at which it closes (Infinity when it never does). */
  readonly closesAt: number;
}

/** The instance's state at `t`. */
export function stateAt(i: Instance, t: number): EntityRef {
  return t >= i.closesAt ? i.closed : i.open;
}

/**
 * The part of the world visible at the event's account, Region and time. A getter draws from the
 * window's random stream when the kind's `pick` says so.
 */
export interface WorldView {
  /**
   * The call's entity of a kind: the one the call changes, one that exists at the event time, or
   * (when none does, or the call fails because it does not) one drawn afresh from the kind's
   * `missing` fields.
   */
  entity(kind: string): EntityRef;
  /**
   * A field of every entity of a kind that exists at the event time (only the changed one for a
   * call that changes one), or the kind's wildcard when there is none.
   */
  values(kind: string, field: string): readonly unknown[];
  /** Account IDs of the organization (management account first), or just this account. */
  organizationAccountIds(): readonly string[];
  /** Organizational unit IDs of the organization (may be empty). */
  organizationalUnitIds(): readonly string[];
}
