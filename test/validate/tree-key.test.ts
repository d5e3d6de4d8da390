import { describe, expect, it } from 'vitest';
import { chainOf, parseTreeKey } from '../../src/validate/tree-key.js';

const LOG = '111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';
const DIGEST = '111122223333_CloudTrail-Digest_us-east-2_my_trail.v2_us-east-1_20150817T150131Z.json.gz';

describe('parseTreeKey', () => {
  it('reads a log key, plain, with a prefix, and for an organization trail', () => {
    for (const [root, prefix, org] of [
      ['AWSLogs/', '', null],
      ['a/b/AWSLogs/', 'a/b/', null],
      ['AWSLogs/o-exampleorgid/', '', 'o-exampleorgid'],
    ] as const) {
      const key = `${root}111122223333/CloudTrail/us-east-2/2015/08/01/${LOG}`;
      expect(parseTreeKey(key)).toEqual({
        kind: 'log',
        key,
        prefix,
        organizationId: org,
        accountId: '111122223333',
        region: 'us-east-2',
        folder: 'CloudTrail',
        minute: Date.UTC(2015, 7, 1, 2, 10),
      });
    }
  });

  it('reads a digest key: trail name (underscores allowed), home Region, end time with seconds', () => {
    const key = `p/AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/${DIGEST}`;
    const parsed = parseTreeKey(key);
    expect(parsed).toMatchObject({
      kind: 'digest',
      prefix: 'p/',
      trailName: 'my_trail.v2',
      homeRegion: 'us-east-1',
      end: Date.UTC(2015, 7, 17, 15, 1, 31),
      backfill: false,
    });
    expect(chainOf(parsed as Exclude<typeof parsed, string>)).toBe('p/AWSLogs/111122223333/us-east-2');
  });

  it('says how a key leaves the layout', () => {
    const at = (path: string, name = LOG) => parseTreeKey(`AWSLogs/${path}/${name}`);
    expect(parseTreeKey('notes.txt')).toMatch(/outside AWSLogs/);
    expect(at('111122223333/CloudTrail/us-east-2/2015/08')).toMatch(/not in the CloudTrail layout/);
    expect(at('111122223333/CloudTrail/us-west-1/2015/08/01')).toBe(
      'Region us-east-2 in the file name differs from folder us-west-1',
    );
    expect(at('444455556666/CloudTrail/us-east-2/2015/08/01')).toMatch(
      /account 111122223333 in the file name/,
    );
    expect(at('111122223333/CloudTrail/us-east-2/2015/08/02')).toMatch(/date 2015-08-01 differs from folder/);
    expect(at('111122223333/CloudTrail/us-east-2/2015/02/30')).toMatch(/is not a date/);
    expect(at('111122223333/Logs/us-east-2/2015/08/01')).toMatch(/not a CloudTrail folder/);
    expect(
      at('111122223333/CloudTrail/us-east-2/2015/08/01', LOG.replace('Mu0KsOhtH1ar15ZZ', 'short')),
    ).toMatch(/log file name is not/);
    expect(at('111122223333/CloudTrail-Digest/us-east-2/2015/08/01', LOG)).toMatch(/digest file name is not/);
    expect(at('111122223333/CloudTrail/us-east-2/2015/08/01', LOG.replace('T0210Z', 'T2510Z'))).toMatch(
      /not a valid time/,
    );
  });
});
