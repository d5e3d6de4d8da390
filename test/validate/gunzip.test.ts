import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipSingleMember } from '../../src/validate/gunzip.js';

const member = (text: string): Buffer => gzipSync(Buffer.from(text));

describe('gunzipSingleMember', () => {
  it('returns the content of one member, with or without a file name in the header', () => {
    expect(gunzipSingleMember(member('{"Records":[]}')).toString()).toBe('{"Records":[]}');
    const named = member('abc');
    // FNAME flag and a zero-terminated name after the fixed header.
    const withName = Buffer.concat([named.subarray(0, 10), Buffer.from('x.json\0'), named.subarray(10)]);
    withName[3] = 8;
    expect(gunzipSingleMember(withName).toString()).toBe('abc');
  });

  it('rejects a second member, trailing bytes, corruption and non-gzip data', () => {
    expect(() => gunzipSingleMember(Buffer.concat([member('a'), member('b')]))).toThrow(
      /more than one gzip member/,
    );
    expect(() => gunzipSingleMember(Buffer.concat([member('a'), Buffer.from('xyz')]))).toThrow(
      /3 bytes after/,
    );
    const crc = member('hello world');
    crc[crc.length - 8]! ^= 1;
    expect(() => gunzipSingleMember(crc)).toThrow(/CRC/);
    expect(() => gunzipSingleMember(member('hello world').subarray(0, 20))).toThrow(/truncated|corrupt/);
    expect(() => gunzipSingleMember(Buffer.from('{"Records":[]}'))).toThrow(/not a gzip file/);
  });
});
