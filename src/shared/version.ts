import { readFileSync } from 'node:fs';

/** trailsim's own version, from its package.json (two folders up, from src/ or dist/ alike). */
export function trailsimVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
