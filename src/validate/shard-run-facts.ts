import { readdirSync } from 'node:fs';
import { sortLabels, type EdgeCaseLabel } from '../edge-cases/label.js';
import { parseShardManifestName, shardManifestName } from '../plan/shard.js';

type Facts = Record<string, unknown>;

/** Something that keeps a set of shard manifests from being one whole run: the file, and what. */
export interface ShardProblem {
  file: string;
  message: string;
}

/** The shard manifests of a folder, in shard order, and the shards of the split that are missing. */
export interface ShardManifests {
  /** Manifest names in shard order, without the folder. */
  names: string[];
  /** How many shards the run was split into (the lowest shard's count). */
  count: number;
  problems: ShardProblem[];
}

/**
 * The shard manifests (`trailsim-manifest.shard-<i>-of-<n>.json`) in a folder, or undefined when it
 * has none. A set covers the run when every shard of the split is there, each of the same split;
 * problems name the folder as `scope` (relative to the tree's root) or '.'.
 *
 * @example findShardManifests('out', '')?.names // ['trailsim-manifest.shard-0-of-2.json', '…-1-of-2.json']
 */
export function findShardManifests(dir: string, scope: string): ShardManifests | undefined {
  const shards = readdirSync(dir)
    .map((name) => ({ name, shard: parseShardManifestName(name) }))
    .filter((s): s is { name: string; shard: NonNullable<typeof s.shard> } => s.shard !== undefined)
    .sort((a, b) => a.shard.index - b.shard.index || a.shard.count - b.shard.count);
  if (shards.length === 0) return undefined;
  const problems: ShardProblem[] = [];
  const count = shards[0]!.shard.count;
  const have = new Set(shards.map((s) => s.shard.index));
  for (const s of shards)
    if (s.shard.count !== count)
      problems.push({
        file: `${scope}${s.name}`,
        message: `is a shard of a run split into ${s.shard.count}, beside shards of ${count}`,
      });
  for (let i = 0; i < count; i++)
    if (!have.has(i))
      problems.push({
        file: scope || '.',
        message: `shard ${i} of ${count} is missing (no ${shardManifestName({ index: i, count })})`,
      });
  return { names: shards.map((s) => s.name), count, problems };
}

/** What one shard's manifest says besides its files, and the keys of the side files it lists. */
export interface ShardHead {
  name: string;
  facts: Facts;
  /** Keys of the files it lists outside `AWSLogs/` (public keys, labels): every shard may write one. */
  sideKeys: string[];
}

const obj = (v: unknown): Facts | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Facts) : undefined;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * The run's facts from its shards' manifests, as the unsharded run's manifest states them: the
 * lowest shard's facts without `shard`, with `counts` summed (a side file several shards write
 * counted once) and `edgeCases` joined (labels sorted as the run sorts them, injected counted from
 * them, readable records summed, skipped keys joined). Shards of another run (seed or scenario
 * differ from the first) are problems and left out.
 *
 * @example mergeShardFacts(heads, '').facts.counts // { files: 654, records: 22251, … }
 */
export function mergeShardFacts(
  heads: readonly ShardHead[],
  scope: string,
): { facts: Facts; problems: ShardProblem[] } {
  const problems: ShardProblem[] = [];
  const first = heads[0];
  if (!first) return { facts: {}, problems };
  const runOf = (f: Facts): string => JSON.stringify([f.seed, f.scenario]);
  const same = heads.filter((h) => {
    if (runOf(h.facts) === runOf(first.facts)) return true;
    problems.push({
      file: `${scope}${h.name}`,
      message: `is a shard of another run (seed or scenario differ from ${first.name})`,
    });
    return false;
  });
  // A manifest's list of files can be long: it is left out before the rest is copied.
  const facts: Facts = {};
  for (const [k, v] of Object.entries(first.facts))
    if (k !== 'shard' && k !== 'files') facts[k] = structuredClone(v);
  const counts = obj(facts.counts);
  if (counts) {
    for (const k of Object.keys(counts))
      if (typeof counts[k] === 'number')
        counts[k] = same.reduce((s, h) => s + num(obj(h.facts.counts)?.[k]), 0);
    const sideKeys = same.flatMap((h) => h.sideKeys);
    if (typeof counts.otherFiles === 'number') counts.otherFiles -= sideKeys.length - new Set(sideKeys).size;
  }
  const edge = obj(facts.edgeCases);
  if (edge) {
    const each = same.map((h) => obj(h.facts.edgeCases) ?? {});
    const labels = sortLabels(
      each.flatMap((e) => (Array.isArray(e.labels) ? (e.labels as EdgeCaseLabel[]) : [])),
    );
    const injected: Facts = {};
    for (const l of labels) injected[l.kind] = num(injected[l.kind]) + 1;
    if ('injected' in edge) edge.injected = injected;
    if ('readableRecords' in edge)
      edge.readableRecords = each.reduce((s, e) => s + num(e.readableRecords), 0);
    if ('skipKeys' in edge)
      edge.skipKeys = [
        ...new Set(each.flatMap((e) => (Array.isArray(e.skipKeys) ? (e.skipKeys as string[]) : []))),
      ].sort();
    if ('labels' in edge) edge.labels = labels;
  }
  return { facts, problems };
}
