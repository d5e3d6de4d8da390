import { readFileSync } from 'node:fs';
import type { Scenario } from '../scenario/scenario.js';

/** trailsim's own version, from its package.json. */
export function trailsimVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** What a manifest records about the run, besides the files: enough to reproduce it. */
export function runInfo(scenario: Scenario): Record<string, unknown> {
  return {
    generator: 'trailsim',
    version: trailsimVersion(),
    seed: scenario.seed,
    scenario: {
      ...scenario,
      start: new Date(scenario.start).toISOString(),
      end: new Date(scenario.end).toISOString(),
    },
  };
}
