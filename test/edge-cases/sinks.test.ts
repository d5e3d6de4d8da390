import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeCaseReport } from '../../src/edge-cases/label.js';
import { MANIFEST_NAME } from '../../src/sinks/manifest.js';
import {
  createBucket,
  download,
  listAll,
  readTree,
  runCli,
  s3Env,
  useS3rver,
} from '../helpers/s3-servers.js';
import { runFlags } from '../helpers/cli.js';

// Broken objects are written to S3 as the objects they describe: the same bytes and metadata as a
// folder run, directly (generate --out s3://) and through `trailsim upload`. Runs stay under 1,000
// objects (s3rver fails on a truncated listing page).
const RUN = [
  'generate',
  ...runFlags({
    seed: 11,
    events: 300,
    accounts: 1,
    regions: ['us-east-1'],
    start: '2026-11-01T00:00:00Z',
    end: '2026-11-03T00:00:00Z',
  }),
  '--edge-cases',
  'hostile',
  '--quiet',
];

interface Manifest {
  edgeCases: EdgeCaseReport;
  files: { key: string; metadata?: Record<string, string> }[];
}

const server = useS3rver();
let dir: string;
let manifest: Manifest;

beforeAll(async () => {
  dir = join(server.work, 'folder');
  const r = await runCli([...RUN, '--out', dir, '--bucket', 'edge-direct', '--key-prefix', 'p']);
  expect(r.code, r.stderr).toBe(0);
  manifest = JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8')) as Manifest;
});

/** The objects each label says are there, or not. */
function expectLabelledObjects(keys: string[], labels: EdgeCaseReport['labels']): void {
  for (const l of labels) {
    const absent = l.kind === 'missing-digest' || l.kind === 'missing-log-file';
    expect(keys.includes(l.key), `${l.kind} ${l.key}`).toBe(!absent);
  }
}

describe('hostile edge cases in S3', () => {
  it('generate --out s3:// stores each broken object as the folder run has it', async () => {
    await createBucket(server.s3, 'edge-direct');
    const r = await runCli([...RUN, '--out', 's3://edge-direct/p'], s3Env(server.s3));
    expect(r.code, r.stderr).toBe(0);
    const tree = readTree(dir);
    const s3KeyOf = (k: string): string => (k.includes('/') ? k : `p/${k}`);
    const listed = await listAll(server.s3.client, 'edge-direct', '');
    expect(listed.keys).toEqual([...tree.keys()].map(s3KeyOf).sort());
    expectLabelledObjects(listed.keys, manifest.edgeCases.labels);
    for (const f of manifest.files) {
      if (!f.key.includes('/')) continue;
      const got = await download(server.s3.client, 'edge-direct', f.key);
      expect(got.body.equals(tree.get(f.key)!), f.key).toBe(true);
      expect(got.metadata, f.key).toEqual(f.metadata ?? {});
    }
    const zero = manifest.edgeCases.labels.find((l) => l.kind === 'zero-byte')!;
    expect((await download(server.s3.client, 'edge-direct', zero.key)).body).toHaveLength(0);
    const inS3 = JSON.parse(
      (await download(server.s3.client, 'edge-direct', `p/${MANIFEST_NAME}`)).body.toString(),
    ) as Manifest;
    expect(inS3.edgeCases).toEqual(manifest.edgeCases);
  });

  it('trailsim upload stores the folder, broken objects and bad signature included', async () => {
    await createBucket(server.s3, 'edge-upload');
    const up = await runCli(['upload', dir, 's3://edge-upload/'], s3Env(server.s3));
    expect(up.code, up.stderr).toBe(0);
    const tree = readTree(dir);
    const listed = await listAll(server.s3.client, 'edge-upload', '');
    expect(listed.keys).toEqual([...tree.keys()].sort());
    expectLabelledObjects(listed.keys, manifest.edgeCases.labels);
    const bad = manifest.edgeCases.labels.find((l) => l.kind === 'bad-signature')!;
    const got = await download(server.s3.client, 'edge-upload', bad.key);
    expect(got.metadata.signature).toBe(manifest.files.find((f) => f.key === bad.key)!.metadata!.signature);
    for (const l of manifest.edgeCases.labels.filter((x) => tree.has(x.key)))
      expect(
        (await download(server.s3.client, 'edge-upload', l.key)).body.equals(tree.get(l.key)!),
        l.key,
      ).toBe(true);
  });
});
