import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  ListTrailsCommand,
} from '@aws-sdk/client-cloudtrail';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicKeyList } from '../../src/digest/public-keys.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { filesUnder, readManifest, type Manifest } from '../helpers/cli.js';
import { generateTree, sdkConfig } from '../helpers/serve.js';
import { scratchFolder } from '../helpers/tree.js';

/** The trail calls of `trailsim serve`, through the real SDK, against what the manifest says. */
const dir = scratchFolder('serve-trails');
const multi = join(dir, 'multi');
const single = join(dir, 'single');
let servers: RunningServer[] = [];
let multiUrl: string;
let singleUrl: string;
let manifest: Manifest;

const client = (url: string, region: string): CloudTrailClient =>
  new CloudTrailClient(sdkConfig(url, region));

beforeAll(async () => {
  const common = [
    '--events',
    '60',
    '--seed',
    '41',
    '--start',
    '2025-03-01T00:00:00Z',
    '--end',
    '2025-03-01T03:00:00Z',
  ];
  generateTree(multi, [
    ...common,
    '--accounts',
    '2',
    '--regions',
    'eu-west-1,us-west-2',
    '--home-region',
    'eu-west-1',
    '--key-prefix',
    'ct',
  ]);
  generateTree(single, [...common, '--accounts', '1', '--regions', 'ap-south-1']);
  manifest = readManifest(multi);
  servers = await Promise.all([
    startServer({ dir: multi, watch: false }),
    startServer({ dir: single, watch: false }),
  ]);
  [multiUrl, singleUrl] = servers.map((s) => s.url) as [string, string];
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('trails', () => {
  it("DescribeTrails gives each account's trail as the manifest has it, in every Region of a multi-Region trail", async () => {
    const arns = Object.values(manifest.trail.accountTrails).sort();
    for (const region of ['eu-west-1', 'us-west-2', 'sa-east-1']) {
      const { trailList } = await client(multiUrl, region).send(new DescribeTrailsCommand({}));
      expect(trailList!.map((t) => t.TrailARN).sort()).toEqual(arns);
      for (const t of trailList!) {
        expect(t).toMatchObject({
          Name: manifest.trail.name,
          S3BucketName: manifest.trail.bucket,
          S3KeyPrefix: 'ct',
          HomeRegion: 'eu-west-1',
          IsMultiRegionTrail: true,
          LogFileValidationEnabled: true,
          IsOrganizationTrail: false,
        });
      }
    }
    const byArn = await client(multiUrl, 'us-west-2').send(
      new DescribeTrailsCommand({ trailNameList: [arns[1]!] }),
    );
    expect(byArn.trailList!.map((t) => t.TrailARN)).toEqual([arns[1]]);
    const homeOnly = await client(multiUrl, 'us-west-2').send(
      new DescribeTrailsCommand({ includeShadowTrails: false }),
    );
    expect(homeOnly.trailList).toEqual([]);
  });

  it('lists a single-Region trail only in its home Region, ListTrails everywhere', async () => {
    expect(
      (await client(singleUrl, 'ap-south-1').send(new DescribeTrailsCommand({}))).trailList,
    ).toHaveLength(1);
    expect((await client(singleUrl, 'us-east-1').send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
    const listed = await client(singleUrl, 'us-east-1').send(new ListTrailsCommand({}));
    expect(listed.Trails).toEqual([
      { TrailARN: readManifest(single).trail.arn, Name: 'management-events', HomeRegion: 'ap-south-1' },
    ]);
  });

  it('GetTrail and GetTrailStatus find a trail by name or ARN, else TrailNotFoundException', async () => {
    const c = client(multiUrl, 'eu-west-1');
    const byName = await c.send(new GetTrailCommand({ Name: manifest.trail.name }));
    const byArn = await c.send(new GetTrailCommand({ Name: manifest.trail.arn }));
    expect(byArn.Trail!.TrailARN).toBe(manifest.trail.arn);
    expect(byName.Trail!.Name).toBe(manifest.trail.name);
    const status = await c.send(new GetTrailStatusCommand({ Name: manifest.trail.arn }));
    expect(status.IsLogging).toBe(true);
    // The last delivery is the latest minute in the account's log file names.
    const account = manifest.trail.arn.split(':')[4]!;
    const stamps = filesUnder(multi)
      .filter((k) => k.includes(`/${account}/CloudTrail/`))
      .map((k) => /_(\d{8}T\d{4})Z_/.exec(k)![1]!)
      .sort();
    const toIso = (s: string): string =>
      `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:00.000Z`;
    expect(status.LatestDeliveryTime!.toISOString()).toBe(toIso(stamps.at(-1)!));
    expect(status.StartLoggingTime!.toISOString()).toBe(toIso(stamps[0]!));
    await expect(c.send(new GetTrailCommand({ Name: 'no-such-trail' }))).rejects.toMatchObject({
      name: 'TrailNotFoundException',
      message: expect.stringContaining('Unknown trail: no-such-trail for the user:'),
    });
  });

  it("ListPublicKeys returns the tree's key for a time range it covers, and none outside", async () => {
    const keys = JSON.parse(readFileSync(join(multi, 'trailsim-public-keys.json'), 'utf8')) as PublicKeyList;
    const c = client(multiUrl, 'us-west-2');
    const inside = await c.send(
      new ListPublicKeysCommand({
        StartTime: new Date('2025-03-01T01:00:00Z'),
        EndTime: new Date('2025-03-01T02:00:00Z'),
      }),
    );
    expect(inside.PublicKeyList!.map((k) => k.Fingerprint)).toEqual(
      keys.PublicKeyList.map((k) => k.Fingerprint),
    );
    expect(Buffer.from(inside.PublicKeyList![0]!.Value!).toString('base64')).toBe(
      keys.PublicKeyList[0]!.Value,
    );
    const before = await c.send(
      new ListPublicKeysCommand({
        StartTime: new Date('2024-01-01T00:00:00Z'),
        EndTime: new Date('2024-02-01T00:00:00Z'),
      }),
    );
    expect(before.PublicKeyList).toEqual([]);
    await expect(
      c.send(
        new ListPublicKeysCommand({
          StartTime: new Date('2025-03-02T00:00:00Z'),
          EndTime: new Date('2025-03-01T00:00:00Z'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidTimeRangeException' });
  });
});

describe('a tree without a manifest', () => {
  it('is served under --bucket, its trail read from the digest names, its digests without metadata', async () => {
    const copy = join(dir, 'copied');
    cpSync(single, copy, { recursive: true });
    rmSync(join(copy, 'trailsim-manifest.json'));
    const lines: string[] = [];
    const server = await startServer({
      dir: copy,
      watch: false,
      bucket: 'copied-bucket',
      log: (l) => lines.push(l),
    });
    try {
      const { trailList } = await client(server.url, 'ap-south-1').send(new DescribeTrailsCommand({}));
      expect(trailList).toEqual([
        expect.objectContaining({
          Name: 'management-events',
          S3BucketName: 'copied-bucket',
          HomeRegion: 'ap-south-1',
          TrailARN: readManifest(single).trail.arn,
        }),
      ]);
      expect(server.tree.current().facts.noManifest).toBe(true);
      const s3 = new S3Client({ ...sdkConfig(server.url, 'ap-south-1'), forcePathStyle: true });
      const digest = filesUnder(copy).find((k) => k.includes('/CloudTrail-Digest/'))!;
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'copied-bucket', Key: digest }));
      expect(head.Metadata).toEqual({});
    } finally {
      await server.close();
    }
  });
});
