import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliProblem, awsEnv, lastDigestEnd, runAws, validateLogsArgs } from '../helpers/aws-cli.js';
import { filesUnder, readManifest, runFlags } from '../helpers/cli.js';
import { generateTree, recordsOf } from '../helpers/serve.js';
import { CLI, scratchFolder } from '../helpers/tree.js';

/**
 * The real AWS CLI against `trailsim serve` (the built command, in a child process), with nothing
 * else: `aws cloudtrail validate-logs` for every Region of a multi-Region trail, and
 * `aws cloudtrail lookup-events` paging.
 */
const skipReason = awsCliProblem('AWS_ENDPOINT_URL');
if (skipReason) console.log(`skipping the AWS CLI tests of trailsim serve: ${skipReason}`);

const dir = scratchFolder('serve-awscli');
const out = join(dir, 'tree');
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const START = '2024-06-01T00:00:00Z';
let serve: ChildProcess;
let serveErr = '';
let env: NodeJS.ProcessEnv;
let trailArn: string;
let endTime: string;

const aws = (args: string[]) => runAws(args, env);
const validateLogs = (region: string) => aws(validateLogsArgs(trailArn, START, endTime, region));

describe.skipIf(skipReason !== undefined)('the AWS CLI against trailsim serve', () => {
  beforeAll(async () => {
    generateTree(
      out,
      runFlags({
        seed: 31,
        events: 900,
        accounts: 1,
        regions: REGIONS,
        start: START,
        end: '2024-06-01T04:00:00Z',
      }),
    );
    trailArn = readManifest(out).trail.arn;
    endTime = lastDigestEnd(out, filesUnder(out));
    serve = spawn(process.execPath, [CLI, 'serve', out, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve.stderr!.on('data', (c: Buffer) => (serveErr += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      serve.stdout!.on('data', (c: Buffer) => {
        seen += c.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (m) resolve(m[1]!);
      });
      serve.on('exit', (code) => reject(new Error(`trailsim serve exited (${code}): ${serveErr}`)));
    });
    env = awsEnv(dir, { AWS_ENDPOINT_URL: url });
  }, 300_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGINT');
      await exited;
    }
  });

  it('validate-logs finds every digest and log file valid, in every Region of the trail', async () => {
    const keys = filesUnder(out);
    for (const region of REGIONS) {
      const digests = keys.filter((k) => k.includes(`/CloudTrail-Digest/${region}/`)).length;
      const logs = keys.filter((k) => k.includes(`/CloudTrail/${region}/`)).length;
      expect(digests, region).toBeGreaterThanOrEqual(4);
      const r = await validateLogs(region);
      expect(r.output, region).toContain(`${digests}/${digests} digest files valid`);
      expect(r.output, region).toContain(`${logs}/${logs} log files valid`);
      expect(r.output, region).not.toContain('INVALID');
      expect(r.status, r.output).toBe(0);
    }
  });

  it('lookup-events pages through exactly the ListInsights records of the Region', async () => {
    const records = recordsOf(out);
    for (const region of REGIONS) {
      const expected = records
        .filter((r) => r.awsRegion === region && r.eventName === 'ListInsights')
        .map((r) => r.eventID)
        .sort();
      expect(expected.length, region).toBeGreaterThan(4);
      const r = await aws([
        'cloudtrail',
        'lookup-events',
        '--region',
        region,
        '--page-size',
        '4',
        '--output',
        'json',
        '--lookup-attributes',
        'AttributeKey=EventName,AttributeValue=ListInsights',
      ]);
      expect(r.status, r.output).toBe(0);
      const events = (JSON.parse(r.stdout) as { Events: { EventId: string; EventName: string }[] }).Events;
      expect(events.map((e) => e.EventId).sort(), region).toEqual(expected);
    }
  });

  it('validate-logs reports a log file edited in the tree, in its own words', async () => {
    const region = 'eu-west-1';
    const keys = filesUnder(out).filter((k) => k.includes(`/CloudTrail/${region}/`));
    const key = keys[Math.floor(keys.length / 2)]!;
    const original = readFileSync(join(out, key));
    const text = gunzipSync(original).toString();
    const at = text.indexOf('"requestID":"') + 13;
    writeFileSync(
      join(out, key),
      gzipSync(text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1)),
    );
    try {
      const r = await validateLogs(region);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(
        new RegExp(`Log file\\s+s3://[^/]+/${key}\\s+INVALID: hash value doesn't match`),
      );
      expect(r.output).toContain(
        `${keys.length - 1}/${keys.length} log files valid, 1/${keys.length} log files INVALID`,
      );
    } finally {
      writeFileSync(join(out, key), original);
    }
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => serve.once('exit', (code) => r(code)));
    serve.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(serveErr).toContain('trailsim serve: stopped');
  });
});
