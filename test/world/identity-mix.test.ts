import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/pipeline/generate.js';
import { recordLines } from '../../src/pipeline/records.js';
import { resolveScenario } from '../../src/scenario/scenario.js';

/** Records per userIdentity.type of a run. */
function typesOf(identityMix: string, seed: number): Record<string, number> {
  const scenario = resolveScenario({ seed, events: 3000, identityMix });
  const count: Record<string, number> = {};
  for (const line of recordLines(prepare(scenario), 'cloudtrail')) {
    const type = (JSON.parse(line) as { userIdentity: { type: string } }).userIdentity.type;
    count[type] = (count[type] ?? 0) + 1;
  }
  return count;
}

describe('--identity-mix', () => {
  // Scheduled jobs (an exporter Lambda's polls, hourly reports) and configuration changes are
  // calls too: a type left out of the mix makes none of them either.
  it.each([
    ['IAMUser=1', ['IAMUser']],
    ['AssumedRole=1', ['AssumedRole']],
    ['IAMUser=1,FederatedUser=1', ['FederatedUser', 'IAMUser']],
  ])('%s: every record is of the types named, and no other', (mix, types) => {
    for (const seed of [1, 8]) {
      const count = typesOf(mix, seed);
      expect(Object.keys(count).sort()).toEqual(types);
      expect(Object.values(count).reduce((a, b) => a + b, 0)).toBe(3000);
    }
  });
});
