import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFile,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { makeFolders } from './make-folder.js';
import {
  MANIFEST_NAME,
  ManifestEntryLog,
  previousRunKeys,
  writeManifest,
  type ManifestEntry,
  type RunInfo,
} from './manifest.js';
import type { FolderSink, SinkObject } from './sink.js';
import { TaskPool } from './pool.js';
import { parseShardManifestName, shardManifestName, type Shard } from '../plan/shard.js';

export { MANIFEST_NAME, type ManifestEntry, type RunInfo } from './manifest.js';

/** Files being written at once: enough to keep the thread pool busy, few enough to bound memory. */
const WRITES_IN_FLIGHT = 32;

/**
 * Writes a run into a folder. Everything goes to a staging folder inside the target first and is
 * moved into place only when the run completes, so an interrupted run leaves no partial file and
 * touches nothing that was there. `force` replaces what an earlier trailsim run wrote (the files its
 * manifest lists) and nothing else. Render workers may write log files into the staging folder
 * themselves (`stagingFolder`, `adopt`: see `FolderSink`).
 */
export class DirSink implements FolderSink {
  readonly root: string;
  private readonly staging: string;
  private readonly entries: ManifestEntryLog;
  private readonly dirs = new Map<string, Promise<void>>();
  private readonly writes = new TaskPool(WRITES_IN_FLIGHT);
  private runInfo: RunInfo = {};
  private count = 0;

  constructor(root: string, opts: { force: boolean; shard?: Shard }) {
    this.root = resolve(root);
    this.manifestName = opts.shard ? shardManifestName(opts.shard) : MANIFEST_NAME;
    this.previousKeys = checkTarget(this.root, opts.force, opts.shard);
    this.createdRoot = !existsSync(this.root);
    // A shard's staging folder names the shard: shards on other machines may share the folder.
    const id = opts.shard ? `shard-${opts.shard.index}-of-${opts.shard.count}-` : '';
    this.staging = join(this.root, `.trailsim-staging-${id}${process.pid}`);
    makeFolders(this.staging, this.root);
    removeStaleStaging(this.root);
    this.entries = new ManifestEntryLog(join(this.staging, '.manifest-entries.jsonl'));
    this.force = opts.force;
  }

  private readonly force: boolean;
  private readonly manifestName: string;
  private readonly createdRoot: boolean;
  private readonly previousKeys: string[];

  /** Where log files are staged: render workers may write them there themselves (`adopt`). */
  get stagingFolder(): string {
    return this.staging;
  }

  adopt(entry: ManifestEntry): void {
    this.count++;
    this.entries.addEntry(entry);
  }

  /** Extra facts for the manifest (version, seed, scenario, counts). */
  setRunInfo(info: RunInfo): void {
    this.runInfo = info;
  }

  /**
   * Queues the file's write on libuv's thread pool and returns once there is room for another:
   * creating a file is most of a write's cost on a disk's file system (tens to hundreds of µs of
   * kernel time), and on the pool it overlaps with rendering instead of holding up the thread that
   * hands files out. A folder is created once, before the first file in it. The write is
   * `fs.writeFile` with a callback: `fs/promises`' version makes a FileHandle object per file, more
   * of the main thread's time per file than the write's own bookkeeping.
   */
  async put(object: SinkObject): Promise<void> {
    const path = join(this.staging, object.key);
    const dir = dirname(path);
    let made = this.dirs.get(dir);
    if (!made) {
      made = mkdir(dir, { recursive: true }).then(() => undefined);
      this.dirs.set(dir, made);
    }
    this.count++;
    this.entries.add(object);
    const folder = made;
    // 'wx': two objects under one key would be a bug; fail rather than keep the second silently.
    await this.writes.submit(async () => {
      await folder;
      await writeNew(path, object.body);
    });
  }

  async close(): Promise<void> {
    await this.writes.drain();
    this.entries.end();
    const manifestTmp = join(this.staging, this.manifestName);
    writeManifest(manifestTmp, this.runInfo, this.entries.path);
    rmSync(this.entries.path);
    if (this.force) removePreviousRun(this.root, this.previousKeys, this.manifestName);
    moveInto(this.staging, this.root);
    rmSync(this.staging, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await this.writes.settle();
    this.entries.destroy();
    rmSync(this.staging, { recursive: true, force: true });
    if (this.createdRoot && existsSync(this.root) && readdirSync(this.root).length === 0)
      rmSync(this.root, { recursive: true });
  }

  get objectCount(): number {
    return this.count;
  }
}

/** Creates the file at `path` with `body`; fails if it exists ('wx': two objects under one key are a bug). */
function writeNew(path: string, body: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) =>
    writeFile(path, body, { flag: 'wx' }, (err) => (err ? reject(err) : resolve())),
  );
}

/** Removes staging folders of runs whose process is gone (killed before it could clean up). */
function removeStaleStaging(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = /^\.trailsim-staging-(\d+)$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Refuses a target that would lose data or lead outside itself: a file, a non-empty folder without
 * `force`, or, with `force`, a folder whose manifest names a key outside it or that holds a symbolic
 * link (a write or delete through it would land elsewhere). Returns the keys the earlier run's
 * manifest lists, all checked, for `removePreviousRun`; none for an empty or new folder.
 *
 * A shard shares its folder with the other shards of its run: their files are no reason to refuse,
 * an unsharded run's manifest or another split's is, and `force` replaces only this shard's files.
 */
export function checkTarget(root: string, force: boolean, shard?: Shard): string[] {
  if (!existsSync(root)) return [];
  const st = statSync(root);
  if (!st.isDirectory()) throw new UsageError(root, 'exists and is not a folder');
  const names = readdirSync(root).filter((n) => !n.startsWith('.trailsim-staging-'));
  if (names.length === 0) return [];
  const manifestName = shard ? shardManifestName(shard) : MANIFEST_NAME;
  if (shard) {
    if (names.includes(MANIFEST_NAME))
      throw new UsageError(
        root,
        `holds an unsharded run (${MANIFEST_NAME}): write the shards of a run into a folder of their own`,
      );
    const other = names.find((n) => (parseShardManifestName(n)?.count ?? shard.count) !== shard.count);
    if (other !== undefined)
      throw new UsageError(
        root,
        `holds ${other}, a shard of a run split another way than into ${shard.count}`,
      );
    if (!names.includes(manifestName)) return [];
  }
  if (!force)
    throw new UsageError(
      root,
      shard
        ? `already holds shard ${shard.index} of ${shard.count}; pass --force to replace it`
        : 'is not empty; pass --force to replace an earlier trailsim run there, or choose another --out',
    );
  const manifestPath = join(root, manifestName);
  if (!existsSync(manifestPath)) {
    throw new UsageError(
      root,
      `is not empty and holds no ${MANIFEST_NAME}: --force only replaces what trailsim wrote`,
    );
  }
  const link = findSymbolicLink(root);
  if (link !== undefined)
    throw new UsageError(
      link,
      'is a symbolic link inside --out: --force does not write or delete through links',
    );
  return previousRunKeys(readFileSync(manifestPath, 'utf8'), manifestPath);
}

/** The first symbolic link below `dir`, depth first, or undefined. */
function findSymbolicLink(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) return path;
    if (entry.isDirectory()) {
      const found = findSymbolicLink(path);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Deletes the files an earlier run's manifest listed (`keys`, as `checkTarget` returned them) and
 * the manifest, then the folders that this leaves empty, up to the target and never above it.
 */
export function removePreviousRun(
  root: string,
  keys: readonly string[],
  manifestName: string = MANIFEST_NAME,
): void {
  const dirs = new Set<string>();
  for (const key of keys) {
    rmSync(join(root, key), { force: true });
    for (let d = dirname(key); d !== '.'; d = dirname(d)) dirs.add(d);
  }
  rmSync(join(root, manifestName), { force: true });
  // Deepest first, so that a folder is tried after everything below it.
  const byDepth = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  for (const d of byDepth) {
    const path = join(root, d);
    if (existsSync(path) && lstatSync(path).isDirectory() && readdirSync(path).length === 0) rmdirSync(path);
  }
}

/** Moves the staged tree into the target: whole folders where the target has none yet. */
function moveInto(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (!existsSync(dst)) {
      try {
        renameSync(src, dst);
      } catch (err) {
        // Another shard moved a folder of the same name into place meanwhile: merge into it.
        const code = (err as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !lstatSync(src).isDirectory()) throw err;
        moveInto(src, dst);
      }
    } else if (lstatSync(src).isDirectory() && lstatSync(dst).isDirectory()) {
      moveInto(src, dst);
    } else {
      renameSync(src, dst);
    }
  }
}
