import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import {
  MANIFEST_NAME,
  ManifestEntryLog,
  writeManifest,
  type ManifestEntry,
  type RunInfo,
} from './manifest.js';
import type { Sink, SinkObject } from './sink.js';

export { MANIFEST_NAME, type ManifestEntry, type RunInfo } from './manifest.js';

/**
 * Writes a run into a folder. Everything goes to a staging folder inside the target first and is
 * moved into place only when the run completes, so an interrupted run leaves no partial file and
 * touches nothing that was there. `force` replaces what an earlier trailsim run wrote (the files its
 * manifest lists) and nothing else.
 */
export class DirSink implements Sink {
  readonly root: string;
  private readonly staging: string;
  private readonly entries: ManifestEntryLog;
  private readonly dirs = new Set<string>();
  private runInfo: RunInfo = {};
  private count = 0;

  constructor(root: string, opts: { force: boolean }) {
    this.root = resolve(root);
    checkTarget(this.root, opts.force);
    this.createdRoot = !existsSync(this.root);
    this.staging = join(this.root, `.trailsim-staging-${process.pid}`);
    try {
      mkdirSync(this.staging, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new UsageError(this.root, `cannot create the output folder here (${code})`);
    }
    removeStaleStaging(this.root);
    this.entries = new ManifestEntryLog(join(this.staging, '.manifest-entries.jsonl'));
    this.force = opts.force;
  }

  private readonly force: boolean;
  private readonly createdRoot: boolean;

  /** Extra facts for the manifest (version, seed, scenario, counts). */
  setRunInfo(info: RunInfo): void {
    this.runInfo = info;
  }

  /**
   * Writes the file at once, on the calling thread. Files are small (tens of KB) and the kernel's
   * work to create one is the same from any thread; done here it costs no hand-off to libuv's pool
   * and no promise per step, which is most of what an asynchronous write costs on top.
   */
  async put(object: SinkObject): Promise<void> {
    const path = join(this.staging, object.key);
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // 'wx': two objects under one key would be a bug; fail rather than keep the second silently.
    writeFileSync(path, object.body, { flag: 'wx' });
    this.count++;
    this.entries.add(object);
  }

  async close(): Promise<void> {
    this.entries.end();
    const manifestTmp = join(this.staging, MANIFEST_NAME);
    writeManifest(manifestTmp, this.runInfo, this.entries.path);
    rmSync(this.entries.path);
    if (this.force) removePreviousRun(this.root);
    moveInto(this.staging, this.root);
    rmSync(this.staging, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    this.entries.destroy();
    rmSync(this.staging, { recursive: true, force: true });
    if (this.createdRoot && existsSync(this.root) && readdirSync(this.root).length === 0)
      rmSync(this.root, { recursive: true });
  }

  get objectCount(): number {
    return this.count;
  }
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

/** Refuses a target that would lose data: a file, or a non-empty folder without `force`. */
export function checkTarget(root: string, force: boolean): void {
  if (!existsSync(root)) return;
  const st = statSync(root);
  if (!st.isDirectory()) throw new UsageError(root, 'exists and is not a folder');
  const names = readdirSync(root).filter((n) => !n.startsWith('.trailsim-staging-'));
  if (names.length === 0) return;
  if (!force)
    throw new UsageError(
      root,
      'is not empty; pass --force to replace an earlier trailsim run there, or choose another --out',
    );
  if (!existsSync(join(root, MANIFEST_NAME))) {
    throw new UsageError(
      root,
      `is not empty and holds no ${MANIFEST_NAME}: --force only replaces what trailsim wrote`,
    );
  }
}

/** Deletes the files an earlier run's manifest lists, and the manifest. */
export function removePreviousRun(root: string): void {
  const manifestPath = join(root, MANIFEST_NAME);
  if (!existsSync(manifestPath)) return;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files?: ManifestEntry[] };
  for (const f of manifest.files ?? []) rmSync(join(root, f.key), { force: true });
  rmSync(manifestPath, { force: true });
  pruneEmptyDirs(join(root, 'AWSLogs'));
}

function pruneEmptyDirs(dir: string): boolean {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  let empty = true;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!pruneEmptyDirs(p)) empty = false;
    } else empty = false;
  }
  if (empty) rmSync(dir, { recursive: true });
  return empty;
}

/** Moves the staged tree into the target: whole folders where the target has none yet. */
function moveInto(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (!existsSync(dst)) {
      renameSync(src, dst);
    } else if (statSync(src).isDirectory() && statSync(dst).isDirectory()) {
      moveInto(src, dst);
    } else {
      renameSync(src, dst);
    }
  }
}
