import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { digestFileKey, logFileKey } from '../../src/layout/keys.js';
import { deliveryAfter, encodeWindow, MAX_RECORDS_PER_FILE } from '../../src/layout/encode.js';
import { Rng } from '../../src/shared/rng.js';
import { isSingleMemberGzip } from '../helpers/tree.js';

const plain = { bucket: 'b', prefix: '', organizationId: null };

describe('S3 key layout', () => {
  it('names log files as the CloudTrail documentation does', () => {
    const t = Date.parse('2015-08-01T02:10:00Z');
    expect(logFileKey(plain, '111122223333', 'us-east-2', t, 'Mu0KsOhtH1ar15ZZ')).toBe(
      'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
    );
  });

  it('puts organization trails under the organization ID and honours a prefix', () => {
    const t = Date.parse('2026-01-09T23:59:59Z');
    expect(
      logFileKey(
        { bucket: 'b', prefix: 'logs/ct', organizationId: 'o-abc123def4' },
        '111122223333',
        'eu-west-1',
        t,
        'x'.repeat(16),
      ),
    ).toBe(
      'logs/ct/AWSLogs/o-abc123def4/111122223333/CloudTrail/eu-west-1/2026/01/09/111122223333_CloudTrail_eu-west-1_20260109T2359Z_xxxxxxxxxxxxxxxx.json.gz',
    );
  });

  it('names digest files by their end time with seconds', () => {
    expect(
      digestFileKey(
        plain,
        '111122223333',
        'us-east-2',
        'your-trail-name',
        'us-east-2',
        Date.parse('2015-08-17T15:01:31Z'),
      ),
    ).toBe(
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz',
    );
  });
});

describe('encodeWindow', () => {
  const windowEnd = Date.parse('2026-11-01T10:05:00Z');
  const event = (i: number) => ({ time: windowEnd - 60_000 + i * 1000, json: `{"n":${i}}` });

  it('writes {"Records":[…]} as single-member gzip with mtime 0, delivered after every event', () => {
    const [file] = encodeWindow(
      [event(0), event(1)],
      { accountId: '111122223333', region: 'us-east-1', windowEnd },
      new Rng(1),
      { location: plain },
    );
    expect(file).toBeDefined();
    expect(gunzipSync(file!.body).toString()).toBe('{"Records":[{"n":0},{"n":1}]}');
    expect(isSingleMemberGzip(Buffer.from(file!.body))).toBe(true);
    expect(Buffer.from(file!.body).readUInt32LE(4)).toBe(0);
    expect(file!.deliveryTime).toBeGreaterThan(windowEnd);
    expect(file!.oldestEventTime).toBe(windowEnd - 60_000);
    expect(file!.newestEventTime).toBe(windowEnd - 59_000);
    expect(file!.recordCount).toBe(2);
  });

  it('splits a busy window into several files of at most the maximum', () => {
    const events = Array.from({ length: MAX_RECORDS_PER_FILE * 2 + 3 }, (_, i) => event(i % 50));
    const files = encodeWindow(
      events,
      { accountId: '111122223333', region: 'us-east-1', windowEnd },
      new Rng(2),
      { location: plain },
    );
    expect(files.map((f) => f.recordCount)).toEqual([MAX_RECORDS_PER_FILE, MAX_RECORDS_PER_FILE, 3]);
    expect(new Set(files.map((f) => f.key)).size).toBe(3);
    // Each file holds exactly its slice of the records, in order.
    const held = files.flatMap(
      (f) => (JSON.parse(gunzipSync(f.body).toString()) as { Records: unknown[] }).Records,
    );
    expect(held).toEqual(events.map((e) => JSON.parse(e.json)));
  });

  it('delivers 30 s to 4.5 min after the window or its newest event, as deliveryAfter draws it', () => {
    const late = windowEnd + 20_000;
    for (let seed = 0; seed < 50; seed++) {
      const onTime = deliveryAfter(windowEnd, [windowEnd - 5000, windowEnd - 1000], new Rng(seed));
      expect(onTime - windowEnd).toBeGreaterThanOrEqual(30_000);
      expect(onTime - windowEnd).toBeLessThanOrEqual(270_000);
      const afterLate = deliveryAfter(windowEnd, [windowEnd - 5000, late], new Rng(seed));
      expect(afterLate - (late + 1000)).toBe(onTime - windowEnd);
      // encodeWindow draws the same delivery from the same stream when none is given.
      const [file] = encodeWindow(
        [{ time: late, json: '{}' }],
        { accountId: '111122223333', region: 'us-east-1', windowEnd },
        new Rng(seed),
        { location: plain },
      );
      expect(file!.deliveryTime).toBe(afterLate);
    }
  });

  it('cuts records with multi-byte characters at their boundaries', () => {
    const events = Array.from({ length: MAX_RECORDS_PER_FILE + 2 }, (_, i) => ({
      time: windowEnd - 1000,
      json: JSON.stringify({ n: i, name: i % 2 ? 'Zoë Ångström' : '日本' }),
    }));
    const files = encodeWindow(
      events,
      { accountId: '111122223333', region: 'us-east-1', windowEnd },
      new Rng(3),
      { location: plain },
    );
    expect(files).toHaveLength(2);
    const second = gunzipSync(files[1]!.body).toString('utf8');
    expect(second).toBe(
      `{"Records":[${events
        .slice(MAX_RECORDS_PER_FILE)
        .map((e) => e.json)
        .join(',')}]}`,
    );
  });
});
