import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readGzJson } from './cli.js';

/**
 * The real AWS CLI (`aws`), for the tests that point it at a server on loopback. It is on this
 * project's CI machine but not on most users': the tests that need it skip with a printed reason.
 */

/** How the CLI is told where a server is: one variable for every service, or one per service. */
export type EndpointVariable = 'AWS_ENDPOINT_URL' | 'AWS_ENDPOINT_URL_<SERVICE>';

/**
 * Why the `aws` on PATH cannot run a test that sets `variable`, or undefined when it can.
 * AWS_ENDPOINT_URL came with botocore 1.31 (CLI 1.29) and CLI v2 2.13; `validate-logs` of CLI v2
 * ignores AWS_ENDPOINT_URL_S3, so per-service endpoints need v1.
 *
 * @example awsCliProblem('AWS_ENDPOINT_URL') // undefined, or 'the aws CLI is not on PATH'
 */
export function awsCliProblem(variable: EndpointVariable): string | undefined {
  const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (aws.error || aws.status !== 0) return 'the aws CLI is not on PATH';
  const version = `${aws.stdout}${aws.stderr}`.trim().split(' ')[0]!;
  const m = /^aws-cli\/(\d+)\.(\d+)/.exec(version);
  if (variable === 'AWS_ENDPOINT_URL_<SERVICE>')
    return m?.[1] === '1' ? undefined : `the aws CLI is ${version}, not v1 (v2 ignores AWS_ENDPOINT_URL_S3)`;
  if (!m || (m[1] === '1' && Number(m[2]) < 29) || (m[1] === '2' && Number(m[2]) < 13))
    return `${version} does not honour AWS_ENDPOINT_URL`;
  return undefined;
}

/**
 * An environment in which the CLI reads no configuration of the machine's user (`home` stands in
 * for theirs), never asks the instance metadata service, signs with made-up keys, and sends its
 * requests to the `endpoints` given (AWS_ENDPOINT_URL and the like, or any other variable).
 */
export function awsEnv(home: string, endpoints: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'anything',
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...endpoints,
  };
}

/**
 * Runs the CLI without blocking the event loop (the server answering it may live in the test's
 * own process): its exit status, stdout, and stdout and stderr together.
 */
export function runAws(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; output: string; stdout: string }> {
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

/** The arguments of `aws cloudtrail validate-logs --verbose` over a period, in one Region or the default. */
export function validateLogsArgs(trailArn: string, start: string, end: string, region?: string): string[] {
  return [
    'cloudtrail',
    'validate-logs',
    ...(region ? ['--region', region] : []),
    '--trail-arn',
    trailArn,
    '--start-time',
    start,
    '--end-time',
    end,
    '--verbose',
  ];
}

/** The latest `digestEndTime` of a tree's digest files (`keys`: the tree's files), as validate-logs' end. */
export function lastDigestEnd(out: string, keys: readonly string[]): string {
  return keys
    .filter((k) => k.includes('/CloudTrail-Digest/'))
    .map((k) => readGzJson<{ digestEndTime: string }>(join(out, k)).body.digestEndTime)
    .sort()
    .at(-1)!;
}
