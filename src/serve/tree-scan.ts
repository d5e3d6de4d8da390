import { closeSync, fstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A file of the tree as the file system describes it: enough to notice that it changed. */
export interface FileStat {
  /** Path relative to the root, `/`-separated: the S3 key. */
  key: string;
  abs: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** True when both describe the same unchanged file. */
export function sameFile(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/** A folder at the root that a run writes before moving its files into place. */
export function isStagingName(name: string): boolean {
  return name.startsWith('.trailsim-staging-');
}

/**
 * Every file below `root` with its size and times, by key, in S3's key order (byte order of the
 * UTF-8 key, the same as JavaScript's string order for the ASCII keys CloudTrail writes). Hidden
 * files and folders (a leading dot: run staging folders, editors' swap files) are no objects.
 * Only stats are read, so a rescan of a big tree is cheap.
 */
export function scanTree(root: string): {
  files: Map<string, FileStat>;
  /** Every folder of the tree, the root first: what a watcher watches. */
  dirs: string[];
  staging: boolean;
} {
  const files: FileStat[] = [];
  const dirs: string[] = [];
  let staging = false;
  const walk = (dir: string, prefix: string): void => {
    dirs.push(dir);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) {
        if (prefix === '' && isStagingName(e.name)) staging = true;
        continue;
      }
      const abs = join(dir, e.name);
      const key = `${prefix}${e.name}`;
      if (e.isDirectory()) walk(abs, `${key}/`);
      else if (e.isFile()) {
        let st;
        try {
          st = statSync(abs);
        } catch {
          continue; // removed between the listing and the stat: not there
        }
        files.push({ key, abs, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
      }
    }
  };
  walk(root, '');
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { files: new Map(files.map((f) => [f.key, f])), dirs, staging };
}

/** A file changed (or went) between the index and a read: the caller rescans and asks again. */
export class StaleFile extends Error {
  override readonly name = 'StaleFile';
}

/** The bytes of the file `stat` describes, or StaleFile when the file is no longer that one. */
export function readUnchanged(stat: FileStat): Buffer {
  let fd: number;
  try {
    fd = openSync(stat.abs, 'r');
  } catch {
    throw new StaleFile(stat.key);
  }
  try {
    const st = fstatSync(fd);
    if (!sameFile(stat, { ...stat, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino }))
      throw new StaleFile(stat.key);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
