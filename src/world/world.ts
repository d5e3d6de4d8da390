import type { Faker } from '@faker-js/faker';
import type { CastArchetype } from '../generated/service.js';
import { Rng } from '../shared/rng.js';
import { SeededFaker } from '../shared/faker.js';
import { buildPrincipals, type Person, type SettingsChanges } from './cast.js';
import { drawHours } from './hours.js';
import { CI_SYSTEMS } from './ci-systems.js';
import { ispRange } from './network.js';
import type { IdentityType, Principal } from './principal.js';
import { populateRegion, type RegionResources } from './populate.js';
import type { EntityRegistry } from './entity-registry.js';
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
  /** The service-specific parts of the cast's archetypes (the description's `cast`): names and polls. */
  cast?: Readonly<Record<string, CastArchetype>>;
  /** The kinds of entity the services declare, drawn in each account and Region. */
  entities: EntityRegistry;
  /** The service's settings changes (its description's `settings`): planned, a few a month. */
  settings?: SettingsChanges;
}

export type { Person };

/** Account environments, in the order accounts take them (after a management account). */
const ENVS = ['prod', 'production', 'staging', 'dev'];

export interface Account {
  id: string;
  alias: string;
  env: string;
  /** Where most of the account's work happens. */
  homeRegion: string;
  /** Share of calls per Region (the service enabled in a few, console visits elsewhere). */
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
  /** The registry the world's entities were drawn from. */
  entities: EntityRegistry;
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

function makePeople(faker: Faker, rng: Rng, domain: string, count: number, utcOffset: number): Person[] {
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
    people.push({
      first,
      last,
      email: `${f}.${l}@${domain}`,
      userName,
      hours: drawHours(rng.fork(`hours/${f}.${l}`), utcOffset),
    });
  }
  return people;
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
 * in them, each account's principals and its entities per Region.
 */
export function buildWorld(options: WorldOptions): World {
  const root = new Rng(options.seed).fork('world');
  const faker = new SeededFaker(root.fork('faker')).faker;
  const company = slug(faker.company.name().split(/[ ,]/)[0] ?? 'example') || 'example';
  const domain = `${company}.${root.pick(['com', 'io', 'net', 'co'])}`;
  // The company's people work from one office, by the first Region of the run (us-east-1 when there).
  const office =
    REGION_UTC_OFFSET[options.regions.includes('us-east-1') ? 'us-east-1' : (options.regions[0] ?? '')] ?? 0;
  const people = makePeople(faker, root.fork('people'), domain, 14, office);
  const officeRanges = [ispRange(root), ispRange(root), ispRange(root)];
  // The company deploys with one CI system.
  const ci = root.fork('ci').pick(CI_SYSTEMS);

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
    // One Identity Center instance for the organization, in the management account's home Region.
    const acc = { id, env, homeRegion, identityCenterRegion: accounts[0]?.homeRegion ?? homeRegion, ci };
    const resources: Record<string, RegionResources> = {};
    for (const r of regions) {
      const rr = arng.fork(`resources/${r}`);
      const active = r === homeRegion || secondary.has(r);
      resources[r] = populateRegion(options.entities, rr, {
        region: r,
        accountId: id,
        env,
        active,
        home: r === homeRegion,
        start: options.start,
        end: options.end,
      });
    }
    accounts.push({
      id,
      alias: `${company}-${env}`,
      env,
      homeRegion,
      regionWeights,
      utcOffset: office,
      weight,
      principals: buildPrincipals(
        acc,
        people,
        officeRanges,
        arng,
        options.start,
        {
          admin,
          workload: env !== 'management',
          homeCallsPerDay: homeShare(regionWeights, homeRegion) * (weight / totalWeight) * callsPerDay,
          end: options.end,
          settings: options.settings,
        },
        options.duties,
        options.cast,
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
  return {
    seed: options.seed,
    accounts,
    organization,
    people,
    identityMix: options.identityMix,
    entities: options.entities,
  };
}
