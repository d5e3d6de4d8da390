import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { PUBLIC_KEYS_NAME, type PublicKeyList } from '../digest/public-keys.js';
import { trailArn, type TrailInfo } from '../digest/trail.js';
import { readGeneratedTree } from '../pipeline/upload.js';
import { MANIFEST_NAME, type ManifestEntry } from '../sinks/manifest.js';
import { findShardManifests, mergeShardFacts, type ShardHead } from '../validate/shard-run-facts.js';
import type { DigestKey } from '../validate/tree-key.js';

/** A trail as DescribeTrails and GetTrail describe it. */
export interface ServedTrail {
  Name: string;
  S3BucketName: string;
  S3KeyPrefix?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  HomeRegion: string;
  TrailARN: string;
  LogFileValidationEnabled: boolean;
  HasCustomEventSelectors: boolean;
  HasInsightSelectors: boolean;
  IsOrganizationTrail: boolean;
}

/** What the tree's side files say: the trail, its bucket, digest metadata and public keys. */
export interface TreeFacts {
  bucket: string;
  trails: ServedTrail[];
  publicKeys: PublicKeyList | undefined;
  /** S3 object metadata and content type by key, from the manifest. */
  entries: Map<string, ManifestEntry>;
  /** Set when the tree holds no manifest: digests then carry no signature metadata. */
  noManifest: boolean;
}

/** The bucket a tree is served as when nothing in it names one. */
export const DEFAULT_BUCKET = 'trailsim';

function trailOf(
  info: Pick<TrailInfo, 'name' | 'bucket' | 'prefix' | 'homeRegion' | 'organizationId'>,
  arn: string,
  regions: number,
  digests: boolean,
): ServedTrail {
  return {
    Name: info.name,
    S3BucketName: info.bucket,
    ...(info.prefix ? { S3KeyPrefix: info.prefix } : {}),
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: regions > 1,
    HomeRegion: info.homeRegion,
    TrailARN: arn,
    LogFileValidationEnabled: digests,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: info.organizationId !== null,
  };
}

/**
 * The trail of a tree: from trailsim's manifest when the tree has one, or its shards' manifests
 * (one trail per account, or the organization trail); otherwise from the names of its digest files, in a bucket named
 * `bucket` (a bucket copied with `aws s3 sync` keeps no manifest and no object metadata).
 */
export function readTreeFacts(
  root: string,
  digestKeys: DigestKey[],
  regions: string[],
  bucket: string,
): TreeFacts {
  const publicKeysPath = join(root, PUBLIC_KEYS_NAME);
  let publicKeys: PublicKeyList | undefined;
  if (existsSync(publicKeysPath)) {
    try {
      publicKeys = JSON.parse(readFileSync(publicKeysPath, 'utf8')) as PublicKeyList;
    } catch (err) {
      throw new UsageError(publicKeysPath, `is not valid JSON (${(err as Error).message})`);
    }
  }
  let entries = new Map<string, ManifestEntry>();
  const tree = readManifests(root);
  if (tree) {
    const info = tree.runInfo.trail as TrailInfo | undefined;
    const scenario = tree.runInfo.scenario as { regions?: string[]; digests?: boolean } | undefined;
    entries = new Map(tree.files.map((f) => [f.key, f]));
    if (info) {
      const regionCount = scenario?.regions?.length ?? regions.length;
      const arns = [...new Set(Object.values(info.accountTrails ?? { _: info.arn }))];
      return {
        bucket: info.bucket,
        trails: arns.map((arn) => trailOf(info, arn, regionCount, scenario?.digests !== false)),
        publicKeys,
        entries,
        noManifest: false,
      };
    }
  }
  const seen = new Map<string, ServedTrail>();
  for (const k of digestKeys) {
    const arn = trailArn(k.homeRegion, k.accountId, k.trailName);
    if (!seen.has(arn))
      seen.set(
        arn,
        trailOf(
          {
            name: k.trailName,
            bucket,
            prefix: k.prefix.replace(/\/$/, ''),
            homeRegion: k.homeRegion,
            organizationId: k.organizationId,
          },
          arn,
          regions.length,
          true,
        ),
      );
  }
  return { bucket, trails: [...seen.values()], publicKeys, entries, noManifest: entries.size === 0 };
}

/**
 * The run's facts and files from trailsim's manifest, or from its shards' manifests taken together
 * (facts merged as `trailsim validate` merges them, files joined); undefined without either.
 */
function readManifests(
  root: string,
): { runInfo: Record<string, unknown>; files: ManifestEntry[] } | undefined {
  if (existsSync(join(root, MANIFEST_NAME))) return readGeneratedTree(root);
  const set = findShardManifests(root, '');
  if (!set) return undefined;
  const heads: ShardHead[] = [];
  const files: ManifestEntry[] = [];
  for (const name of set.names) {
    const path = join(root, name);
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(path, `is not valid JSON (${(err as Error).message})`);
    }
    const { files: listed, ...facts } = manifest;
    const mine = Array.isArray(listed) ? (listed as ManifestEntry[]) : [];
    files.push(...mine);
    heads.push({ name, facts, sideKeys: mine.map((f) => f.key).filter((k) => !k.includes('AWSLogs/')) });
  }
  return { runInfo: mergeShardFacts(heads, '').facts, files };
}
