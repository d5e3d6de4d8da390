import type { Rng } from '../shared/rng.js';
import type { Client } from '../world/clients.js';
import type { Principal } from '../world/principal.js';
import type { Account } from '../world/world.js';
import type { CastCurve } from '../plan/curve.js';
import type { Caller } from './operation.js';

/** A principal's run of calls from one client: a console visit, a CLI session, a CI job. */
export interface Activity {
  principal: Principal;
  client: Client;
  /** Calls in this activity. */
  size: number;
  /** Seconds between calls. */
  gap: [number, number];
  readOnlyBias: number;
  caller: Caller;
  /** Whether a run of its calls may be throttled: scripts and jobs that call in quick succession. */
  mayThrottle: boolean;
  /** Fewest calls that make the activity: a console visit is a burst, never a lone call. */
  minSize: number;
  /** Operations the activity starts with, in order (the console dashboard's first requests). */
  opening: readonly string[];
  /**
   * The operations it may call, or null for any its caller kind may: the principal's duty, or
   * for an infrastructure-as-code tool the reads that refresh the resources it manages.
   */
  operations: readonly string[] | null;
}

/** The client an AWS service, or a principal without clients, calls through. */
export function serviceClient(principal: Principal): Client {
  return { kind: 'cloudformation', userAgent: principal.invokedBy ?? 'AWS Internal', viaService: true };
}

/**
 * Draws who acts in an account and how: a principal by who is at work at the time (people in their
 * working hours, automation around the clock: `CastCurve`), one of its clients, and the shape of
 * its activity.
 */
export class ActivityDraw {
  /** `opening`: what the service's console loads first, in order (its description's console.opening). */
  /** `tools`: per IaC client kind, the operations its refreshes read (the description's infrastructureAsCode). */
  constructor(
    private readonly curve: CastCurve,
    private readonly opening: readonly string[],
    private readonly tools: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  private pickPrincipal(account: Account, region: string, time: number, rng: Rng): Principal {
    const { weights, total } = this.curve.weights(account, region, time);
    // Nobody at work and no automation (an identity mix of people only, at night): anyone.
    if (total <= 0) return rng.pick(account.principals);
    return rng.weighted(account.principals, weights);
  }

  /** An activity starting in the account's Region at `time`. */
  draw(account: Account, region: string, time: number, rng: Rng): Activity {
    const principal = this.pickPrincipal(account, region, time, rng);
    const client =
      principal.clients.length > 0 ? rng.weighted(principal.clients, principal.clientWeights) : null;
    if (principal.actor === 'service' || !client) {
      return {
        principal,
        client: serviceClient(principal),
        size: rng.int(1, 2),
        gap: [1, 20],
        readOnlyBias: 0.9,
        caller: 'service',
        mayThrottle: false,
        minSize: 1,
        opening: [],
        operations: principal.operations,
      };
    }
    if (client.kind === 'console') {
      // A person opens the console: a burst of reads within minutes; a rare write is feedback.
      return {
        principal,
        client,
        size: rng.int(3, 12),
        gap: [2, 25],
        readOnlyBias: 0.995,
        caller: 'human',
        mayThrottle: false,
        minSize: 3,
        opening: this.opening,
        operations: principal.operations,
      };
    }
    if (principal.actor === 'human')
      return {
        principal,
        client,
        size: rng.int(1, 4),
        gap: [1, 15],
        readOnlyBias: 0.98,
        caller: 'human',
        mayThrottle: true,
        minSize: 1,
        opening: [],
        operations: principal.operations,
      };
    // A CI run or `terraform plan` refreshes configuration; applies that write are rare.
    if (principal.sessionStyle === 'job')
      return {
        principal,
        client,
        size: rng.int(2, 8),
        gap: [0, 6],
        readOnlyBias: 0.96,
        caller: 'automation',
        mayThrottle: true,
        minSize: 1,
        opening: [],
        operations: this.tools.get(client.kind) ?? principal.operations,
      };
    return {
      principal,
      client,
      size: rng.int(1, 5),
      gap: [0, 3],
      readOnlyBias: 0.98,
      caller: 'automation',
      mayThrottle: true,
      minSize: 1,
      opening: [],
      operations: this.tools.get(client.kind) ?? principal.operations,
    };
  }
}
