import { UsageError } from '../shared/errors.js';

/**
 * One of `count` machines that each write a share of one run: shard `index` (0-based, as
 * Kubernetes' JOB_COMPLETION_INDEX and AWS Batch's AWS_BATCH_JOB_ARRAY_INDEX count) writes the log
 * files and digests of its accounts and Regions, byte for byte as the whole run writes them.
 */
export interface Shard {
  index: number;
  count: number;
}

/** The variables `--shard auto/<n>` reads the index from, in this order. */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

/** The most shards a run can be split into. */
const MAX_SHARDS = 10_000;

/**
 * Parses `<i>/<n>` or `auto/<n>` (index from the environment). Whole decimal numbers only.
 *
 * @example parseShard('2/4', {}) // { index: 2, count: 4 }
 * @example parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' }) // { index: 3, count: 4 }
 */
export function parseShard(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  where = '--shard',
): Shard {
  const m = /^(auto|\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(where, `"${text}" is not <index>/<count> (such as 0/4) or auto/<count>`);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new UsageError(where, `"${text}": the count must be from 1 to ${MAX_SHARDS}`);
  let indexText = m[1]!;
  let source = where;
  if (indexText === 'auto') {
    const name = SHARD_INDEX_VARIABLES.find((v) => env[v] !== undefined && env[v] !== '');
    if (name === undefined)
      throw new UsageError(where, `auto needs ${SHARD_INDEX_VARIABLES.join(' or ')} in the environment`);
    indexText = env[name]!.trim();
    source = `${where} (${name}=${env[name]})`;
    if (!/^\d+$/.test(indexText)) throw new UsageError(source, 'the index is not a whole number');
  }
  const index = Number(indexText);
  if (index >= count)
    throw new UsageError(
      source,
      `index ${index} is not below the count ${count} (shards are 0 to ${count - 1})`,
    );
  return { index, count };
}

/**
 * Which shard writes each account's and Region's files, given the calls the plan puts in each
 * (`load`, keyed `<account>/<region>`). A digest chain is one account and Region, so every chain stays
 * whole on one shard. The busiest chains are placed first, each on the shard with the fewest calls
 * so far (ties: the lower key, the lower shard), which evens the shards out however the volume is
 * spread over accounts and Regions. The deal is a function of the plan alone: every shard computes
 * the same.
 *
 * @example shardOwners(new Map([['1/us-east-1', 90], ['1/eu-west-1', 50], ['2/us-east-1', 40]]), 2)
 * // Map { '1/us-east-1' => 0, '1/eu-west-1' => 1, '2/us-east-1' => 1 }
 */
export function shardOwners(load: ReadonlyMap<string, number>, count: number): Map<string, number> {
  const chains = [...load].sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1));
  const totals = new Array<number>(count).fill(0);
  const owners = new Map<string, number>();
  for (const [key, calls] of chains) {
    let target = 0;
    for (let i = 1; i < count; i++) if (totals[i]! < totals[target]!) target = i;
    totals[target]! += calls;
    owners.set(key, target);
  }
  return owners;
}

/** The predicate of one shard, from the plan's calls per `<account>/<region>`: true for its chains. */
export function shardFilter(
  shard: Shard,
  load: ReadonlyMap<string, number>,
): (accountId: string, region: string) => boolean {
  const owners = shardOwners(load, shard.count);
  return (accountId, region) => owners.get(`${accountId}/${region}`) === shard.index;
}

/** The manifest's name for a shard: `trailsim-manifest.shard-<i>-of-<n>.json`. */
export function shardManifestName(shard: Shard): string {
  return `trailsim-manifest.shard-${shard.index}-of-${shard.count}.json`;
}

/** A shard manifest's name parsed, or undefined for any other name. */
export function parseShardManifestName(name: string): Shard | undefined {
  const m = /^trailsim-manifest\.shard-(\d+)-of-(\d+)\.json$/.exec(name);
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}
