import { trailsimVersion } from '../shared/version.js';
import type { Scenario } from '../scenario/scenario.js';

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
