import type { Rng } from '../shared/rng.js';
import type { Principal } from '../world/principal.js';
import type { OperationInfo } from './operation.js';

/** Decides whether a call fails and with which of its operation's errors. */
export class FailureDraw {
  private readonly readOnlyPrincipals = new Map<string, boolean>();

  constructor(private readonly errorRate: number) {}

  /** Read-only permission sets are denied every write they try. */
  private isReadOnlyPrincipal(principal: Principal): boolean {
    let ro = this.readOnlyPrincipals.get(principal.key);
    if (ro === undefined) {
      ro = /ReadOnly|ViewOnly/.test(principal.name);
      this.readOnlyPrincipals.set(principal.key, ro);
    }
    return ro;
  }

  /** The error code a call fails with, or undefined when it succeeds. */
  draw(t: OperationInfo, principal: Principal, rng: Rng): string | undefined {
    if (t.errors.length === 0) return undefined;
    if (
      !t.readOnly &&
      this.isReadOnlyPrincipal(principal) &&
      t.errors.some((e) => e.code === 'AccessDeniedException')
    ) {
      return 'AccessDeniedException';
    }
    if (!rng.chance(this.errorRate)) return undefined;
    // Throttling comes only in runs (see Behaviour's activities); an AWS service acts with its own
    // permissions.
    const codes = t.errors.filter(
      (e) =>
        e.code !== 'ThrottlingException' &&
        !(principal.type === 'AWSService' && e.code === 'AccessDeniedException'),
    );
    if (codes.length === 0) return undefined;
    return rng.weighted(
      codes,
      Float64Array.from(codes, (e) => e.weight),
    ).code;
  }
}
