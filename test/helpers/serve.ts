import { expect } from 'vitest';
import { trailsim } from './cli.js';
import { readLogFiles } from './tree.js';

/** Runs `trailsim generate` into `out` and fails the test when it does not succeed. */
export function generateTree(out: string, args: string[]): void {
  const g = trailsim(['generate', '--quiet', '--out', out, ...args]);
  expect(g.status, g.stderr).toBe(0);
}

/** A record as the tests read it from the files. */
export interface TreeRecord {
  eventID: string;
  eventName: string;
  eventTime: string;
  eventSource: string;
  awsRegion: string;
  recipientAccountId: string;
  readOnly?: boolean;
  userIdentity: { type: string; userName?: string; arn?: string; accessKeyId?: string; invokedBy?: string };
}

/** Every record of the tree's log files, read straight from the files. */
export function recordsOf(out: string): TreeRecord[] {
  return readLogFiles(out).flatMap((f) => f.records as unknown as TreeRecord[]);
}

/** The AWS SDK clients' settings for a local endpoint that checks no credentials. */
export function sdkConfig(endpoint: string, region: string) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return { endpoint, region, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'any' } };
}
