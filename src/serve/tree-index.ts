import { PUBLIC_KEYS_NAME } from '../digest/public-keys.js';
import { isManifestName } from '../validate/run-roots.js';
import type { DigestKey } from '../validate/tree-key.js';
import { readTreeFacts, type TreeFacts } from './trail-facts.js';
import { readObject, type IndexedLog, type ReadResult, type TreeObject } from './tree-object.js';
import { sameFile, type FileStat } from './tree-scan.js';

export type { IndexedLog, TreeObject } from './tree-object.js';

/**
 * One consistent reading of the tree: every request is answered from a single snapshot, and a
 * changed tree gives a new snapshot, never a mix of old and new.
 */
export interface TreeSnapshot {
  root: string;
  /** Keys in S3 order. */
  keys: string[];
  objects: Map<string, TreeObject>;
  /** Log files by Region, newest record first. */
  logsByRegion: Map<string, IndexedLog[]>;
  facts: TreeFacts;
  /** Files that look like log files but cannot be read, with why. */
  unreadable: { key: string; problem: string }[];
  records: number;
}

/** How much of the previous snapshot a rebuild could keep. */
export interface BuildCounts {
  read: number;
  kept: number;
}

/**
 * Indexes the tree described by `files` (from `scanTree`): reads every file once, keeping only
 * each log file's summary. Files unchanged since `previous` are taken from it unread.
 */
export function buildSnapshot(
  root: string,
  files: Map<string, FileStat>,
  bucket: string,
  previous?: TreeSnapshot,
): { snapshot: TreeSnapshot; counts: BuildCounts } {
  const objects = new Map<string, TreeObject>();
  const unreadable: TreeSnapshot['unreadable'] = [];
  const counts: BuildCounts = { read: 0, kept: 0 };
  for (const [key, stat] of files) {
    const before = previous?.objects.get(key);
    if (before && sameFile(before, stat)) {
      objects.set(key, before);
      counts.kept++;
      const problem = previous!.unreadable.find((u) => u.key === key);
      if (problem) unreadable.push(problem);
    } else {
      let read: ReadResult;
      try {
        read = readObject(stat);
      } catch (err) {
        // Gone between the scan and the read: it is not in this reading of the tree.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      objects.set(key, read.object);
      if (read.problem !== undefined) unreadable.push({ key, problem: read.problem });
      counts.read++;
    }
  }
  const logsByRegion = new Map<string, IndexedLog[]>();
  const digestKeys: DigestKey[] = [];
  let records = 0;
  for (const o of objects.values()) {
    if (o.digest) digestKeys.push(o.digest);
    if (!o.log) continue;
    records += o.log.summary.records;
    const list = logsByRegion.get(o.log.region) ?? [];
    list.push(o.log);
    logsByRegion.set(o.log.region, list);
  }
  for (const list of logsByRegion.values())
    list.sort((a, b) => b.summary.newest - a.summary.newest || (a.key < b.key ? -1 : 1));
  // The files the trail's facts are read from: the public keys, and the manifest or its shards'.
  const sideFiles = (keys: Iterable<string>) =>
    [...keys].filter((k) => k === PUBLIC_KEYS_NAME || isManifestName(k));
  const sideFilesSame =
    previous !== undefined &&
    [...new Set([...sideFiles(previous.objects.keys()), ...sideFiles(files.keys())])].every((k) => {
      const a = previous.objects.get(k);
      const b = files.get(k);
      return a === undefined ? b === undefined : b !== undefined && sameFile(a, b);
    }) &&
    previous.keys.length === files.size;
  const regions = [...logsByRegion.keys()];
  const facts = sideFilesSame ? previous.facts : readTreeFacts(root, digestKeys, regions, bucket);
  return {
    snapshot: { root, keys: [...files.keys()], objects, logsByRegion, facts, unreadable, records },
    counts,
  };
}
