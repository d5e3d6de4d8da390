import { UsageError } from '../shared/errors.js';
import { normalizeKeyPrefix } from '../shared/object-key.js';
import type { ScenarioFile } from '../generated/scenario.js';
import { DEFAULT_CURVE, type CurveSettings } from './curve-settings.js';
import { EVENT_VERSIONS } from './event-versions.js';
import { IDENTITY_TYPES, type IdentityType } from './identity-types.js';
import { DEVOPS_GURU_REGIONS } from './regions.js';
import { resolveEdgeCases, type EdgeCases } from './edge-cases.js';
import { resolveIncidents, type Incidents } from './incidents.js';

/** Everything that decides a run's output, resolved and checked. */
export interface Scenario {
  seed: number;
  /** [start, end) in epoch ms, whole seconds. */
  start: number;
  end: number;
  /** Exact number of records. */
  events: number;
  /** Average records per second when streaming in real time; absent for a batch run. */
  rate?: number;
  accounts: number;
  /** An organization trail: keys carry the organization ID. */
  organizationTrail: boolean;
  regions: string[];
  eventVersion: string;
  identityMix: Record<IdentityType, number>;
  errorRate: number;
  operationWeights: Record<string, number>;
  curve: CurveSettings;
  trail: { name: string; bucket: string; prefix: string; homeRegion: string };
  digests: boolean;
  /** Extra template folders, after the built-in one. */
  templates: string[];
  gzipLevel: number;
  /** Edge cases injected on purpose (docs/edge-cases.md); absent for a perfect delivery. */
  edgeCases?: EdgeCases;
  /** Incidents woven into the run, labelled (docs/incidents.md); absent for none. */
  incidents?: Incidents;
}

/**
 * What a user may give, from flags or a scenario file (schemas/scenario.schema.json): every field
 * optional, times as ISO strings, regions as a list or `all`, the identity mix also as flag text.
 */
export type ScenarioInput = Omit<ScenarioFile, '$schema' | '$comment' | 'output' | 'identityMix'> & {
  identityMix?: string | Partial<Record<IdentityType, number>>;
};

export const DEFAULT_START = '2026-11-02T00:00:00Z';
/**
 * Amazon DevOps Guru became generally available on 1 December 2020; a period before it would have
 * records no one could have made (and clients of 2021).
 * https://aws.amazon.com/about-aws/whats-new/2020/12/announcing-general-availability-of-amazon-devops-guru/
 */
export const DEVOPS_GURU_LAUNCH = Date.UTC(2020, 11, 1);
const DAY = 86_400_000;

export const DEFAULT_IDENTITY_MIX: Record<IdentityType, number> = {
  AssumedRole: 66,
  IAMUser: 24,
  FederatedUser: 4,
  Root: 1,
  AWSService: 5,
};

/** An ISO 8601 instant with an explicit zone; anything else is ambiguous across time zones. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function parseTime(text: string, where: string): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(t))
    throw new UsageError(
      where,
      `"${text}" has no time zone; add Z for UTC (${t}Z) or an offset such as +01:00`,
    );
  if (!ISO.test(t))
    throw new UsageError(where, `"${text}" is not an ISO 8601 time such as 2026-11-01T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March 2; a calendar check catches the typo instead.
  const [y, mo, d, h = 0, mi = 0, se = 0] = (t.match(/\d+/g) ?? []).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth || h > 23 || mi > 59 || se > 59)
    throw new UsageError(where, `"${text}" is not a date on the calendar`);
  const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
  if (Number.isNaN(ms)) throw new UsageError(where, `"${text}" is not a valid date`);
  return Math.floor(ms / 1000) * 1000;
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new UsageError(
      where,
      `expected a whole number, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`,
    );
  if (value < min || value > max) throw new UsageError(where, `${value} is out of range (${min} to ${max})`);
  return value;
}

function fraction(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    const got = typeof value === 'number' ? String(value) : JSON.stringify(value);
    throw new UsageError(where, `expected a number from 0 to 1, got ${got}`);
  }
  return value;
}

/**
 * Checks a Region list (`eu-west-1,us-east-1`, a list, or `all`). The Regions are a set: they come
 * back in one fixed order (the order of DEVOPS_GURU_REGIONS) whatever the order they were given in,
 * so that the same Regions give the same output. An empty item (`us-east-1,,eu-west-1`) is a typo.
 * `itemWhere` names one entry of a list (`x.yaml: /regions/1`) for a precise message.
 *
 * @example parseRegions('eu-west-1, us-east-1', '--regions') // ['us-east-1', 'eu-west-1']
 */
export function parseRegions(
  value: string | string[],
  where: string,
  itemWhere?: (index: number) => string,
): string[] {
  const list = (Array.isArray(value) ? value : value.split(',')).map((r) => r.trim());
  if (list.every((r) => r === '')) throw new UsageError(where, 'no Region given');
  const empty = list.indexOf('');
  if (empty >= 0)
    throw Array.isArray(value)
      ? new UsageError(itemWhere ? itemWhere(empty) : where, 'is an empty Region name')
      : new UsageError(where, `item ${empty + 1} of "${value}" is empty`);
  if (list.length === 1 && list[0] === 'all') return [...DEVOPS_GURU_REGIONS];
  const known = new Set<string>(DEVOPS_GURU_REGIONS);
  for (const [i, r] of list.entries()) {
    if (!known.has(r))
      throw new UsageError(
        Array.isArray(value) && itemWhere ? itemWhere(i) : where,
        `"${r}" is not a Region where the service runs (${DEVOPS_GURU_REGIONS.join(', ')})`,
      );
  }
  const given = new Set(list);
  return DEVOPS_GURU_REGIONS.filter((r) => given.has(r));
}

/** Parses `AssumedRole=60,IAMUser=30` into a full mix; types not named get 0. */
export function parseIdentityMix(
  value: string | Partial<Record<IdentityType, number>>,
  where: string,
): Record<IdentityType, number> {
  const entries: [string, unknown][] =
    typeof value === 'string'
      ? value
          .split(',')
          .filter(Boolean)
          .map((kv) => {
            const [k, v] = kv.split('=');
            return [String(k).trim(), v === undefined ? NaN : Number(v)];
          })
      : Object.entries(value);
  // Keys in the default's order, so that a mix from flags and one from a file serialise alike.
  const mix = Object.fromEntries(Object.keys(DEFAULT_IDENTITY_MIX).map((t) => [t, 0])) as Record<
    IdentityType,
    number
  >;
  for (const [k, v] of entries) {
    if (!(IDENTITY_TYPES as readonly string[]).includes(k))
      throw new UsageError(where, `unknown identity type "${k}" (${IDENTITY_TYPES.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new UsageError(where, `weight of ${k} must be a number ≥ 0`);
    mix[k as IdentityType] = v;
  }
  if (Object.values(mix).every((w) => w === 0))
    throw new UsageError(where, 'at least one identity type needs a weight above 0');
  return mix;
}

/**
 * Fills defaults and checks every field, throwing a UsageError that names the field.
 * `where` maps a field to how the user named it (`--start`, or `scenario.yaml: /start`).
 */
export function resolveScenario(
  input: ScenarioInput,
  where: (field: string) => string = (f) => `--${f}`,
): Scenario {
  const seed = integer(input.seed ?? 1, where('seed'), 0, 2 ** 31 - 1);
  const start = parseTime(input.start ?? DEFAULT_START, where('start'));
  if (start < DEVOPS_GURU_LAUNCH)
    throw new UsageError(
      where('start'),
      `${new Date(start).toISOString().replace('.000Z', 'Z')} is before the service became available (2020-12-01): no one could call it then`,
    );
  const end = input.end !== undefined ? parseTime(input.end, where('end')) : start + DAY;
  if (end <= start)
    throw new UsageError(
      where('end'),
      `end ${new Date(end).toISOString()} is not after start ${new Date(start).toISOString()}`,
    );
  if (end - start > 366 * DAY) throw new UsageError(where('end'), 'the time window is longer than a year');
  const events = integer(input.events ?? 5000, where('events'), 0, 1e9);
  const accounts = integer(input.accounts ?? 3, where('accounts'), 1, 50);
  const regions = parseRegions(input.regions ?? 'all', where('regions'), (i) => where(`regions.${i}`));
  if (input.rate !== undefined && !(typeof input.rate === 'number' && input.rate > 0 && input.rate <= 1e6))
    throw new UsageError(
      where('rate'),
      `expected records per second above 0, up to 1000000, got ${input.rate}`,
    );
  const eventVersion = input.eventVersion ?? '1.08';
  if (!EVENT_VERSIONS.includes(eventVersion))
    throw new UsageError(
      where('eventVersion'),
      `unknown eventVersion "${eventVersion}" (${EVENT_VERSIONS.join(', ')})`,
    );
  const identityMix =
    input.identityMix !== undefined
      ? parseIdentityMix(input.identityMix, where('identityMix'))
      : { ...DEFAULT_IDENTITY_MIX };
  const errorRate = fraction(input.errorRate ?? 0.04, where('errorRate'));
  const curve = { ...DEFAULT_CURVE, ...input.curve };
  fraction(curve.dailyAmplitude, where('curve.dailyAmplitude'));
  fraction(curve.weekendFactor, where('curve.weekendFactor'));
  fraction(curve.automationShare, where('curve.automationShare'));
  const homeRegion = input.trail?.homeRegion ?? (regions.includes('us-east-1') ? 'us-east-1' : regions[0]!);
  parseRegions([homeRegion], where('trail.homeRegion'));
  const trail = {
    name: input.trail?.name ?? 'management-events',
    bucket: input.trail?.bucket ?? 'aws-cloudtrail-logs-trailsim',
    prefix: trailPrefix(input.trail?.prefix ?? '', where('trail.prefix')),
    homeRegion,
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(trail.name))
    throw new UsageError(where('trail.name'), `"${trail.name}" is not a valid trail name`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(trail.bucket))
    throw new UsageError(where('trail.bucket'), `"${trail.bucket}" is not a valid S3 bucket name`);
  const operationWeights = input.operationWeights ?? {};
  for (const [op, w] of Object.entries(operationWeights)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new UsageError(where(`operationWeights.${op}`), 'weight must be a number ≥ 0');
  }
  const gzipLevel = integer(input.gzipLevel ?? 6, where('gzipLevel'), 1, 9);
  return {
    seed,
    start,
    end,
    events,
    ...(input.rate !== undefined ? { rate: input.rate } : {}),
    accounts,
    organizationTrail: input.organizationTrail ?? false,
    regions,
    eventVersion,
    identityMix,
    errorRate,
    operationWeights,
    curve,
    trail,
    digests: input.digests ?? true,
    templates: input.templates ?? [],
    gzipLevel,
    ...edgeCasesOf(input, where),
    ...(input.incidents !== undefined && input.incidents.length > 0
      ? { incidents: resolveIncidents(input.incidents, where, start, end, accounts) }
      : {}),
  };
}

/** The edge cases of the input, resolved; none (no key) when it names no case. */
function edgeCasesOf(input: ScenarioInput, where: (field: string) => string): { edgeCases?: EdgeCases } {
  if (input.edgeCases === undefined) return {};
  const edgeCases = resolveEdgeCases(input.edgeCases, where, input.digests ?? true);
  return Object.keys(edgeCases.cases ?? {}).length > 0 ? { edgeCases } : {};
}

/** The trail's key prefix, refused where it would address outside the target. */
function trailPrefix(text: string, where: string): string {
  const checked = normalizeKeyPrefix(text);
  if (checked.problem !== undefined)
    throw new UsageError(where, `"${text}" is not a usable key prefix: it ${checked.problem}`);
  return checked.prefix;
}
