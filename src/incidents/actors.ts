import type { Actor } from '../generated/playbook.js';
import { UsageError } from '../shared/errors.js';
import type { Rng } from '../shared/rng.js';
import { makeClient, type Client, type ClientKind } from '../world/clients.js';
import type { Range24 } from '../world/network.js';
import type { Principal } from '../world/principal.js';
import type { Account, World } from '../world/world.js';

/** A role of an incident as played: the principal, the client it calls from, and what it brought. */
export interface IncidentActor {
  role: string;
  principal: Principal;
  client: Client;
  /** What is new about the actor: a role created for the incident, a network, a user agent. */
  brought: ('role' | 'network' | 'userAgent')[];
}

/**
 * First two octets of hosting providers' address space (VPS and dedicated servers, where leaked
 * keys are tried from): none of the world's offices or AWS ranges use them.
 */
const HOSTING_PREFIXES = ['45.137', '146.70', '185.213', '193.29', '5.181', '91.92', '89.44', '194.165'];

/**
 * Whether a principal of the cast can play an actor (the identity mix must give its type calls).
 * On its own network it calls only what its duties cover (`operations`, the role's calls in the
 * playbook): a runaway job loops over its own calls.
 */
export function fits(p: Principal, a: Actor, world: World, operations: readonly string[] = []): boolean {
  return (
    (a.network === 'new' ||
      a.from === 'new-role' ||
      p.operations === null ||
      operations.every((o) => p.operations!.includes(o))) &&
    p.type !== 'AWSService' &&
    p.invokedBy === null &&
    (world.identityMix[p.type] ?? 0) > 0 &&
    (a.type === undefined || p.type === a.type) &&
    (a.actor === undefined || p.actor === a.actor) &&
    (a.longTermKey !== true || p.accessKeys.length > 0) &&
    (a.configures === undefined || p.configures === a.configures) &&
    // A console actor needs a principal that signs in to the console.
    (a.client !== 'console' || p.clients.some((c) => c.kind === 'console')) &&
    (a.from !== 'new-role' || (p.type === 'AssumedRole' && p.actor === 'automation'))
  );
}

/**
 * Casts a role: a principal of the account that fits (the one named, when the scenario names one),
 * or for `new-role` a role created for the incident on the model of an automation role. Then its
 * client, network and user agent as the playbook says.
 *
 * @throws UsageError when a named principal does not exist or does not fit
 */
export function castActor(
  role: string,
  a: Actor,
  account: Account,
  world: World,
  rng: Rng,
  start: number,
  named: string | undefined,
  where: string,
  operations: readonly string[],
): IncidentActor | undefined {
  const candidates = account.principals.filter((p) => fits(p, a, world, operations));
  let base: Principal | undefined;
  if (named !== undefined) {
    base = account.principals.find((p) => p.name === named);
    if (!base) throw new UsageError(where, `no principal "${named}" in account ${account.id}`);
    if (!fits(base, a, world, operations))
      throw new UsageError(where, `${base.type} "${named}" cannot play the playbook's ${role}`);
  } else if (candidates.length > 0) base = rng.pick(candidates);
  if (!base) return undefined;
  const brought: IncidentActor['brought'] = [];
  let principal = base;
  if (a.from === 'new-role') {
    brought.push('role');
    principal = {
      ...base,
      key: `${account.id}/AssumedRole/${a.roleName!}`,
      name: a.roleName!,
      uniqueId: `AROA${rng.iamId(17)}`,
      path: '/',
      sessionNames: [a.roleName!],
      polls: [],
      weight: 0,
      vpcEndpoint: null,
      invokedBy: null,
    };
  }
  const kind = (a.client ?? principal.clients[0]?.kind ?? 'aws-cli') as ClientKind;
  let client = principal.clients.find((c) => c.kind === kind) ?? makeClient(kind, start, rng.fork('client'));
  if (a.userAgent !== undefined) {
    brought.push('userAgent');
    client = { ...client, userAgent: a.userAgent, viaService: false };
  }
  if (a.network === 'new') {
    brought.push('network');
    const range: Range24 = `${rng.pick(HOSTING_PREFIXES)}.${rng.int(0, 255)}`;
    principal = { ...principal, sourceRanges: [range], vpcEndpoint: null };
  }
  // A copy made for the incident is its own principal: one client, the one it uses.
  if (principal !== base) principal = { ...principal, clients: [client], clientWeights: Float64Array.of(1) };
  return { role, principal, client, brought };
}
