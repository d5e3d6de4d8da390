import { join } from 'node:path';
import {
  CloudTrailClient,
  LookupEventsCommand,
  paginateLookupEvents,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { generateTree, recordsOf, sdkConfig, type TreeRecord } from '../helpers/serve.js';
import { scratchFolder } from '../helpers/tree.js';

/**
 * LookupEvents through the real SDK against `trailsim serve`, its answers checked against counts
 * taken from the files.
 */
const dir = scratchFolder('serve-lookup');
const out = join(dir, 'tree');
const REGIONS = ['us-east-1', 'eu-west-1'];
let server: RunningServer;
let records: TreeRecord[];

const client = (region: string): CloudTrailClient => new CloudTrailClient(sdkConfig(server.url, region));

/** Every event a query pages through, with the SDK's paginator. */
async function lookupAll(region: string, input: LookupEventsCommandInput, pageSize: number) {
  const events = [];
  let pages = 0;
  for await (const page of paginateLookupEvents({ client: client(region), pageSize }, input)) {
    pages++;
    expect(page.Events!.length).toBeLessThanOrEqual(pageSize);
    events.push(...page.Events!);
  }
  return { events, pages };
}

/** The username LookupEvents shows for a record (the rule serve documents). */
function usernameOf(r: TreeRecord): string | undefined {
  const id = r.userIdentity;
  return id.userName ?? (id.type === 'Root' ? 'root' : id.arn ? id.arn.split('/').pop() : id.invokedBy);
}

beforeAll(async () => {
  generateTree(out, ['--seed', '5', '--events', '1200', '--accounts', '2', '--regions', REGIONS.join(',')]);
  records = recordsOf(out);
  server = await startServer({ dir: out, watch: false });
});
afterAll(async () => server?.close());

describe('LookupEvents', () => {
  it('pages through exactly the records of the Region a request is signed for, newest first', async () => {
    for (const region of REGIONS) {
      const expected = records.filter((r) => r.awsRegion === region);
      expect(expected.length).toBeGreaterThan(100);
      const { events, pages } = await lookupAll(region, {}, 50);
      expect(pages).toBe(Math.ceil(expected.length / 50));
      expect(events.map((e) => e.EventId).sort()).toEqual(expected.map((r) => r.eventID).sort());
      const times = events.map((e) => e.EventTime!.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('filters by each kind of attribute as the files say, with several page sizes', async () => {
    const region = 'eu-west-1';
    const inRegion = records.filter((r) => r.awsRegion === region);
    const sample = inRegion[Math.floor(inRegion.length / 3)]!;
    const cases: [string, string, (r: TreeRecord) => boolean][] = [
      ['EventName', 'ListInsights', (r) => r.eventName === 'ListInsights'],
      ['EventName', sample.eventName, (r) => r.eventName === sample.eventName],
      ['ReadOnly', 'false', (r) => r.readOnly === false],
      ['EventSource', sample.eventSource, (r) => r.eventSource === sample.eventSource],
      ['Username', usernameOf(sample)!, (r) => usernameOf(r) === usernameOf(sample)],
      [
        'AccessKeyId',
        sample.userIdentity.accessKeyId!,
        (r) => r.userIdentity.accessKeyId === sample.userIdentity.accessKeyId,
      ],
      ['EventId', sample.eventID, (r) => r.eventID === sample.eventID],
    ];
    for (const [key, value, keep] of cases) {
      const expected = inRegion
        .filter(keep)
        .map((r) => r.eventID)
        .sort();
      expect(expected.length, `${key}=${value}`).toBeGreaterThan(0);
      for (const pageSize of [7, 50]) {
        const { events } = await lookupAll(
          region,
          { LookupAttributes: [{ AttributeKey: key as 'EventName', AttributeValue: value }] },
          pageSize,
        );
        expect(events.map((e) => e.EventId).sort(), `${key}=${value}, pages of ${pageSize}`).toEqual(
          expected,
        );
      }
    }
  });

  it('honours StartTime and EndTime, both ends included', async () => {
    const region = 'us-east-1';
    const inRegion = records.filter((r) => r.awsRegion === region);
    const times = inRegion.map((r) => Date.parse(r.eventTime)).sort((a, b) => a - b);
    const ranges: [number, number][] = [
      [times[10]!, times[200]!],
      [times[0]!, times[0]!],
      [times[times.length - 50]!, times[times.length - 1]!],
    ];
    for (const [from, to] of ranges) {
      const expected = inRegion
        .filter((r) => Date.parse(r.eventTime) >= from && Date.parse(r.eventTime) <= to)
        .map((r) => r.eventID)
        .sort();
      const { events } = await lookupAll(region, { StartTime: new Date(from), EndTime: new Date(to) }, 20);
      expect(events.map((e) => e.EventId).sort()).toEqual(expected);
    }
    // An attribute and a range together.
    const [from, to] = ranges[0]!;
    const expected = inRegion.filter(
      (r) => r.readOnly === true && Date.parse(r.eventTime) >= from && Date.parse(r.eventTime) <= to,
    );
    const { events } = await lookupAll(
      region,
      {
        StartTime: new Date(from),
        EndTime: new Date(to),
        LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
      },
      50,
    );
    expect(events.map((e) => e.EventId).sort()).toEqual(expected.map((r) => r.eventID).sort());
  });

  it('returns each record as CloudTrailEvent, with the fields AWS fills from it', async () => {
    const r = records.find((x) => x.userIdentity.type === 'AssumedRole' && x.awsRegion === 'us-east-1')!;
    const page = await client('us-east-1').send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: r.eventID }] }),
    );
    expect(page.Events).toHaveLength(1);
    const e = page.Events![0]!;
    expect(JSON.parse(e.CloudTrailEvent!)).toEqual(r);
    expect(e.EventName).toBe(r.eventName);
    expect(e.EventSource).toBe(r.eventSource);
    expect(e.EventTime!.toISOString().replace('.000Z', 'Z')).toBe(r.eventTime);
    expect(e.ReadOnly).toBe(String(r.readOnly));
    expect(e.AccessKeyId).toBe(r.userIdentity.accessKeyId);
    // An assumed role's user name is its session name, the end of the session ARN.
    expect(e.Username).toBe(r.userIdentity.arn!.split('/')[2]);
    expect(e.Resources).toEqual([]);
    // The same event is not visible from another Region.
    const other = await client('eu-west-1').send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: r.eventID }] }),
    );
    expect(other.Events).toEqual([]);
  });

  it('answers bad input with the service exceptions', async () => {
    const c = client('us-east-1');
    const fails = async (input: LookupEventsCommandInput): Promise<{ name: string; message: string }> => {
      try {
        await c.send(new LookupEventsCommand(input));
      } catch (err) {
        return err as Error;
      }
      throw new Error(`no error for ${JSON.stringify(input)}`);
    };
    const two = await fails({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'ListInsights' },
        { AttributeKey: 'ReadOnly', AttributeValue: 'true' },
      ],
    });
    expect(two.name).toBe('InvalidLookupAttributesException');
    const badKey = await fails({
      LookupAttributes: [{ AttributeKey: 'Color' as 'EventName', AttributeValue: 'x' }],
    });
    expect(badKey.name).toBe('InvalidLookupAttributesException');
    expect(badKey.message).toContain("Value 'Color' at 'lookupAttributes.1.member.attributeKey'");
    const range = await fails({
      StartTime: new Date('2026-11-02T00:00:00Z'),
      EndTime: new Date('2026-11-01T00:00:00Z'),
    });
    expect(range.name).toBe('InvalidTimeRangeException');
    expect((await fails({ MaxResults: 51 })).name).toBe('InvalidMaxResultsException');
    expect((await fails({ NextToken: 'not-a-token' })).name).toBe('InvalidNextTokenException');
    // A token is good only for the query that gave it.
    const first = await c.send(new LookupEventsCommand({ MaxResults: 5 }));
    expect(first.NextToken).toBeDefined();
    const other = await fails({
      MaxResults: 5,
      NextToken: first.NextToken,
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    });
    expect(other.name).toBe('InvalidNextTokenException');
    expect((await fails({ EventCategory: 'management' as 'insight' })).name).toBe(
      'InvalidEventCategoryException',
    );
  });
});

describe('serve --account', () => {
  it('answers LookupEvents for that account only', async () => {
    const account = records[0]!.recipientAccountId;
    const scoped = await startServer({ dir: out, watch: false, accountId: account });
    try {
      const c = new CloudTrailClient(sdkConfig(scoped.url, 'us-east-1'));
      const ids: string[] = [];
      for await (const page of paginateLookupEvents({ client: c, pageSize: 50 }, {}))
        ids.push(...page.Events!.map((e) => e.EventId!));
      const expected = records.filter((r) => r.awsRegion === 'us-east-1' && r.recipientAccountId === account);
      expect(expected.length).toBeLessThan(records.filter((r) => r.awsRegion === 'us-east-1').length);
      expect(ids.sort()).toEqual(expected.map((r) => r.eventID).sort());
    } finally {
      await scoped.close();
    }
  });
});
