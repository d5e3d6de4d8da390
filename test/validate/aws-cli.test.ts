import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicKeyList } from '../../src/digest/public-keys.js';
import { awsCliProblem, awsEnv, lastDigestEnd, runAws, validateLogsArgs } from '../helpers/aws-cli.js';
import { filesUnder, readGzJson, readManifest, runFlags, trailsim } from '../helpers/cli.js';

/**
 * The real `aws cloudtrail validate-logs` (AWS CLI v1, which honours AWS_ENDPOINT_URL_S3 and
 * AWS_ENDPOINT_URL_CLOUDTRAIL) against a generated tree in moto_server, with a stand-in for
 * CloudTrail's ListPublicKeys and DescribeTrails. reference/cloudtrail.md §10.
 */
function missingTools(): string | undefined {
  if (spawnSync('which', ['moto_server']).status !== 0) return 'moto_server is not on PATH';
  return awsCliProblem('AWS_ENDPOINT_URL_<SERVICE>');
}
const skipReason = missingTools();
if (skipReason) console.log(`skipping the aws cloudtrail validate-logs test: ${skipReason}`);

const BUCKET = 'trailsim-validate-logs';
const START = '2024-06-01T00:00:00Z';
const tmp = mkdtempSync(join(tmpdir(), 'trailsim-awscli-'));
let out: string;
let moto: ChildProcess | undefined;
let standIn: Server | undefined;
let env: NodeJS.ProcessEnv;
let trailArn: string;
let endTime: string;
let digestKeys: string[];
let logKeys: string[];

/** Starts moto_server on a free loopback port; resolves with its URL. */
function startMoto(): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    moto = proc;
    let seen = '';
    // Keeps reading its request log, so that a full pipe never stalls it.
    const onData = (chunk: Buffer): void => {
      if (seen.length > 10_000) return;
      seen += chunk.toString();
      const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) resolve(m[1]!);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`moto_server exited (${code}): ${seen}`)));
  });
}

/** CloudTrail's JSON 1.1 API, as much of it as validate-logs calls. */
function startStandIn(keys: PublicKeyList, trail: Record<string, unknown>): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.split('.').pop();
      const body =
        op === 'ListPublicKeys' ? keys : op === 'DescribeTrails' ? { trailList: [trail] } : undefined;
      res.writeHead(body ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body ?? { __type: 'UnknownOperationException', message: target }));
    });
  });
  standIn = server;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

const aws = (args: string[]) => runAws(args, env);
const validateLogs = () => aws(validateLogsArgs(trailArn, START, endTime));

describe.skipIf(skipReason !== undefined)('aws cloudtrail validate-logs', () => {
  beforeAll(async () => {
    out = join(tmp, 'tree');
    const g = trailsim([
      'generate',
      ...runFlags({
        seed: 9,
        events: 150,
        accounts: 1,
        regions: ['us-east-1'],
        start: START,
        end: '2024-06-01T04:00:00Z',
      }),
      '--bucket',
      BUCKET,
      '--out',
      out,
    ]);
    expect(g.status, g.stderr).toBe(0);
    const manifest = readManifest(out);
    trailArn = manifest.trail.arn;
    const files = filesUnder(out);
    digestKeys = files.filter((k) => k.includes('/CloudTrail-Digest/'));
    logKeys = files.filter((k) => k.includes('/CloudTrail/'));
    endTime = lastDigestEnd(out, digestKeys);
    const keys = JSON.parse(readFileSync(join(out, 'trailsim-public-keys.json'), 'utf8')) as PublicKeyList;
    const [s3Url, cloudtrailUrl] = await Promise.all([
      startMoto(),
      startStandIn(keys, {
        Name: manifest.trail.name,
        S3BucketName: BUCKET,
        TrailARN: trailArn,
        HomeRegion: manifest.trail.homeRegion,
        IsMultiRegionTrail: true,
        IsOrganizationTrail: false,
        LogFileValidationEnabled: true,
      }),
    ]);
    env = awsEnv(tmp, {
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: s3Url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrailUrl,
    });
    expect((await aws(['s3', 'mb', `s3://${BUCKET}`])).status).toBe(0);
    const logs = await aws([
      's3',
      'cp',
      join(out, 'AWSLogs'),
      `s3://${BUCKET}/AWSLogs`,
      '--recursive',
      '--exclude',
      '*/CloudTrail-Digest/*',
      '--only-show-errors',
    ]);
    expect(logs.status, logs.output).toBe(0);
    // A digest's signature is S3 object metadata, which the manifest keeps for the folder.
    for (const key of digestKeys) {
      const meta = manifest.files.find((f) => f.key === key)!.metadata!;
      const put = await aws([
        's3',
        'cp',
        join(out, key),
        `s3://${BUCKET}/${key}`,
        '--metadata',
        `signature=${meta.signature},signature-algorithm=${meta['signature-algorithm']}`,
        '--only-show-errors',
      ]);
      expect(put.status, put.output).toBe(0);
    }
  }, 300_000);

  afterAll(async () => {
    if (moto && moto.exitCode === null) {
      const exited = new Promise((r) => moto!.once('exit', r));
      moto.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((r) => (standIn ? standIn.close(() => r()) : r()));
    rmSync(tmp, { recursive: true, force: true });
  }, 300_000);

  it('finds every digest and log file valid', async () => {
    expect(digestKeys.length).toBeGreaterThanOrEqual(4);
    expect(logKeys.length).toBeGreaterThan(10);
    const r = await validateLogs();
    expect(r.output).toContain(`${digestKeys.length}/${digestKeys.length} digest files valid`);
    expect(r.output).toContain(`${logKeys.length}/${logKeys.length} log files valid`);
    expect(r.output).not.toContain('INVALID');
    expect(r.status, r.output).toBe(0);
  });

  it('reports a log file changed in the bucket as INVALID', async () => {
    const log = logKeys[Math.floor(logKeys.length / 2)]!;
    const text = readGzJson(join(out, log)).raw.toString();
    const at = text.indexOf('"requestID":"') + 13;
    const changed = join(tmp, 'changed.json.gz');
    writeFileSync(changed, gzipSync(text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1)));
    expect((await aws(['s3', 'cp', changed, `s3://${BUCKET}/${log}`, '--only-show-errors'])).status).toBe(0);
    const r = await validateLogs();
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(
      new RegExp(`Log file\\s+s3://${BUCKET}/${log}\\s+INVALID: hash value doesn't match`),
    );
    expect(r.output).toContain(
      `${logKeys.length - 1}/${logKeys.length} log files valid, 1/${logKeys.length} log files INVALID`,
    );
  });
});
