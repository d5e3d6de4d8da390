import { join } from 'node:path';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailCommand,
  paginateLookupEvents,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { filesUnder, readManifest, type Manifest } from '../helpers/cli.js';
import { generateTree, sdkConfig } from '../helpers/serve.js';
import { isManifest } from '../helpers/shards.js';
import { scratchFolder } from '../helpers/tree.js';

/** `trailsim serve` of a run written whole, and of the same run written as 3 shards into one folder. */
const dir = scratchFolder('serve-shards');
const whole = join(dir, 'whole');
const shards = join(dir, 'shards');
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const RUN = [
  ...['--seed', '13', '--events', '2000', '--accounts', '2', '--regions', REGIONS.join(',')],
  ...['--start', '2026-11-02T00:00:00Z', '--end', '2026-11-03T00:00:00Z'],
];
let servers: { whole: RunningServer; shards: RunningServer };
let manifest: Manifest;

beforeAll(async () => {
  generateTree(whole, RUN);
  for (const i of [2, 0, 1]) generateTree(shards, [...RUN, '--shard', `${i}/3`]);
  manifest = readManifest(whole);
  const [a, b] = await Promise.all([whole, shards].map((d) => startServer({ dir: d, watch: false })));
  servers = { whole: a!, shards: b! };
}, 120_000);
afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
});

const cloudTrail = (s: RunningServer, region: string) => new CloudTrailClient(sdkConfig(s.url, region));
const s3 = (s: RunningServer) => new S3Client({ ...sdkConfig(s.url, 'us-east-1'), forcePathStyle: true });

/** Every event a query pages through, and the pages' sizes. */
async function lookupAll(s: RunningServer, region: string, input: LookupEventsCommandInput) {
  const events = [];
  const pages: number[] = [];
  // The paginator writes its NextToken into the input it is given: each lookup gets its own.
  for await (const page of paginateLookupEvents(
    { client: cloudTrail(s, region), pageSize: 37 },
    { ...input },
  )) {
    pages.push(page.Events!.length);
    events.push(...page.Events!);
  }
  return { events, pages };
}

/** Every key of the bucket, a page of `maxKeys` at a time. */
async function listAll(s: RunningServer, maxKeys: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3(s).send(
      new ListObjectsV2Command({ Bucket: manifest.trail.bucket, MaxKeys: maxKeys, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

describe('trailsim serve of a tree written in shards', () => {
  it('LookupEvents answers with the same events, page for page, as for the tree written whole', async () => {
    const queries: [string, LookupEventsCommandInput][] = [
      ['us-east-1', {}],
      ['eu-west-1', { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }],
      [
        'ap-south-1',
        { StartTime: new Date('2026-11-02T09:00:00Z'), EndTime: new Date('2026-11-02T15:00:00Z') },
      ],
      ['us-east-1', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeInsight' }] }],
    ];
    let total = 0;
    for (const [region, input] of queries) {
      const a = await lookupAll(servers.whole, region, input);
      const b = await lookupAll(servers.shards, region, input);
      expect(b.pages).toEqual(a.pages);
      expect(b.events).toEqual(a.events);
      total += a.events.length;
    }
    // The Regions' chains are dealt to different shards: the lookups span them all.
    expect(total).toBeGreaterThan(400);
  });

  it("DescribeTrails and GetTrail give the run's trails, as for the tree written whole", async () => {
    for (const region of REGIONS) {
      const a = await cloudTrail(servers.whole, region).send(new DescribeTrailsCommand({}));
      const b = await cloudTrail(servers.shards, region).send(new DescribeTrailsCommand({}));
      expect(b.trailList).toEqual(a.trailList);
      expect(b.trailList!.map((t) => t.S3BucketName)).toContain(manifest.trail.bucket);
    }
    const name = { Name: manifest.trail.arn };
    const a = await cloudTrail(servers.whole, 'us-east-1').send(new GetTrailCommand(name));
    const b = await cloudTrail(servers.shards, 'us-east-1').send(new GetTrailCommand(name));
    expect(b.Trail).toEqual(a.Trail);
  });

  it("lists every object of every shard in the run's bucket, digests with their signatures", async () => {
    const a = await listAll(servers.whole, 100);
    const b = await listAll(servers.shards, 100);
    expect(b).toEqual(filesUnder(shards).sort());
    expect(b.filter((k) => !isManifest(k))).toEqual(a.filter((k) => !isManifest(k)));
    expect(b.filter(isManifest)).toEqual([0, 1, 2].map((i) => `trailsim-manifest.shard-${i}-of-3.json`));
    const digest = b.filter((k) => k.includes('/CloudTrail-Digest/')).at(-1)!;
    const head = (s: RunningServer) =>
      s3(s).send(new HeadObjectCommand({ Bucket: manifest.trail.bucket, Key: digest }));
    const [ha, hb] = [await head(servers.whole), await head(servers.shards)];
    expect(hb.Metadata).toEqual(ha.Metadata);
    expect(hb.Metadata?.signature).toMatch(/^[0-9a-f]+$/);
  });
});
