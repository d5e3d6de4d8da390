import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServiceDescription } from '../generated/service.js';

/** What help texts say of the default service: its name for people and example calls. */
export interface HelpService {
  displayName: string;
  examples: NonNullable<ServiceDescription['examples']>;
}

/** Said when the shipped service description cannot be read: help still prints. */
const GENERIC: HelpService = {
  displayName: 'an AWS service',
  examples: {
    operation: '<Operation>',
    failing: { operation: '<Operation>', error: 'AccessDeniedException' },
  },
};

let cached: HelpService | undefined;

/**
 * The default service (the first folder of trailsim's own templates/ with a service.json, as
 * `loadServices` takes it) as help texts name it, so that no command names a service in code.
 * Every command's module is loaded at start-up to build the help, so this reads one JSON file and
 * nothing else; the file is checked against its schema when a run loads it, not here.
 *
 * @example helpService().displayName // 'Amazon DevOps Guru'
 */
export function helpService(): HelpService {
  if (cached) return cached;
  try {
    // Two levels below the package root, in src/cli/ as in dist/bin/ (see scripts/bundle.mjs).
    const dir = fileURLToPath(new URL('../../templates/', import.meta.url));
    const folder = readdirSync(dir)
      .sort()
      .find((name) => existsSync(`${dir}${name}/service.json`));
    const d = JSON.parse(readFileSync(`${dir}${folder}/service.json`, 'utf8')) as ServiceDescription;
    cached = { displayName: d.displayName ?? d.service, examples: d.examples ?? GENERIC.examples };
  } catch {
    cached = GENERIC;
  }
  return cached;
}
