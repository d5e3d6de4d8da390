import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDigestStage } from '../../src/digest/digest-stage.js';
import { deriveSigningKey } from '../../src/digest/signing-key.js';
import { sha256Hex } from '../../src/shared/hash.js';
import { generateLogFiles, prepare } from '../../src/pipeline/generate.js';
import { resolveScenario } from '../../src/scenario/scenario.js';

const scenario = (digests: boolean) => resolveScenario({ seed: 9, events: 2_000, digests });

// Digests list each log file with the SHA-256 of its uncompressed JSON; a run without digests
// has no reader for that hash, so it is not computed.
describe("log files' hashes of their JSON", () => {
  const withDigests = [...generateLogFiles(prepare(scenario(true)))];
  const without = [...generateLogFiles(prepare(scenario(false)))];

  it('are the SHA-256 of the gunzipped body when the run writes digests', () => {
    expect(withDigests.length).toBeGreaterThan(20);
    for (const f of withDigests) expect(f.sha256).toBe(sha256Hex(gunzipSync(f.body)));
  });

  it('are left empty without digests, the files otherwise the same', () => {
    expect(without.map((f) => f.sha256)).toEqual(without.map(() => ''));
    const strip = (files: typeof without) =>
      files.map(({ sha256: _, body, ...rest }) => ({ ...rest, body: Buffer.from(body).toString('base64') }));
    expect(strip(without)).toEqual(strip(withDigests));
  });

  it('are required by the digest stage, which says so', async () => {
    const p = prepare(scenario(false));
    const stage = createDigestStage(p, deriveSigningKey(p.scenario.seed));
    await expect(stage.onFile(without[0]!)).rejects.toThrow(/has no hash \(its scenario has digests off\)/);
  });
});
