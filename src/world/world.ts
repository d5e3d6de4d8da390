import type { Faker } from '@faker-js/faker';
import { Rng } from '../shared/rng.js';
import { SeededFaker } from '../shared/faker.js';
import type { InsightRef } from './refs.js';
import { makeClient, type ClientKind } from './clients.js';
import { awsRange, ispRange, type Range24 } from './network.js';
import type { IdentityType, Principal } from './principal.js';
import { ENVS, insightTimeline, stackNames, tagCollections, type RegionResources } from './resources.js';
import { REGION_UTC_OFFSET } from '../scenario/regions.js';

const DAY = 86_400_000;

/** What the world is drawn from: the parts of the scenario that shape accounts, people and resources. */
export interface WorldOptions {
  seed: number;
  start: number;
  end: number;
  accounts: number;
  regions: readonly string[];
  /** Relative share of calls per identity type. */
  identityMix: Readonly<Record<IdentityType, number>>;
  /** Make the accounts one AWS Organization (always true with more than one account). */
  organization: boolean;
  /**
   * Calls in the whole run, when known: scheduled pollers poll less often in a small run, so that
   * their polls fit in the volume (about a quarter of an account's calls in its home Region).
   */
  events?: number;
  /**
   * What each kind of automation does with the service, by duty name (the service description's
   * `duties`): the cast's archetypes name one. A duty the description lacks is an empty list.
   */
  duties: Readonly<Record<string, readonly string[]>>;
}

/** Poll periods a scheduler would use, in minutes. */
const POLL_PERIODS = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440];
/** Share of an account's home-Region calls that its scheduled polls may take. */
const POLL_SHARE = 0.25;

export interface Person {
  first: string;
  last: string;
  email: string;
  /** IAM user name style of this company. */
  userName: string;
}

export interface Account {
  id: string;
  alias: string;
  env: string;
  /** Where most of the account's work happens. */
  homeRegion: string;
  /** Share of calls per Region (DevOps Guru enabled in a few, console visits elsewhere). */
  regionWeights: Readonly<Record<string, number>>;
  /** UTC offset of the people who work in this account, in hours. */
  utcOffset: number;
  /** Share of the organization's calls made in this account. */
  weight: number;
  principals: Principal[];
  resources: Readonly<Record<string, RegionResources>>;
  /** Management or delegated administrator account of the organization. */
  organizationAdmin: boolean;
}

export interface Organization {
  id: string;
  rootId: string;
  unitIds: string[];
  managementAccountId: string;
}

export interface World {
  seed: number;
  accounts: Account[];
  organization: Organization | null;
  people: Person[];
  identityMix: Readonly<Record<IdentityType, number>>;
}

function accountId(rng: Rng): string {
  return `${rng.int(1, 9)}${rng.chars(11, '0123456789')}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 20)
    .replace(/-+$/, '');
}

function makePeople(faker: Faker, rng: Rng, domain: string, count: number): Person[] {
  const people: Person[] = [];
  const seen = new Set<string>();
  const style = rng.int(0, 2);
  while (people.length < count) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const f = slug(first).replace(/-/g, '');
    const l = slug(last).replace(/-/g, '');
    if (!f || !l || seen.has(`${f}.${l}`)) continue;
    seen.add(`${f}.${l}`);
    const userName = style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]}${l}` : `${f}_${l}`;
    people.push({ first, last, email: `${f}.${l}@${domain}`, userName });
  }
  return people;
}

/** IDs such as AIDA…/AROA…: the prefix and 17 characters. */
function uniqueId(prefix: string, rng: Rng): string {
  return `${prefix}${rng.iamId(17)}`;
}

function accessKey(prefix: string, rng: Rng): string {
  return `${prefix}${rng.iamId(16)}`;
}

interface PollSeed {
  everyMinutes: readonly number[];
  operations: readonly string[];
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
  polls?: PollSeed[];
  /** Polls made only in accounts that run workloads (not in a bare management account). */
  workloadPolls?: PollSeed[];
}

function buildPrincipals(
  account: { id: string; env: string; homeRegion: string },
  people: Person[],
  office: Range24[],
  rng: Rng,
  start: number,
  opts: { admin: boolean; workload: boolean; homeCallsPerDay: number },
  duties: Readonly<Record<string, readonly string[]>>,
): Principal[] {
  const duty = (name: string): readonly string[] => duties[name] ?? [];
  const seeds: PrincipalSeed[] = [];
  const staff = rng.shuffle([...people]);
  const sso = (set: string, who: Person[], weight: number): void => {
    seeds.push({
      configures: set === 'AdministratorAccess',
      type: 'AssumedRole',
      actor: 'human',
      sessionStyle: 'interactive',
      name: `AWSReservedSSO_${set}_${rng.hex(16)}`,
      path: `/aws-reserved/sso.amazonaws.com/${account.homeRegion}/`,
      sessionNames: who.map((p) => (rng.chance(0.8) ? p.email : p.userName)),
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
  sso(rng.pick(['DevOpsEngineer', 'PowerUserAccess', 'SREOperators']), staff.slice(4, 9), 8);

  for (const person of staff.slice(0, rng.int(2, 4))) {
    seeds.push({
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
    name: rng.pick(['svc-devops-guru-reporter', 'monitoring-bot', 'ops-dashboard', 'grafana-devopsguru']),
    clients: [['boto3', 1]],
    ranges: 'aws',
    weight: 6,
    keys: 1,
    operations: duty('dashboard'),
    workloadPolls: [
      { everyMinutes: [15, 30], operations: ['DescribeAccountHealth', 'DescribeAccountOverview'] },
    ],
  });
  seeds.push({
    type: 'AssumedRole',
    actor: 'automation',
    sessionStyle: 'job',
    name: rng.pick(['github-actions-deploy', 'GitHubActionsDeployRole', 'gitlab-ci-deploy', 'ci-deployer']),
    path: '/',
    sessionNames: [rng.pick(['GitHubActions', 'gitlab-ci', 'ci-deploy'])],
    clients: [
      ['aws-cli', 2],
      ['terraform', 3],
    ],
    ranges: 'aws',
    weight: 4,
    operations: duty('ci'),
    configures: true,
    workloadPolls: [{ everyMinutes: [60], operations: ['ListInsights', 'DescribeAccountHealth'] }],
  });
  seeds.push({
    type: 'AssumedRole',
    actor: 'automation',
    sessionStyle: 'job',
    name: rng.pick(['terraform-apply', 'TerraformExecutionRole', 'atlantis-apply']),
    path: rng.pick(['/', '/automation/']),
    sessionNames: ['terraform'],
    clients: [['terraform', 1]],
    ranges: 'aws',
    weight: 2,
    operations: duty('configuration'),
    configures: true,
  });
  const fn = rng.pick([
    'devops-guru-insight-exporter',
    'insight-to-slack',
    'guru-insight-forwarder',
    'ops-insight-sync',
  ]);
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
    workloadPolls: [{ everyMinutes: [10, 15], operations: ['ListInsights'] }],
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
  });
  seeds.push({
    type: 'FederatedUser',
    actor: 'human',
    sessionStyle: 'interactive',
    name: rng.pick(staff).userName.slice(0, 24),
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
      polls: [{ everyMinutes: [60], operations: ['DescribeOrganizationHealth', 'ListOrganizationInsights'] }],
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

  return seeds.map((s, i) => {
    const prng = rng.fork(`principal/${i}/${s.name}`);
    const clients = s.clients.map(([kind]) => makeClient(kind, start, prng, { lambda: s.lambda ?? false }));
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
      accessKeys: Array.from({ length: s.keys ?? 0 }, () => accessKey('AKIA', prng)),
      path: s.path ?? '/',
      sessionNames: s.sessionNames ?? [],
      issuer: s.issuer ? { name: s.issuer, uniqueId: uniqueId('AIDA', prng) } : null,
      invokedBy: s.invokedBy ?? null,
      clients,
      clientWeights: Float64Array.from(s.clients, ([, w]) => w),
      sourceRanges: ranges,
      vpcEndpointId: s.actor === 'automation' && prng.chance(0.25) ? `vpce-${prng.hex(17)}` : null,
      mfa: s.actor === 'human' && prng.chance(0.85),
      weight: s.weight,
      operations: s.operations ?? null,
      configures: s.configures ?? false,
      polls: pollSeeds[i]!.map((poll, k) => {
        const everyMs = period(preferred[i]![k]!, stretch) * 60_000;
        // Cron-like: on a whole minute, at the poller's own offset.
        return {
          everyMs,
          phaseMs: prng.int(0, everyMs / 60_000 - 1) * 60_000 + prng.int(0, 59) * 1000,
          region: account.homeRegion,
          operations: poll.operations,
        };
      }),
      sessionPhase: prng.int(0, 7 * 3600) * 1000,
    } satisfies Principal;
  });
}

function accountEnv(i: number, organized: boolean): string {
  return i === 0 && organized ? 'management' : (ENVS[(i - (organized ? 1 : 0)) % ENVS.length] ?? 'prod');
}

/** Share of the organization's calls made in an account of this environment. */
function accountWeight(env: string): number {
  return env === 'management' ? 0.6 : env === 'prod' || env === 'production' ? 2 : 1;
}

/** Share of an account's calls made in its home Region. */
function homeShare(regionWeights: Readonly<Record<string, number>>, home: string): number {
  let total = 0;
  for (const w of Object.values(regionWeights)) total += w;
  return total > 0 ? (regionWeights[home] ?? 0) / total : 0;
}

/**
 * Draws the world once from the seed: accounts with aliases and home Regions, the people who work
 * in them, each account's principals and its DevOps Guru resources per Region.
 */
export function buildWorld(options: WorldOptions): World {
  const root = new Rng(options.seed).fork('world');
  const faker = new SeededFaker(root.fork('faker')).faker;
  const company = slug(faker.company.name().split(/[ ,]/)[0] ?? 'example') || 'example';
  const domain = `${company}.${root.pick(['com', 'io', 'net', 'co'])}`;
  const people = makePeople(faker, root.fork('people'), domain, 14);
  const office = [ispRange(root), ispRange(root), ispRange(root)];

  const organized = options.organization || options.accounts > 1;
  const days = Math.max(1 / 24, (options.end - options.start) / DAY);
  const callsPerDay = options.events === undefined ? Infinity : options.events / days;
  // Environments of all accounts, to know each one's share of the volume before drawing it.
  let totalWeight = 0;
  for (let i = 0; i < options.accounts; i++) totalWeight += accountWeight(accountEnv(i, organized));
  const accounts: Account[] = [];
  const ids = new Set<string>();
  const regions = options.regions;
  for (let i = 0; i < options.accounts; i++) {
    const arng = root.fork(`account/${i}`);
    let id = accountId(arng);
    while (ids.has(id)) id = accountId(arng);
    ids.add(id);
    const env = accountEnv(i, organized);
    const homeRegion = regions.includes('us-east-1') && i === 0 ? 'us-east-1' : arng.pick(regions);
    const secondary = new Set(arng.shuffle([...regions]).slice(0, 2));
    const regionWeights: Record<string, number> = {};
    for (const r of regions) regionWeights[r] = r === homeRegion ? 1 : secondary.has(r) ? 0.12 : 0.008;
    const admin = organized && (i === 0 || (options.accounts > 2 && i === 1));
    const weight = accountWeight(env);
    const acc = { id, env, homeRegion };
    const resources: Record<string, RegionResources> = {};
    for (const r of regions) {
      const rr = arng.fork(`resources/${r}`);
      const active = r === homeRegion || secondary.has(r);
      const stacks =
        env === 'management'
          ? []
          : stackNames(rr, env === 'production' ? 'prod' : env, active ? rr.int(4, 12) : rr.int(0, 2));
      resources[r] = {
        stacks,
        tags: tagCollections(rr),
        insights: insightTimeline(
          rr,
          options.start - 30 * DAY,
          options.end,
          active ? (r === homeRegion ? 1.5 : 0.4) : 0.05,
          stacks,
        ),
        channels: active
          ? Array.from({ length: rr.int(1, 2) }, (_, k) => ({
              id: rr.uuid(),
              topicArn: `arn:aws:sns:${r}:${id}:${k === 0 ? 'devops-guru-notifications' : rr.pick(['ops-alerts', 'oncall-pager', 'sre-insights'])}`,
            }))
          : [],
        kmsKeyArn: `arn:aws:kms:${r}:${id}:key/${rr.uuid()}`,
      };
      for (const insight of resources[r]!.insights) insightStates(insight);
    }
    accounts.push({
      id,
      alias: `${company}-${env}`,
      env,
      homeRegion,
      regionWeights,
      utcOffset: REGION_UTC_OFFSET[homeRegion] ?? 0,
      weight,
      principals: buildPrincipals(
        acc,
        people,
        office,
        arng,
        options.start,
        {
          admin,
          workload: env !== 'management',
          homeCallsPerDay: homeShare(regionWeights, homeRegion) * (weight / totalWeight) * callsPerDay,
        },
        options.duties,
      ),
      resources,
      organizationAdmin: admin,
    });
  }
  const orng = root.fork('organization');
  const organization: Organization | null = organized
    ? {
        id: `o-${orng.chars(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
        rootId: `r-${orng.chars(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
        unitIds: [],
        managementAccountId: accounts[0]!.id,
      }
    : null;
  if (organization) {
    const r = organization.rootId.slice(2);
    for (let k = 0; k < 3; k++)
      organization.unitIds.push(`ou-${r}-${orng.chars(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`);
  }
  return { seed: options.seed, accounts, organization, people, identityMix: options.identityMix };
}

/** Insight state as seen at `t`: closed once its end time has passed. */
export function insightAt(insight: InsightRef, t: number): InsightRef {
  const closed = insight.endTime !== null && insight.endTime <= t;
  const states = INSIGHT_STATES.get(insight) ?? insightStates(insight);
  return states[closed ? 1 : 0];
}

/**
 * An insight's two states, ongoing and closed, built once: calls ask for one on every record that
 * names it. `buildWorld` builds every insight's up front (docs/hot-path.md, rule 3).
 */
function insightStates(insight: InsightRef): [InsightRef, InsightRef] {
  const state = (status: InsightRef['status'], endTime: number | null): InsightRef => ({
    id: insight.id,
    type: insight.type,
    severity: insight.severity,
    status,
    startTime: insight.startTime,
    endTime,
    anomalyIds: insight.anomalyIds,
    stackNames: insight.stackNames,
  });
  const states: [InsightRef, InsightRef] = [state('ONGOING', null), state('CLOSED', insight.endTime)];
  INSIGHT_STATES.set(insight, states);
  return states;
}

const INSIGHT_STATES = new WeakMap<InsightRef, [InsightRef, InsightRef]>();
