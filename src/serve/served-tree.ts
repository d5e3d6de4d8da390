import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { ApiError } from './api-error.js';
import { buildSnapshot, type TreeSnapshot } from './tree-index.js';
import { sameFile, scanTree } from './tree-scan.js';

export interface ServedTreeOptions {
  /** The bucket name to serve a tree without a manifest as. */
  bucket: string;
  /**
   * Watch the tree's folders and rescan when something in them changes (default). Off, the tree
   * is rescanned only when a request finds a file changed, or when `rescan()` is called.
   */
  watch: boolean;
  /** Where to say what happens to the tree (stderr for the CLI). */
  log: (line: string) => void;
}

/** Changes usually come in bursts (a run moving thousands of files): one rescan after the burst. */
const SETTLE_MS = 300;
/** How often to rescan when the file system cannot be watched. */
const POLL_MS = 5000;

/**
 * The tree being served, kept current. Its folders are watched (one inotify watch a folder, not a
 * file), and a change is re-read into a new snapshot that replaces the old one at once; a request
 * that finds a file differing from the index has it re-read first. While a trailsim run is writing
 * into the tree (its staging folder is there), or the tree is gone, every request is refused with
 * a message that says so, rather than answered from a half-written tree.
 */
export class ServedTree {
  private snapshot: TreeSnapshot;
  private changing: string | undefined;
  private readonly watchers = new Map<string, FSWatcher>();
  private settle: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly root: string,
    private readonly options: ServedTreeOptions,
    first: TreeSnapshot,
    dirs: string[],
  ) {
    this.snapshot = first;
    if (options.watch) this.watchDirs(dirs);
  }

  /** Indexes the tree in `dir`; a bad folder is a UsageError. */
  static open(dir: string, options: ServedTreeOptions): ServedTree {
    const root = resolve(dir);
    if (!existsSync(root)) throw new UsageError(dir, 'does not exist');
    if (!statSync(root).isDirectory()) throw new UsageError(dir, 'is not a folder');
    const scan = scanTree(root);
    if (scan.staging)
      throw new UsageError(
        dir,
        'a trailsim run is writing into it (.trailsim-staging-*); serve it when the run ends',
      );
    const { snapshot } = buildSnapshot(root, scan.files, options.bucket);
    return new ServedTree(root, options, snapshot, scan.dirs);
  }

  /** The current snapshot; an ApiError (503) while the tree is being rewritten or is gone. */
  current(): TreeSnapshot {
    if (this.changing !== undefined) throw new ApiError('ServiceUnavailable', this.changing, 503);
    return this.snapshot;
  }

  /**
   * The current snapshot, re-read first if the file under `key` changed since it was indexed
   * (an edited log file is served as it now is, and its summary is rebuilt).
   */
  freshFor(key: string): TreeSnapshot {
    const snap = this.current();
    const known = snap.objects.get(key);
    if (!known) {
      // A file that appeared since the last scan (the watcher has not said so yet).
      const safe = !key.split('/').some((part) => part === '..' || part === '' || part.startsWith('.'));
      if (safe && existsSync(join(this.root, key))) this.rescan();
      return this.current();
    }
    let st;
    try {
      st = statSync(known.abs);
    } catch {
      this.rescan();
      return this.current();
    }
    if (!sameFile(known, { ...known, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino })) this.rescan();
    return this.current();
  }

  /** Looks for changes and, when there are any, replaces the snapshot with a re-read one. */
  rescan(): void {
    if (this.closed) return;
    let scan;
    try {
      if (!existsSync(this.root)) throw new Error('the folder is gone');
      scan = scanTree(this.root);
    } catch (err) {
      this.refuse(
        `The tree at ${this.root} cannot be read (${(err as Error).message}); requests are refused until it is back.`,
      );
      if (this.options.watch) this.startPolling();
      return;
    }
    if (this.options.watch) this.watchDirs(scan.dirs);
    if (scan.staging) {
      this.refuse(
        `The tree at ${this.root} is being rewritten by a trailsim run; requests are refused until the run ends.`,
      );
      return;
    }
    const old = this.snapshot;
    const unchanged =
      this.changing === undefined &&
      scan.files.size === old.keys.length &&
      [...scan.files.values()].every((f) => {
        const o = old.objects.get(f.key);
        return o !== undefined && sameFile(o, f);
      });
    if (unchanged) return;
    let built;
    try {
      built = buildSnapshot(this.root, scan.files, this.options.bucket, old);
    } catch (err) {
      // A side file being rewritten, or unreadable: refused until a later change fixes it.
      this.refuse(
        `The tree at ${this.root} cannot be read (${(err as Error).message}); requests are refused until it can.`,
      );
      return;
    }
    const { snapshot, counts } = built;
    this.snapshot = snapshot;
    this.changing = undefined;
    this.options.log(
      `tree changed: re-read ${counts.read} files, kept ${counts.kept}; serving ${snapshot.records} records`,
    );
  }

  private refuse(message: string): void {
    if (this.changing !== message) this.options.log(message);
    this.changing = message;
  }

  /** Watches exactly `dirs`: new folders are added, removed ones dropped. */
  private watchDirs(dirs: string[]): void {
    const wanted = new Set(dirs);
    for (const [dir, w] of this.watchers)
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.changed());
        w.on('error', () => this.changed());
        this.watchers.set(dir, w);
      } catch {
        // Out of inotify watches, or a file system that cannot be watched: poll instead.
        this.startPolling();
        return;
      }
    }
  }

  private startPolling(): void {
    if (this.poll || this.closed) return;
    this.poll = setInterval(() => this.rescan(), POLL_MS);
    this.poll.unref();
  }

  private changed(): void {
    if (this.closed) return;
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => this.rescan(), SETTLE_MS);
    this.settle.unref();
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    if (this.settle) clearTimeout(this.settle);
    if (this.poll) clearInterval(this.poll);
  }
}
