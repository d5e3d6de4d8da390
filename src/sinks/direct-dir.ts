import { makeFolders } from './make-folder.js';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkTarget, removePreviousRun } from './dir.js';
import { MANIFEST_NAME, ManifestEntryLog, writeManifest, type RunInfo } from './manifest.js';
import type { Sink, SinkObject } from './sink.js';
import { shardManifestName, type Shard } from '../plan/shard.js';

/**
 * Writes each object into a folder as it comes, for a stream that delivers as it goes: each file
 * is written beside its final name and renamed into place, so a reader never sees a partial file.
 * The manifest is written on close. The same target rules as DirSink: an empty or new folder, or
 * `force` to replace an earlier trailsim run. `abort` keeps what was delivered (complete files a
 * consumer may already have read) and removes only temporary files.
 *
 * @example
 * const sink = new DirectDirSink('out/stream', { force: false });
 * await sink.put({ key: 'AWSLogs/…/x.json.gz', body, contentType: 'application/x-gzip' });
 * await sink.close();
 */
export class DirectDirSink implements Sink {
  readonly root: string;
  private readonly entries: ManifestEntryLog;
  private readonly dirs = new Set<string>();
  private readonly work: string;
  private readonly manifestName: string;
  private runInfo: RunInfo = {};
  private count = 0;

  constructor(root: string, opts: { force: boolean; shard?: Shard }) {
    this.root = resolve(root);
    this.manifestName = opts.shard ? shardManifestName(opts.shard) : MANIFEST_NAME;
    const previousKeys = checkTarget(this.root, opts.force, opts.shard);
    if (opts.force) removePreviousRun(this.root, previousKeys, this.manifestName);
    const id = opts.shard ? `shard-${opts.shard.index}-of-${opts.shard.count}-` : '';
    this.work = join(this.root, `.trailsim-staging-${id}${process.pid}`);
    makeFolders(this.work, this.root);
    this.entries = new ManifestEntryLog(join(this.work, 'manifest-entries.jsonl'));
  }

  setRunInfo(info: RunInfo): void {
    this.runInfo = info;
  }

  get objectCount(): number {
    return this.count;
  }

  async put(object: SinkObject): Promise<void> {
    const path = join(this.root, object.key);
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    // The temporary name starts with a dot and does not end in .json.gz, so globs skip it.
    const tmp = join(dir, `.trailsim-tmp-${process.pid}`);
    writeFileSync(tmp, object.body);
    renameSync(tmp, path);
    this.count++;
    this.entries.add(object);
  }

  async close(): Promise<void> {
    this.entries.end();
    const tmp = join(this.work, this.manifestName);
    writeManifest(tmp, this.runInfo, this.entries.path);
    renameSync(tmp, join(this.root, this.manifestName));
    rmSync(this.work, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    this.entries.destroy();
    rmSync(this.work, { recursive: true, force: true });
    for (const dir of this.dirs) rmSync(join(dir, `.trailsim-tmp-${process.pid}`), { force: true });
    if (existsSync(this.root) && readdirSync(this.root).length === 0) rmSync(this.root, { recursive: true });
  }
}
