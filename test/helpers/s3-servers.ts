import { runCli as runBuiltCli } from '../cli/cli.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';

/** An S3 server on loopback, started by a test and stopped after it. */
export interface TestS3 {
  endpoint: string;
  client: S3Client;
  stop(): Promise<void>;
}

/** Credentials the test servers accept; set in the environment for CLI children too. */
export const TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function testClient(endpoint: string): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** s3rver 3.7.1 (npm) on 127.0.0.1, port 0, storing into a temporary folder. */
export async function startS3rver(): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'trailsim-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const info = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${info.port}`;
  const client = testClient(endpoint);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver for the tests of one file (call it at the top level): started before them with `buckets`
 * created, beside a new scratch folder (`work`); both gone after them.
 *
 * @example
 * const server = useS3rver(['trail-logs']);
 * it('…', async () => { await runCli([...], s3Env(server.s3)); });
 */
export function useS3rver(buckets: readonly string[] = []): { readonly s3: TestS3; readonly work: string } {
  let s3: TestS3 | undefined;
  let work: string | undefined;
  beforeAll(async () => {
    s3 = await startS3rver();
    work = mkdtempSync(join(tmpdir(), 'trailsim-s3-test-'));
    for (const bucket of buckets) await createBucket(s3, bucket);
  });
  afterAll(async () => {
    await s3?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useS3rver: read before its beforeAll ran');
    return value;
  };
  return {
    get s3() {
      return started(s3);
    },
    get work() {
      return started(work);
    },
  };
}

/** Whether a command is on PATH (moto_server, aws): absent on most users' machines. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** moto_server on 127.0.0.1 (a free port picked by binding port 0), in-memory, stopped after. */
export async function startMoto(): Promise<TestS3> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = testClient(endpoint);
  const deadline = performance.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${endpoint}/`);
      if (r.status < 500) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline || child.exitCode !== null) throw new Error('moto_server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function createBucket(s3: TestS3, bucket: string): Promise<void> {
  await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Every key and common prefix of a listing, following continuation tokens. */
export async function listAll(
  client: S3Client,
  bucket: string,
  prefix: string,
  delimiter?: string,
): Promise<{ keys: string[]; prefixes: string[] }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const r: ListObjectsV2CommandOutput = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: delimiter,
        ContinuationToken: token,
      }),
    );
    for (const o of r.Contents ?? []) keys.push(o.Key!);
    for (const p of r.CommonPrefixes ?? []) prefixes.push(p.Prefix!);
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return { keys: keys.sort(), prefixes: prefixes.sort() };
}

export async function download(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
}> {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return {
    body: Buffer.from(await r.Body!.transformToByteArray()),
    contentType: r.ContentType,
    contentEncoding: r.ContentEncoding,
    metadata: r.Metadata ?? {},
  };
}

/** Every file under a folder, by path relative to it (with forward slashes). */
export function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p).split('\\').join('/'), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

/** Runs the built CLI with extra environment; resolves with its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runBuiltCli(args, { env });
}

/** Environment for a CLI child talking to a test server. */
export function s3Env(s3: TestS3): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
}
