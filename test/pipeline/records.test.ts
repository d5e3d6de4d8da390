import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateLogFiles, prepare } from '../../src/pipeline/generate.js';
import { MAX_LATE_MS, recordLines } from '../../src/pipeline/records.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { validateRecord } from '../../src/shared/schema-validator.js';

const scenario = resolveScenario({ seed: 31, events: 6000, regions: 'us-east-1,eu-west-1', accounts: 2 });

describe('recordLines', () => {
  const lines = [...recordLines(prepare(scenario), 'cloudtrail')];
  const records = lines.map((l) => JSON.parse(l) as { eventTime: string; eventID: string });

  it('holds exactly the records of the log files, one a line, valid', () => {
    const fromFiles: string[] = [];
    for (const f of generateLogFiles(prepare(scenario))) {
      const body = JSON.parse(gunzipSync(f.body).toString()) as { Records: unknown[] };
      for (const r of body.Records) fromFiles.push(JSON.stringify(r));
    }
    expect(lines).toHaveLength(6000);
    expect([...lines].sort()).toEqual(fromFiles.sort());
    for (const r of records.slice(0, 200)) expect(validateRecord(r)).toEqual([]);
  });

  it('is in event-time order across windows, accounts and Regions, late records included', () => {
    const times = records.map((r) => Date.parse(r.eventTime));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    // The plan's own order is not time order: some records are late and windows interleave.
    const planOrder: number[] = [];
    for (const f of generateLogFiles(prepare(scenario))) {
      const body = JSON.parse(gunzipSync(f.body).toString()) as { Records: { eventTime: string }[] };
      for (const r of body.Records) planOrder.push(Date.parse(r.eventTime));
    }
    const lateness = planOrder.map((t, i) => Math.max(...planOrder.slice(Math.max(0, i - 400), i), t) - t);
    expect(Math.max(...lateness)).toBeGreaterThan(60_000);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(MAX_LATE_MS + 5 * 60_000);
  });

  it('gives the same bytes for the same seed, and other bytes for another', () => {
    const again = [...recordLines(prepare(scenario), 'cloudtrail')];
    expect(again.join('\n')).toBe(lines.join('\n'));
    const other = [...recordLines(prepare({ ...scenario, seed: 32 }), 'cloudtrail')];
    expect(other.join('\n')).not.toBe(lines.join('\n'));
  });

  it('wraps records in the EventBridge envelope, deterministically', () => {
    const small = { ...scenario, events: 500 };
    const eb = [...recordLines(prepare(small), 'eventbridge')];
    const plain = [...recordLines(prepare(small), 'cloudtrail')];
    expect(eb).toEqual([...recordLines(prepare(small), 'eventbridge')]);
    expect(eb).toHaveLength(plain.length);
    const ids = new Set<string>();
    eb.forEach((line, i) => {
      const e = JSON.parse(line) as Record<string, unknown>;
      const detail = JSON.parse(plain[i]!) as Record<string, unknown>;
      expect(Object.keys(e)).toEqual([
        'version',
        'id',
        'detail-type',
        'source',
        'account',
        'time',
        'region',
        'resources',
        'detail',
      ]);
      expect(e).toMatchObject({
        version: '0',
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.devops-guru',
        account: detail.recipientAccountId,
        time: detail.eventTime,
        region: detail.awsRegion,
        resources: [],
      });
      expect(e.detail).toEqual(detail);
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(e.id as string);
    });
    expect(ids.size).toBe(eb.length);
  });
});

describe('recordLines for an EventBridge rule in state ENABLED', () => {
  // EventBridge delivers read-only management events only to rules in state
  // ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; a rule that is only ENABLED gets the writes.
  const small = resolveScenario({ seed: 32, events: 3000, regions: 'us-east-1', accounts: 1 });
  type Event = { id: string; detail: { readOnly: boolean } };
  const all = [...recordLines(prepare(small), 'eventbridge')].map((l) => JSON.parse(l) as Event);
  const writes = [...recordLines(prepare(small), 'eventbridge', { readOnlyEvents: false })].map(
    (l) => JSON.parse(l) as Event,
  );

  it('holds exactly the events of calls that are not read-only, as the opted-in rule sees them', () => {
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThan(all.length);
    expect(writes).toEqual(all.filter((e) => !e.detail.readOnly));
  });
});
