import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveSigningKey } from '../../src/digest/signing-key.js';
import type { EdgeCaseReport } from '../../src/edge-cases/label.js';
import { buildRun } from '../../src/pipeline/build-run.js';
import { shardManifestName, type Shard } from '../../src/plan/shard.js';
import { resolveScenario, type ScenarioInput } from '../../src/scenario/scenario.js';
import { DirSink } from '../../src/sinks/dir.js';

/** A small two-day run of one account and Region: it crosses a UTC midnight, and every case fits. */
export const SMALL: ScenarioInput = {
  seed: 3,
  events: 400,
  accounts: 1,
  regions: ['us-east-1'],
  start: '2026-11-01T00:00:00Z',
  end: '2026-11-03T00:00:00Z',
};

export interface TreeManifest {
  edgeCases?: EdgeCaseReport;
  files: { key: string; sha256: string; metadata?: Record<string, string> }[];
}

/**
 * Generates a run (or one `shard` of it) into `out` in-process, as `trailsim generate` does:
 * digests signed with the key derived from the seed, the edge-case report in the manifest.
 */
export async function generateTree(out: string, input: ScenarioInput, shard?: Shard): Promise<TreeManifest> {
  const scenario = resolveScenario(input, (f) => f);
  const sink = new DirSink(out, { force: false, ...(shard ? { shard } : {}) });
  const key = deriveSigningKey(scenario.seed);
  await buildRun(scenario, { sink, signingKey: key, workers: 0, ...(shard ? { shard } : {}) }).generate({
    onFinish: (c) =>
      sink.setRunInfo({ seed: scenario.seed, ...(c.edgeCases ? { edgeCases: c.edgeCases } : {}) }),
  });
  const name = shard ? shardManifestName(shard) : 'trailsim-manifest.json';
  return JSON.parse(readFileSync(join(out, name), 'utf8')) as TreeManifest;
}
