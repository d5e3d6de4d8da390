import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { ApiError } from './api-error.js';
import { buildSnapshot, type TreeSnapshot } from './tree-index.js';
import { sameFile, scanTree } from './tree-scan.js';

export interface ServedTreeOptions {
  /** The bucket name to serve a tree without a manifest as. */
  bucket: string;
  /** How often to look for changes, in ms; 0 = only when a request finds a file changed. */
  rescanMs: number;
  /** Where to say what happens to the tree (stderr for the CLI). */
  log: (line: string) => void;
}

/**
 * The tree being served, kept current: rescanned every `rescanMs` and whenever a request finds a
 * file that differs from the index. A change is re-read into a new snapshot that replaces the old
 * one at once; while a trailsim run is writing into the tree (its staging folder is there), every
 * request is refused with a message that says so, rather than answered from a half-written tree.
 */
export class ServedTree {
  private snapshot: TreeSnapshot;
  private changing: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly root: string,
    private readonly options: ServedTreeOptions,
    first: TreeSnapshot,
  ) {
    this.snapshot = first;
    if (options.rescanMs > 0) {
      this.timer = setInterval(() => this.rescan(), options.rescanMs);
      this.timer.unref();
    }
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
    return new ServedTree(root, options, snapshot);
  }

  /** The current snapshot; an ApiError (503) while the tree is being rewritten. */
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
    if (!known) return snap;
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
    let scan;
    try {
      if (!existsSync(this.root)) throw new Error('the folder is gone');
      scan = scanTree(this.root);
    } catch (err) {
      this.refuse(
        `The tree at ${this.root} cannot be read (${(err as Error).message}); requests are refused until it is back.`,
      );
      return;
    }
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
    const { snapshot, counts } = buildSnapshot(this.root, scan.files, this.options.bucket, old);
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

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
