import { describe, expect, it } from 'vitest';
import { parseS3Url } from '../../src/sinks/s3-url.js';

describe('parseS3Url', () => {
  it('splits bucket and prefix, trimming slashes', () => {
    expect(parseS3Url('s3://my-trail/team/a/', '--out')).toEqual({ bucket: 'my-trail', prefix: 'team/a' });
    expect(parseS3Url('s3://my-trail', '--out')).toEqual({ bucket: 'my-trail', prefix: '' });
    expect(parseS3Url('s3://my-trail/', '--out')).toEqual({ bucket: 'my-trail', prefix: '' });
  });
  it('rejects bad buckets and prefixes in one line naming the flag', () => {
    expect(() => parseS3Url('s3://My_Bucket/x', '--out')).toThrow(
      '--out: "My_Bucket" is not a valid S3 bucket name',
    );
    expect(() => parseS3Url('s3://bucket/a//b', '--out')).toThrow('--out: "a//b" is not a usable key prefix');
    expect(() => parseS3Url('s3:/bucket', '--out')).toThrow('--out');
  });
});
