import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_NAME } from '../../src/sinks/manifest.js';
import {
  createBucket,
  download,
  hasCommand,
  listAll,
  readTree,
  runCli,
  s3Env,
  startMoto,
  type TestS3,
} from '../helpers/s3-servers.js';

// moto_server and the AWS CLI are on the project's machines, not on most users'.
const haveMoto = hasCommand('moto_server');
const haveAws = haveMoto && hasCommand('aws');
if (!haveMoto) console.log('skipping the moto_server tests: moto_server is not on PATH');
else if (!haveAws) console.log('skipping the aws s3 ls test: the AWS CLI is not on PATH');

const RUN = ['--seed', '777', '--events', '600', '--regions', 'us-east-1,eu-central-1', '--organization'];

let s3: TestS3 | undefined;
let work: string;
let folderTree: Map<string, Buffer>;

beforeAll(async () => {
  if (!haveMoto) return;
  s3 = await startMoto();
  work = mkdtempSync(join(tmpdir(), 'trailsim-moto-test-'));
  await createBucket(s3, 'org-trail');
  const dir = join(work, 'folder');
  const folder = await runCli([
    'generate',
    ...RUN,
    '--out',
    dir,
    '--key-prefix',
    'ct',
    '--bucket',
    'org-trail',
  ]);
  if (folder.code !== 0) throw new Error(folder.stderr);
  folderTree = readTree(dir);
  const run = await runCli(['generate', ...RUN, '--out', 's3://org-trail/ct'], s3Env(s3));
  if (run.code !== 0) throw new Error(run.stderr);
});

afterAll(async () => {
  await s3?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Where a folder run's file is in the bucket: side files (no folder) under the prefix. */
const s3KeyOf = (k: string): string => (k.includes('/') ? k : `ct/${k}`);

/** The listing a delimiter should give under `prefix`, worked out from the folder run's keys. */
function expectedLevel(keys: string[], prefix: string): { keys: string[]; prefixes: string[] } {
  const direct: string[] = [];
  const below = new Set<string>();
  for (const k of keys) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) direct.push(k);
    else below.add(prefix + rest.slice(0, slash + 1));
  }
  return { keys: direct.sort(), prefixes: [...below].sort() };
}

describe.skipIf(!haveMoto)('generate --out s3:// against moto_server', () => {
  it('lists exactly the folder run, with and without a delimiter, at every level', async () => {
    const expected = [...folderTree.keys()].map(s3KeyOf).sort();
    const all = await listAll(s3!.client, 'org-trail', '');
    expect(all.keys).toEqual(expected);
    expect(all.keys.some((k) => /^ct\/AWSLogs\/o-[a-z0-9]+\/\d{12}\/CloudTrail\//.test(k))).toBe(true);
    // Walk the tree the way a console or `aws s3 ls` does, one delimiter listing per level.
    const queue = ['ct/'];
    let levels = 0;
    while (queue.length > 0) {
      const prefix = queue.shift()!;
      const got = await listAll(s3!.client, 'org-trail', prefix, '/');
      expect(got, prefix).toEqual(expectedLevel(expected, prefix));
      queue.push(...got.prefixes);
      levels++;
    }
    expect(levels).toBeGreaterThan(10);
  });

  it('downloads byte-identical to the folder run, digests with their signature metadata', async () => {
    const manifest = JSON.parse(folderTree.get(MANIFEST_NAME)!.toString()) as {
      files: { key: string; metadata?: Record<string, string> }[];
    };
    const metadataOf = new Map(manifest.files.map((f) => [f.key, f.metadata]));
    let digests = 0;
    for (const [key, body] of folderTree) {
      if (key === MANIFEST_NAME) continue;
      const got = await download(s3!.client, 'org-trail', s3KeyOf(key));
      expect(got.body.equals(body), key).toBe(true);
      expect(got.contentEncoding).toBeUndefined();
      if (key.includes('/CloudTrail-Digest/')) {
        digests++;
        expect(got.metadata).toEqual(metadataOf.get(key));
        expect(got.metadata.signature).toMatch(/^[0-9a-f]+$/);
      }
    }
    expect(digests).toBeGreaterThan(0);
  });

  it.skipIf(!haveAws)('aws s3 ls --recursive lists exactly the expected keys', () => {
    const r = spawnSync('aws', ['s3', 'ls', '--recursive', 's3://org-trail/ct/'], {
      env: { ...process.env, ...s3Env(s3!) },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const keys = r.stdout
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3]!)
      .sort();
    const expected = [...folderTree.keys()].map(s3KeyOf).sort();
    expect(keys).toEqual(expected);
  });
});
