import type { Rng } from '../shared/rng.js';
import type { ChannelRef, InsightRef, TagRef } from './refs.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * DevOps Guru IDs: 64 characters of base64url-like text starting with `A`, with a run of `A`s
 * in the middle where the service encodes small numbers (see the IDs in the user guide).
 */
export function devopsGuruId(rng: Rng): string {
  const head = rng.chars(21, BASE64URL);
  const zeros = 'A'.repeat(rng.int(4, 9));
  return `A${head}${zeros}${rng.chars(64 - 22 - zeros.length, BASE64URL)}`;
}

const APPS = [
  'checkout',
  'payments',
  'orders',
  'catalog',
  'search',
  'identity',
  'billing',
  'inventory',
  'shipping',
  'notifications',
  'reporting',
  'ledger',
];
const TIERS = ['api', 'web', 'worker', 'db', 'cache', 'queue', 'frontend', 'backend'];
const ENVS = ['prod', 'production', 'staging', 'dev'];

/** The DevOps Guru state of one account in one Region. */
export interface RegionResources {
  stacks: string[];
  tags: TagRef[];
  /** Insights over the whole simulated period and the 30 days before it, by start time. */
  insights: InsightRef[];
  /** Channels that exist before the period starts. */
  channels: ChannelRef[];
  kmsKeyArn: string;
}

export function stackNames(rng: Rng, env: string, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const app = rng.pick(APPS);
    const style = rng.int(0, 2);
    if (style === 0) names.add(`${app}-${rng.pick(TIERS)}-${env}`);
    else if (style === 1) names.add(`${env}-${app}-${rng.pick(TIERS)}`);
    else
      names.add(`${app[0]!.toUpperCase()}${app.slice(1)}${rng.pick(['Stack', 'Service', 'Infra'])}-${env}`);
  }
  return [...names].sort();
}

export function tagCollections(rng: Rng): TagRef[] {
  const key = rng.pick([
    'devops-guru-application',
    'Devops-guru-app',
    'devops-guru-service',
    'devops-guru-team',
  ]);
  const values = rng
    .shuffle([...APPS])
    .slice(0, rng.int(2, 5))
    .sort();
  return [{ key, values }];
}

/**
 * Insights opened between `from` and `to`: reactive ones (something broke) more often than proactive
 * ones, most closed within hours, severities skewed low to medium.
 */
export function insightTimeline(
  rng: Rng,
  from: number,
  to: number,
  perDay: number,
  stacks: readonly string[],
): InsightRef[] {
  const insights: InsightRef[] = [];
  const days = Math.max(1, (to - from) / DAY);
  const count = Math.max(1, Math.round(days * perDay * (0.5 + rng.next())));
  for (let i = 0; i < count; i++) {
    const startTime = Math.floor((from + rng.next() * (to - from)) / 1000) * 1000;
    const type = rng.chance(0.7) ? 'REACTIVE' : 'PROACTIVE';
    const durationH = type === 'REACTIVE' ? 0.5 + rng.next() * rng.next() * 30 : 24 + rng.next() * 24 * 10;
    const endTime = startTime + Math.floor((durationH * HOUR) / 1000) * 1000;
    const anomalyIds: string[] = [];
    const n = rng.int(1, type === 'REACTIVE' ? 6 : 2);
    for (let k = 0; k < n; k++) anomalyIds.push(devopsGuruId(rng));
    insights.push({
      id: devopsGuruId(rng),
      type,
      severity: rng.weighted(['LOW', 'MEDIUM', 'HIGH'] as const, [5, 4, 2]),
      status: 'ONGOING',
      startTime,
      endTime,
      anomalyIds,
      stackNames: stacks.length > 0 ? [rng.pick(stacks)] : [],
    });
  }
  insights.sort((a, b) => a.startTime - b.startTime || (a.id < b.id ? -1 : 1));
  return insights;
}

export { ENVS };
