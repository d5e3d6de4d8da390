import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { filesUnder, readManifest, runFlags, type Manifest } from '../helpers/cli.js';
import { generateTree, sdkConfig } from '../helpers/serve.js';
import { scratchFolder } from '../helpers/tree.js';

/** The read-only S3 of `trailsim serve`, through the real S3 SDK (and raw HTTP for virtual hosts). */
const dir = scratchFolder('serve-s3');
const out = join(dir, 'tree');
const BUCKET = 'serve-s3-test';
let server: RunningServer;
let s3: S3Client;
let keys: string[];
let manifest: Manifest;

beforeAll(async () => {
  generateTree(out, [
    ...runFlags({ seed: 11, events: 300, accounts: 1, regions: ['eu-west-1', 'us-west-2'] }),
    '--home-region',
    'eu-west-1',
    '--bucket',
    BUCKET,
    '--key-prefix',
    'org/trails',
  ]);
  keys = filesUnder(out);
  manifest = readManifest(out);
  server = await startServer({ dir: out, watch: false });
  s3 = new S3Client({ ...sdkConfig(server.url, 'eu-west-1'), forcePathStyle: true });
});
afterAll(async () => server?.close());

/** Every key a listing pages through, following its continuation. */
async function listAllV2(prefix: string, maxKeys: number): Promise<{ keys: string[]; pages: number }> {
  const found: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: prefix,
        MaxKeys: maxKeys,
        ContinuationToken: token,
      }),
    );
    pages++;
    found.push(...(page.Contents ?? []).map((c) => c.Key!));
    expect(page.KeyCount).toBe((page.Contents ?? []).length);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys: found, pages };
}

/** What a delimiter listing should roll up: the next path segment below `prefix`. */
function commonPrefixes(prefix: string): string[] {
  const set = new Set<string>();
  for (const k of keys)
    if (k.startsWith(prefix) && k.indexOf('/', prefix.length) >= 0)
      set.add(k.slice(0, k.indexOf('/', prefix.length) + 1));
  return [...set].sort();
}

describe('listing', () => {
  it('ListObjectsV2 pages through every key under a prefix, in order', async () => {
    const prefix = 'org/trails/AWSLogs/';
    const expected = keys.filter((k) => k.startsWith(prefix));
    expect(expected.length).toBeGreaterThan(50);
    const { keys: found, pages } = await listAllV2(prefix, 13);
    expect(found).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 13));
    expect((await listAllV2('', 1000)).keys).toEqual(keys);
  });

  it('rolls keys up into CommonPrefixes with a delimiter, across pages', async () => {
    const account = manifest.trail.arn.split(':')[4];
    for (const prefix of ['', 'org/trails/AWSLogs/', `org/trails/AWSLogs/${account}/CloudTrail/eu-west-1/`]) {
      const expected = commonPrefixes(prefix);
      expect(expected.length, prefix).toBeGreaterThan(0);
      const got: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: BUCKET,
            Prefix: prefix,
            Delimiter: '/',
            MaxKeys: 1,
            ContinuationToken: token,
          }),
        );
        got.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      expect(got, prefix).toEqual(expected);
    }
    const top = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
    expect(top.Contents!.map((c) => c.Key)).toEqual(keys.filter((k) => !k.includes('/')));
  });

  it('ListObjects (V1) resumes after Marker, as validate-logs lists digests', async () => {
    const digestPrefix = keys
      .find((k) => k.includes('/CloudTrail-Digest/eu-west-1/'))!
      .split('/')
      .slice(0, 6)
      .join('/');
    const expected = keys.filter((k) => k.startsWith(digestPrefix));
    const found: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await s3.send(
        new ListObjectsCommand({ Bucket: BUCKET, Prefix: digestPrefix, Marker: marker, MaxKeys: 4 }),
      );
      const got = (page.Contents ?? []).map((c) => c.Key!);
      found.push(...got);
      if (!page.IsTruncated) break;
      marker = got.at(-1);
    }
    expect(found).toEqual(expected);
    const midway = await s3.send(
      new ListObjectsCommand({ Bucket: BUCKET, Prefix: digestPrefix, Marker: expected[2] }),
    );
    expect(midway.Contents!.map((c) => c.Key)).toEqual(expected.slice(3));
  });

  it("says the bucket is in the trail's home Region", async () => {
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: BUCKET }))).LocationConstraint).toBe(
      'eu-west-1',
    );
  });
});

describe('objects', () => {
  it('GetObject returns the bytes of the file, whole or a range', async () => {
    const key = keys.find((k) => k.includes('/CloudTrail/'))!;
    const bytes = readFileSync(join(out, key));
    const whole = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await whole.Body!.transformToByteArray())).toEqual(bytes);
    expect(whole.ETag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
    const part = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=10-29' }));
    expect(part.ContentRange).toBe(`bytes 10-29/${bytes.length}`);
    expect(Buffer.from(await part.Body!.transformToByteArray())).toEqual(bytes.subarray(10, 30));
    const tail = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: 'bytes=-8' }));
    expect(Buffer.from(await tail.Body!.transformToByteArray())).toEqual(bytes.subarray(bytes.length - 8));
    await expect(
      s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, Range: `bytes=${bytes.length}-` })),
    ).rejects.toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });
  });

  it("HeadObject gives a digest's signature metadata, from the manifest", async () => {
    const key = keys.find((k) => k.includes('/CloudTrail-Digest/'))!;
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const meta = manifest.files.find((f) => f.key === key)!.metadata!;
    expect(head.Metadata).toEqual(meta);
    expect(head.Metadata!.signature).toMatch(/^[0-9a-f]{512}$/);
    expect(head.ContentLength).toBe(readFileSync(join(out, key)).length);
  });

  it('answers NoSuchKey, NoSuchBucket, and refuses writes with AccessDenied', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'org/none' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'other-bucket' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    const key = keys[0]!;
    const before = readFileSync(join(out, key));
    await expect(
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect(readFileSync(join(out, key))).toEqual(before);
  });
});

/** A GET with its own Host header: virtual-host-style addressing without DNS. */
function getWithHost(path: string, host: string): Promise<{ status: number; body: Buffer }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('virtual-host-style addressing', () => {
  it('serves objects and listings with the bucket in the Host header', async () => {
    const { port } = new URL(server.url);
    const key = keys.find((k) => k.includes('/CloudTrail/'))!;
    const got = await getWithHost(`/${key}`, `${BUCKET}.s3.localhost:${port}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(readFileSync(join(out, key)));
    const list = await getWithHost(
      '/?list-type=2&delimiter=/&prefix=org/trails/',
      `${BUCKET}.localhost:${port}`,
    );
    expect(list.body.toString()).toContain('<Prefix>org/trails/AWSLogs/</Prefix>');
  });
});
