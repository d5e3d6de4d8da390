import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, readGzJson, readManifest } from '../helpers/cli.js';
import { generateTree, recordsOf } from '../helpers/serve.js';
import { CLI, scratchFolder } from '../helpers/tree.js';

/**
 * The real AWS CLI against `trailsim serve` (the built command, in a child process), with nothing
 * else: `aws cloudtrail validate-logs` for every Region of a multi-Region trail, and
 * `aws cloudtrail lookup-events` paging.
 */
function missingCli(): string | undefined {
  const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (aws.error || aws.status !== 0) return 'the aws CLI is not on PATH';
  const version = `${aws.stdout}${aws.stderr}`.trim().split(' ')[0]!;
  const m = /^aws-cli\/(\d+)\.(\d+)/.exec(version);
  // AWS_ENDPOINT_URL (one endpoint for every service): botocore 1.31 (CLI 1.29), CLI v2 2.13.
  if (!m || (m[1] === '1' && Number(m[2]) < 29) || (m[1] === '2' && Number(m[2]) < 13))
    return `${version} does not honour AWS_ENDPOINT_URL`;
  return undefined;
}
const skipReason = missingCli();
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

/** Runs the aws CLI without blocking: the server answering it must keep running. */
function aws(args: string[]): Promise<{ status: number; output: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('aws', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    proc.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      stdout += c.toString();
    });
    proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ status: code ?? -1, output, stdout }));
  });
}

function validateLogs(region: string) {
  return aws([
    'cloudtrail',
    'validate-logs',
    '--region',
    region,
    '--trail-arn',
    trailArn,
    '--start-time',
    START,
    '--end-time',
    endTime,
    '--verbose',
  ]);
}

describe.skipIf(skipReason !== undefined)('the AWS CLI against trailsim serve', () => {
  beforeAll(async () => {
    generateTree(out, [
      '--seed',
      '31',
      '--events',
      '900',
      '--accounts',
      '1',
      '--regions',
      REGIONS.join(','),
      '--start',
      START,
      '--end',
      '2024-06-01T04:00:00Z',
    ]);
    trailArn = readManifest(out).trail.arn;
    endTime = filesUnder(out)
      .filter((k) => k.includes('/CloudTrail-Digest/'))
      .map((k) => readGzJson<{ digestEndTime: string }>(join(out, k)).body.digestEndTime)
      .sort()
      .at(-1)!;
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
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'anything',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: url,
    };
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
