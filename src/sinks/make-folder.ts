import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';

/**
 * Creates a folder and the missing folders above it, one at a time. Node's `mkdirSync(p, {
 * recursive: true })` loops forever where creating a folder fails with ENOENT although its parent
 * exists (`/proc/x`); one level at a time, that failure is an answer. A failure is the user's
 * output place: a UsageError naming `where` (default: the folder) and the system's code.
 *
 * @example makeFolders('out/.trailsim-staging-42', 'out');
 */
export function makeFolders(path: string, where: string = path): void {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  try {
    for (const dir of missing.reverse()) mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(where, `cannot create the output folder here (${code})`);
  }
}
