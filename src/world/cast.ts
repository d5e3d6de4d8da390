import type { CastArchetype, Poll as PollSeed } from '../generated/service.js';
import type { Rng } from '../shared/rng.js';
import { accessKeyId } from './access-key.js';
import { ciRole, type CiSystem } from './ci-systems.js';
import { makeClient, type ClientKind } from './clients.js';
import { identityCenterPath, identityCenterUserName } from './identity-center.js';
import { awsRange, ispRange, type Range24 } from './network.js';
import { commonHours, isWorkingTime, type WorkHours } from './hours.js';
import type { IdentityType, Poll, Principal } from './principal.js';
import { signInsOf, signsInWithMfa } from './sign-in.js';
import { vpcEndpointIn } from './vpc-endpoint.js';

/** A person of the company: one name, email and IAM user name everywhere in the world. */
export interface Person {
  first: string;
  last: string;
  email: string;
  /** IAM user name style of this company. */
  userName: string;
  /** When the person works: calls they make fall inside these hours. */
  hours: WorkHours;
}

/** A service's settings changes, as its description's `settings` declares them. */
export interface SettingsChanges {
  perAccountPerMonth: number;
  changes: readonly { operations: readonly string[] }[];
}

/** The period of a one-off change: longer than any run, so it falls due once. */
const ONCE_MS = 400 * 86_400_000;
const DAY_MS = 86_400_000;

/** Poll periods a scheduler would use, in minutes. */
const POLL_PERIODS = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440];
/** Share of an account's home-Region calls that its scheduled polls may take. */
const POLL_SHARE = 0.25;

/** IDs such as AIDA…/AROA…: the prefix and 17 characters. */
function uniqueId(prefix: string, rng: Rng): string {
  return `${prefix}${rng.iamId(17)}`;
}

interface PrincipalSeed {
  type: IdentityType;
  actor: Principal['actor'];
  sessionStyle: Principal['sessionStyle'];
  name: string;
  path?: string;
  sessionNames?: string[];
  clients: [ClientKind, number][];
  ranges: 'office' | 'aws';
  weight: number;
  keys?: number;
  issuer?: string;
  invokedBy?: string;
  lambda?: boolean;
  operations?: readonly string[];
  configures?: boolean;
  /** Scheduled polls: period choices in minutes and the operations of each poll. */
  polls?: readonly PollSeed[] | undefined;
  /** Polls made only in accounts that run workloads (not in a bare management account). */
  workloadPolls?: readonly PollSeed[] | undefined;
  /** The people behind a principal (for automation, the people whose changes start its runs): it works the hours they all work. */
  people?: Person[];
  /** Calls only on its schedule (a dashboard bot): no other activity. */
  scheduleOnly?: boolean;
  /** Whose members are paged for a high-severity insight at any hour. */
  onCall?: boolean;
}

/**
 * The cast of one account: Identity Center permission sets, IAM users, automation roles (CI,
 * Terraform, an insight exporter, CloudFormation), a federated user, root and an AWS service,
 * with their clients, ranges, weights, duties and scheduled polls.
 */
export function buildPrincipals(
  account: {
    id: string;
    env: string;
    homeRegion: string;
    /** The organization's Identity Center Region (the account's home Region when alone). */
    identityCenterRegion?: string;
    /** The company's CI system, which deploys to every account. */
    ci?: CiSystem;
  },
  people: Person[],
  office: Range24[],
  rng: Rng,
  start: number,
  opts: {
    admin: boolean;
    workload: boolean;
    homeCallsPerDay: number;
    end: number;
    settings: SettingsChanges | undefined;
  },
  duties: Readonly<Record<string, readonly string[]>>,
  cast: Readonly<Record<string, CastArchetype>> = {},
): Principal[] {
  const duty = (name: string): readonly string[] => duties[name] ?? [];
  // An archetype's names and polls are the service's (its description's `cast`); who it is
  // (identity type, clients, weight, duty) is how companies run automation, whatever the service.
  const part = (name: string): CastArchetype => cast[name] ?? {};
  const polls = (name: string): Pick<PrincipalSeed, 'polls' | 'workloadPolls'> => ({
    polls: part(name).polls,
    workloadPolls: part(name).workloadPolls,
  });
  const named = (name: string, generic: readonly string[]): string => rng.pick(part(name).names ?? generic);
  const ci = ciRole(rng, account.ci);
  const seeds: PrincipalSeed[] = [];
  const signIns = signInsOf(people);
  const staff = rng.shuffle([...signIns.identityCenter]);
  const sso = (set: string, who: Person[], weight: number, onCall = false): void => {
    seeds.push({
      people: who,
      onCall,
      configures: set === 'AdministratorAccess',
      type: 'AssumedRole',
      actor: 'human',
      sessionStyle: 'interactive',
      name: `AWSReservedSSO_${set}_${rng.hex(16)}`,
      path: identityCenterPath(account.identityCenterRegion ?? account.homeRegion),
      sessionNames: who.map(identityCenterUserName),
      clients: [
        ['console', 6],
        ['aws-cli', 3],
        ['boto3', 1],
      ],
      ranges: 'office',
      weight,
    });
  };
  sso('AdministratorAccess', staff.slice(0, 3), 3);
  sso(rng.pick(['ReadOnlyAccess', 'ViewOnlyAccess']), staff.slice(2, 10), 5);
  sso(rng.pick(['DevOpsEngineer', 'PowerUserAccess', 'SREOperators']), staff.slice(4, 9), 8, true);

  for (const person of rng.shuffle([...signIns.iamUsers]).slice(0, rng.int(2, 3))) {
    seeds.push({
      people: [person],
      type: 'IAMUser',
      actor: 'human',
      sessionStyle: 'long-term',
      name: person.userName,
      clients: [
        ['console', 5],
        ['aws-cli', 4],
        ['boto3', 1],
      ],
      ranges: 'office',
      weight: rng.pick([0.5, 1, 2, 4]),
      keys: rng.int(1, 2),
    });
  }
  seeds.push({
    type: 'IAMUser',
    actor: 'automation',
    sessionStyle: 'long-term',
    name: named('dashboard', ['monitoring-bot', 'ops-dashboard']),
    clients: [['boto3', 1]],
    ranges: 'aws',
    weight: 6,
    keys: 1,
    operations: duty('dashboard'),
    scheduleOnly: true,
    ...polls('dashboard'),
  });
  seeds.push({
    type: 'AssumedRole',
    actor: 'automation',
    sessionStyle: 'job',
    name: ci.roleName,
    path: '/',
    sessionNames: [ci.sessionName],
    clients: [
      ['aws-cli', 2],
      ['terraform', 3],
    ],
    ranges: 'aws',
    weight: 4,
    operations: duty('ci'),
    configures: true,
    people: staff,
    ...polls('ci'),
  });
  seeds.push({
    type: 'AssumedRole',
    actor: 'automation',
    sessionStyle: 'job',
    name: rng.pick(['terraform-apply', 'TerraformExecutionRole', 'atlantis-apply']),
    path: rng.pick(['/', '/automation/']),
    // Terraform without a session_name leaves naming to the AWS SDK for Go.
    sessionNames: ['aws-go-sdk-{nanos}'],
    clients: [['terraform', 1]],
    ranges: 'aws',
    weight: 2,
    operations: duty('configuration'),
    configures: true,
    people: staff,
  });
  const fn = named('exporter', ['event-exporter', 'alert-forwarder']);
  seeds.push({
    type: 'AssumedRole',
    actor: 'automation',
    sessionStyle: 'rotating',
    name: `${fn}-role-${rng.alnum(8).toLowerCase()}`,
    path: '/service-role/',
    sessionNames: [fn],
    clients: [[rng.chance(0.5) ? 'boto3' : 'sdk-js-v3', 1]],
    ranges: 'aws',
    weight: 12,
    lambda: true,
    operations: duty('exporter'),
    ...polls('exporter'),
  });
  seeds.push({
    type: 'AssumedRole',
    actor: 'automation',
    sessionStyle: 'rotating',
    name: rng.pick(['CloudFormationExecutionRole', 'cfn-exec-role', 'cdk-hnb659fds-cfn-exec-role']),
    path: '/',
    sessionNames: ['AWSCloudFormation'],
    clients: [['cloudformation', 1]],
    ranges: 'aws',
    weight: 0.3,
    invokedBy: 'cloudformation.amazonaws.com',
    operations: duty('configuration'),
    configures: true,
    people: staff,
  });
  const federated = rng.pick(signIns.federated);
  seeds.push({
    people: [federated],
    type: 'FederatedUser',
    actor: 'human',
    sessionStyle: 'interactive',
    name: federated.userName.slice(0, 24),
    sessionNames: [],
    clients: [
      ['console', 3],
      ['sdk-java-v2', 1],
    ],
    ranges: 'office',
    weight: 1,
    issuer: rng.pick(['federation-broker', 'sso-broker', 'okta-bridge']),
  });
  seeds.push({
    // The account's owner, an administrator, signs in as root.
    people: staff.slice(0, 1),
    type: 'Root',
    actor: 'human',
    sessionStyle: 'interactive',
    name: 'root',
    clients: [['console', 1]],
    ranges: 'office',
    weight: 1,
  });
  seeds.push({
    type: 'AWSService',
    actor: 'service',
    sessionStyle: 'none',
    name: 'ssm.amazonaws.com',
    clients: [],
    ranges: 'aws',
    weight: 1,
    invokedBy: 'ssm.amazonaws.com',
  });
  if (opts.admin) {
    seeds.push({
      type: 'AssumedRole',
      actor: 'automation',
      sessionStyle: 'rotating',
      name: 'org-ops-reporting',
      path: '/',
      sessionNames: ['org-insights-report'],
      clients: [['sdk-go-v2', 1]],
      ranges: 'aws',
      weight: 3,
      operations: duty('organizationReport'),
      scheduleOnly: true,
      ...polls('organizationReport'),
    });
  }

  // Poll periods: each poller's preferred period, lengthened together until all polls fit in the
  // account's share of the volume.
  const pollSeeds = seeds.map((s) => [...(s.polls ?? []), ...(opts.workload ? (s.workloadPolls ?? []) : [])]);
  const preferred = pollSeeds.map((ps) => ps.map((poll) => rng.pick(poll.everyMinutes)));
  const demand = (stretch: number): number =>
    pollSeeds.reduce(
      (sum, ps, i) =>
        sum +
        ps.reduce(
          (s2, poll, k) => s2 + (poll.operations.length * 1440) / period(preferred[i]![k]!, stretch),
          0,
        ),
      0,
    );
  const period = (minutes: number, stretch: number): number =>
    POLL_PERIODS.find((m) => m >= minutes * stretch) ?? POLL_PERIODS[POLL_PERIODS.length - 1]!;
  let stretch = 1;
  while (stretch < 512 && demand(stretch) > POLL_SHARE * opts.homeCallsPerDay) stretch *= 2;
  // A run too small for even daily polls has none: the plan takes polls from the total.
  if (demand(stretch) > POLL_SHARE * opts.homeCallsPerDay) for (const ps of pollSeeds) ps.length = 0;

  const changes = planSettings(seeds, account.homeRegion, start, opts.end, opts.settings, rng);
  return seeds.map((s, i) => {
    const prng = rng.fork(`principal/${i}/${s.name}`);
    // Automation runs on Linux hosts: CI runners, servers, functions.
    const clients = s.clients.map(([kind]) =>
      makeClient(kind, start, prng, { lambda: s.lambda ?? false, linux: s.actor !== 'human' }),
    );
    const prefix = s.type === 'IAMUser' ? 'AIDA' : 'AROA';
    const ranges: Range24[] =
      s.ranges === 'office'
        ? [prng.pick(office), prng.pick(office), ispRange(prng)]
        : [awsRange(prng), awsRange(prng)];
    return {
      key: `${account.id}/${s.type}/${s.name}`,
      type: s.type,
      actor: s.actor,
      sessionStyle: s.sessionStyle,
      accountId: account.id,
      name: s.name,
      uniqueId: s.type === 'Root' ? account.id : uniqueId(prefix, prng),
      accessKeys: Array.from({ length: s.keys ?? 0 }, () => accessKeyId('AKIA', account.id, prng)),
      path: s.path ?? '/',
      sessionNames: s.sessionNames ?? [],
      issuer: s.issuer ? { name: s.issuer, uniqueId: uniqueId('AIDA', prng) } : null,
      invokedBy: s.invokedBy ?? null,
      clients,
      clientWeights: Float64Array.from(s.clients, ([, w]) => w),
      sourceRanges: ranges,
      vpcEndpoint:
        s.actor === 'automation' && prng.chance(0.25) ? vpcEndpointIn(account.homeRegion, prng) : null,
      mfa: s.actor === 'human' && prng.chance(0.85) && signsInWithMfa(s.type, s.path ?? '/'),
      weight: s.weight,
      operations: s.operations ?? null,
      configures: s.configures ?? false,
      polls: pollSeeds[i]!.map((poll, k): Poll => {
        const everyMs = period(preferred[i]![k]!, stretch) * 60_000;
        // Cron-like: on a whole minute, at the poller's own offset.
        return {
          everyMs,
          phaseMs: prng.int(0, everyMs / 60_000 - 1) * 60_000 + prng.int(0, 59) * 1000,
          region: account.homeRegion,
          operations: poll.operations,
        };
      }).concat(changes.get(i) ?? []),
      sessionPhase: prng.int(0, 7 * 3600) * 1000,
      hours: commonHours((s.people ?? []).map((p) => p.hours)),
      scheduleOnly: s.scheduleOnly ?? false,
      onCall: s.onCall ?? false,
    } satisfies Principal;
  });
}

/**
 * Settings changes of an account over [start, end): about `perAccountPerMonth` per 30 days, each
 * by one of the principals that configure the service (an administrator, an IaC or CI role), in
 * its working hours, in the home Region. Each is a poll due once, so the plan counts it apart.
 */
function planSettings(
  seeds: readonly PrincipalSeed[],
  region: string,
  start: number,
  end: number,
  settings: SettingsChanges | undefined,
  rng: Rng,
): Map<number, Poll[]> {
  const byPrincipal = new Map<number, Poll[]>();
  if (!settings || settings.changes.length === 0) return byPrincipal;
  const r = rng.fork('settings');
  // CloudFormation has no resource for every setting: administrators, CI and Terraform change them.
  const who = seeds
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.configures && s.people && !s.clients.some(([kind]) => kind === 'cloudformation'));
  const expected = (settings.perAccountPerMonth * (end - start)) / (30 * DAY_MS);
  const n = r.binomial(1000, Math.min(1, expected / 1000));
  for (let k = 0; k < n && who.length > 0; k++) {
    const { s, i } = r.pick(who);
    const hours = commonHours(s.people!.map((p) => p.hours));
    let at = start + Math.floor(r.next() * (end - start));
    for (let tries = 0; tries < 50 && hours && !isWorkingTime(hours, at); tries++)
      at = start + Math.floor(r.next() * (end - start));
    const list = byPrincipal.get(i) ?? [];
    list.push({
      everyMs: ONCE_MS,
      phaseMs: Math.floor(at / 1000) * 1000,
      region,
      operations: r.pick(settings.changes).operations,
    });
    byPrincipal.set(i, list);
  }
  return byPrincipal;
}
