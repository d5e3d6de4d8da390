import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Sink } from '../../src/sinks/s3.js';
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

// s3rver 3.7.1 is the S3 server on npm that runs on Node 20 (@20minutes/s3rver 5 needs Node 24).
// Its delimiter listings lose every key two or more levels below the prefix (no CommonPrefixes),
// so here delimiter listings are checked only where it answers them right: a folder's own files.
// It also fails (InternalError) on any truncated ListObjectsV2 page, so runs here stay under 1,000
// objects (digests alone are one per account, Region and hour).
// test/sinks/s3-moto.test.ts checks delimiter listings at every level against moto_server.

const SEED = 4242;
const RUN = ['--seed', String(SEED), '--events', '800', '--regions', 'us-east-1,eu-west-1,ap-south-1'];

const server = useS3rver(['trail-logs']);

describe('generate --out s3:// against s3rver', () => {
  it('writes the same tree as a folder run with the same seed, and lists it', async () => {
    const dir = join(server.work, 'folder-run');
    const folder = await runCli([
      'generate',
      ...RUN,
      '--out',
      dir,
      '--key-prefix',
      'team-a',
      '--bucket',
      'trail-logs',
    ]);
    expect(folder.code, folder.stderr).toBe(0);
    const notes = join(server.work, 'notes.jsonl');
    const run = await runCli(
      ['generate', ...RUN, '--out', 's3://trail-logs/team-a', '--notifications', notes],
      s3Env(server.s3),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const tree = readTree(dir);
    // A folder run's root is the bucket's root; its side files (manifest, public keys) go under
    // the prefix in S3, beside the manifest.
    const s3KeyOf = (k: string): string => (k.includes('/') ? k : `team-a/${k}`);
    const objectKeys = [...tree.keys()].filter((k) => k.includes('/')).sort();
    const logKeys = objectKeys.filter((k) => k.includes('/CloudTrail/'));
    const sideFiles = [...tree.keys()].filter((k) => !k.includes('/'));
    expect(logKeys.length).toBeGreaterThan(50);
    expect(objectKeys.every((k) => k.startsWith('team-a/AWSLogs/'))).toBe(true);

    const all = await listAll(server.s3.client, 'trail-logs', '');
    expect(all.keys).toEqual([...tree.keys()].map(s3KeyOf).sort());

    // The prefix's own level holds only the side files.
    const top = await listAll(server.s3.client, 'trail-logs', 'team-a/', '/');
    expect(top.keys).toEqual(sideFiles.map(s3KeyOf).sort());
    expect(top.keys).toContain(`team-a/${MANIFEST_NAME}`);
    // A date folder's listing with a delimiter is that folder's files.
    const folderOf = logKeys[0]!.slice(0, logKeys[0]!.lastIndexOf('/') + 1);
    const leaf = await listAll(server.s3.client, 'trail-logs', folderOf, '/');
    expect(leaf.keys).toEqual(logKeys.filter((k) => k.startsWith(folderOf)));

    for (const [key, body] of tree) {
      if (key === MANIFEST_NAME) continue;
      const got = await download(server.s3.client, 'trail-logs', s3KeyOf(key));
      expect(got.body.equals(body), key).toBe(true);
      if (key.endsWith('.json.gz')) expect(got.contentType).toBe('application/x-gzip');
      expect(got.contentEncoding).toBeUndefined();
    }
    // Digests carry their signature in user metadata, as the folder run's manifest records it.
    type Manifest = { files: { key: string; metadata?: Record<string, string> }[] };
    const folderManifest = JSON.parse(tree.get(MANIFEST_NAME)!.toString()) as Manifest;
    const digests = folderManifest.files.filter((f) => f.key.includes('/CloudTrail-Digest/'));
    expect(digests.length).toBeGreaterThan(0);
    for (const d of digests) {
      const got = await download(server.s3.client, 'trail-logs', d.key);
      expect(got.metadata).toEqual(d.metadata);
      expect(got.metadata.signature).toMatch(/^[0-9a-f]{512}$/);
      expect(got.metadata['signature-algorithm']).toBe('SHA256withRSA');
    }
    // Same scenario (bucket and prefix included), so the same manifest, side files' keys aside.
    const manifest = await download(server.s3.client, 'trail-logs', `team-a/${MANIFEST_NAME}`);
    expect(manifest.contentType).toBe('application/json');
    expect(JSON.parse(manifest.body.toString())).toEqual({
      ...folderManifest,
      files: folderManifest.files.map((f) => ({ ...f, key: s3KeyOf(f.key) })),
    });

    const lines = readFileSync(notes, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toHaveLength(logKeys.length);
    expect(lines[0]).toEqual({
      s3Bucket: 'trail-logs',
      s3ObjectKey: [expect.stringMatching(/^team-a\/AWSLogs\//)],
    });
    expect(new Set(lines.map((l) => (l as { s3ObjectKey: string[] }).s3ObjectKey[0]))).toEqual(
      new Set(logKeys),
    );
  });

  it('refuses a non-empty prefix without --force, and with --force replaces only the earlier run', async () => {
    await createBucket(server.s3, 'force-test');
    const env = s3Env(server.s3);
    const first = await runCli(
      ['generate', '--seed', '1', '--events', '200', '--regions', 'us-east-1', '--out', 's3://force-test/p'],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    const before = await listAll(server.s3.client, 'force-test', 'p/');

    const again = await runCli(
      ['generate', '--seed', '2', '--events', '200', '--regions', 'us-east-1', '--out', 's3://force-test/p'],
      env,
    );
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toEqual([
      'trailsim: s3://force-test/p/: is not empty; pass --force to replace an earlier trailsim run there, or choose another prefix',
    ]);
    expect((await listAll(server.s3.client, 'force-test', 'p/')).keys).toEqual(before.keys);

    // An object that is not trailsim's, beside the run, and one outside the prefix.
    const sink = new S3Sink({ client: server.s3.client, location: { bucket: 'force-test', prefix: 'q' } });
    await sink.put({ key: 'q/other.txt', body: Buffer.from('keep me'), contentType: 'text/plain' });
    await sink.close();

    const forced = await runCli(
      [
        'generate',
        '--seed',
        '2',
        '--events',
        '200',
        '--regions',
        'us-east-1',
        '--out',
        's3://force-test/p',
        '--force',
      ],
      env,
    );
    expect(forced.code, forced.stderr).toBe(0);
    const after = await listAll(server.s3.client, 'force-test', 'p/');
    const manifest = JSON.parse(
      (await download(server.s3.client, 'force-test', `p/${MANIFEST_NAME}`)).body.toString(),
    ) as { seed: number; files: { key: string }[] };
    expect(manifest.seed).toBe(2);
    expect(after.keys).toEqual([...manifest.files.map((f) => f.key), `p/${MANIFEST_NAME}`].sort());
    expect(after.keys).not.toEqual(before.keys);
    expect((await listAll(server.s3.client, 'force-test', 'q/')).keys).toEqual([
      'q/other.txt',
      `q/${MANIFEST_NAME}`,
    ]);
  });

  it('with --force, stops at a manifest key outside the prefix and deletes nothing', async () => {
    await createBucket(server.s3, 'force-escape');
    const env = s3Env(server.s3);
    const run = ['generate', '--events', '100', '--regions', 'us-east-1', '--out', 's3://force-escape/p'];
    expect((await runCli(run, env)).code).toBe(0);
    const outside = new S3Sink({
      client: server.s3.client,
      location: { bucket: 'force-escape', prefix: 'q' },
    });
    await outside.put({ key: 'q/victim.txt', body: Buffer.from('keep me'), contentType: 'text/plain' });
    await outside.close();
    const manifest = JSON.parse(
      (await download(server.s3.client, 'force-escape', `p/${MANIFEST_NAME}`)).body.toString(),
    ) as { files: { key: string }[] };
    for (const key of ['q/victim.txt', 'p/../q/victim.txt']) {
      const edited = { ...manifest, files: [...manifest.files, { key }] };
      await server.s3.client.send(
        new PutObjectCommand({
          Bucket: 'force-escape',
          Key: `p/${MANIFEST_NAME}`,
          Body: JSON.stringify(edited),
        }),
      );
      const before = await listAll(server.s3.client, 'force-escape', '');
      const forced = await runCli([...run, '--seed', '2', '--force'], env);
      expect(forced.code).toBe(2);
      expect(forced.stderr).toMatch(
        /^trailsim: .*trailsim-manifest\.json: \/files\/\d+\/key: ".*" (is not under the prefix|has a "\.\." segment)/,
      );
      expect((await listAll(server.s3.client, 'force-escape', '')).keys).toEqual(before.keys);
    }
  });

  it('says in one line that a bucket does not exist, and writes nothing', async () => {
    const notes = join(server.work, 'never.jsonl');
    const r = await runCli(
      ['generate', '--events', '50', '--out', 's3://no-such-bucket/x', '--notifications', notes],
      s3Env(server.s3),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('trailsim: s3://no-such-bucket/x/: the bucket does not exist\n');
    expect(() => readFileSync(notes)).toThrow();
  });

  it('says in one line that credentials were refused, or that the endpoint does not answer', async () => {
    await createBucket(server.s3, 'cred-test');
    const refused = await runCli(['generate', '--events', '20', '--out', 's3://cred-test/p'], {
      ...s3Env(server.s3),
      AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY',
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^trailsim: s3:\/\/cred-test\/p\/: AWS credentials were refused or not found \(InvalidAccessKeyId\): [^\n]+\n$/,
    );
    const unreachable = await runCli(
      ['generate', '--events', '20', '--out', 's3://cred-test/p', '--endpoint-url', 'http://127.0.0.1:1'],
      s3Env(server.s3),
    );
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toBe(
      'trailsim: s3://cred-test/p/: cannot reach the S3 endpoint (ECONNREFUSED)\n',
    );
    expect((await listAll(server.s3.client, 'cred-test', '')).keys).toEqual([]);
  });

  it('rejects --key-prefix or --bucket that contradict the S3 URL', async () => {
    const r = await runCli(['generate', '--out', 's3://trail-logs/a', '--key-prefix', 'b'], s3Env(server.s3));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailsim: --key-prefix: "b" contradicts the prefix of --out \("a"\)\n$/);
  });
});

describe('S3Sink against s3rver', () => {
  it('stores user metadata, as digests need for their signatures', async () => {
    await createBucket(server.s3, 'meta-test');
    const sink = new S3Sink({ client: server.s3.client, location: { bucket: 'meta-test', prefix: 'trail' } });
    const metadata = { signature: 'ab'.repeat(256), 'signature-algorithm': 'SHA256withRSA' };
    await sink.put({
      key: 'trail/AWSLogs/1/CloudTrail-Digest/x.json.gz',
      body: Buffer.from([1, 2, 3]),
      contentType: 'application/x-gzip',
      metadata,
    });
    await sink.close();
    const head = await server.s3.client.send(
      new HeadObjectCommand({ Bucket: 'meta-test', Key: 'trail/AWSLogs/1/CloudTrail-Digest/x.json.gz' }),
    );
    expect(head.Metadata).toEqual(metadata);
    const manifest = JSON.parse(
      (await download(server.s3.client, 'meta-test', `trail/${MANIFEST_NAME}`)).body.toString(),
    ) as {
      files: { key: string; metadata?: unknown }[];
    };
    expect(manifest.files[0]!.metadata).toEqual(metadata);
  });

  it('refuses a key outside its prefix', async () => {
    const sink = new S3Sink({ client: server.s3.client, location: { bucket: 'meta-test', prefix: 'trail' } });
    await expect(
      sink.put({ key: 'elsewhere/x', body: Buffer.from('x'), contentType: 'text/plain' }),
    ).rejects.toThrow(/outside the prefix trail\//);
    await sink.abort();
    expect((await listAll(server.s3.client, 'meta-test', 'elsewhere/')).keys).toEqual([]);
  });

  it('on abort deletes what the run uploaded, and writes no manifest', async () => {
    await createBucket(server.s3, 'abort-test');
    const sink = new S3Sink({
      client: server.s3.client,
      location: { bucket: 'abort-test', prefix: 'r' },
      concurrency: 3,
    });
    for (let i = 0; i < 20; i++)
      await sink.put({
        key: `r/AWSLogs/${i}.json.gz`,
        body: Buffer.alloc(1000, i),
        contentType: 'application/x-gzip',
      });
    await sink.abort();
    expect((await listAll(server.s3.client, 'abort-test', '')).keys).toEqual([]);
  });
});

describe('upload against s3rver', () => {
  it('uploads a generated folder with its metadata, and refuses a changed folder', async () => {
    await createBucket(server.s3, 'upload-test');
    const dir = join(server.work, 'to-upload');
    const gen = await runCli([
      'generate',
      '--seed',
      '9',
      '--events',
      '300',
      '--regions',
      'us-east-1,eu-west-1',
      '--out',
      dir,
      '--bucket',
      'upload-test',
    ]);
    expect(gen.code, gen.stderr).toBe(0);
    // Give one file metadata in the manifest, as a digest has (the digests branch writes it).
    const manifestPath = join(dir, MANIFEST_NAME);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      files: { key: string; metadata?: Record<string, string> }[];
    };
    const signed = manifest.files[3]!;
    signed.metadata = { signature: 'cd'.repeat(8), 'signature-algorithm': 'SHA256withRSA' };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

    const up = await runCli(['upload', dir, 's3://upload-test/'], s3Env(server.s3));
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toBe('');
    const tree = readTree(dir);
    const listed = await listAll(server.s3.client, 'upload-test', '');
    expect(listed.keys).toEqual([...tree.keys()].sort());
    for (const f of manifest.files) {
      const got = await download(server.s3.client, 'upload-test', f.key);
      expect(got.body.equals(tree.get(f.key)!)).toBe(true);
      expect(got.metadata).toEqual(f.metadata ?? {});
    }

    const other = manifest.files[5]!.key;
    writeFileSync(join(dir, other), 'tampered');
    const bad = await runCli(['upload', dir, 's3://upload-test/again'], s3Env(server.s3));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('differs from the manifest');
    expect((await listAll(server.s3.client, 'upload-test', 'again/')).keys).toEqual([]);
  });
});

describe('stream --out s3:// against s3rver', () => {
  it('delivers rate × duration records as log files under the prefix, with notifications', async () => {
    await createBucket(server.s3, 'stream-test');
    const notes = join(server.work, 'stream-notes.jsonl');
    const r = await runCli(
      [
        'stream',
        '--rate',
        '500/s',
        '--duration',
        '2s',
        '--interval',
        '1s',
        '--regions',
        'us-east-1,eu-west-1',
        '--out',
        's3://stream-test/live',
        '--notifications',
        notes,
      ],
      s3Env(server.s3),
    );
    expect(r.code, r.stderr).toBe(0);
    const listed = await listAll(server.s3.client, 'stream-test', '');
    const logKeys = listed.keys.filter((k) => k.endsWith('.json.gz'));
    expect(listed.keys).toEqual([...logKeys, `live/${MANIFEST_NAME}`].sort());
    expect(logKeys.every((k) => /^live\/AWSLogs\/\d{12}\/CloudTrail\/(us-east-1|eu-west-1)\//.test(k))).toBe(
      true,
    );
    let records = 0;
    for (const k of logKeys) {
      const body = (await download(server.s3.client, 'stream-test', k)).body;
      records += (JSON.parse(gunzipSync(body).toString()) as { Records: unknown[] }).Records.length;
    }
    expect(Math.abs(records - 1000)).toBeLessThanOrEqual(10);
    const noted = readFileSync(notes, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { s3ObjectKey: string[] }).s3ObjectKey[0]);
    expect(noted.sort()).toEqual(logKeys);
  });
});
