import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { filesUnder } from '../helpers/cli.js';
import { generateTree, recordsOf, sdkConfig } from '../helpers/serve.js';
import { scratchFolder } from '../helpers/tree.js';

/** A tree that changes under `trailsim serve` is re-read, or refused while it is being rewritten. */
const dir = scratchFolder('serve-change');
const out = join(dir, 'tree');
const REGION = 'us-east-1';
const ARGS = ['--events', '200', '--accounts', '1', '--regions', REGION];
let server: RunningServer;
let ct: CloudTrailClient;
let s3: S3Client;
const lines: string[] = [];

/** Polls `check` until it returns true (the watcher reacts within a second), or fails. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

async function eventIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateLookupEvents({ client: ct, pageSize: 50 }, {}))
    ids.push(...page.Events!.map((e) => e.EventId!));
  return ids.sort();
}

beforeAll(async () => {
  generateTree(out, ['--seed', '21', ...ARGS]);
  server = await startServer({ dir: out, log: (l) => lines.push(l) });
  // No retries: a refusal is what some of these tests look for.
  ct = new CloudTrailClient({ ...sdkConfig(server.url, REGION), maxAttempts: 1 });
  s3 = new S3Client({ ...sdkConfig(server.url, REGION), forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => server?.close());

describe('a tree that changes under the server', () => {
  it('serves an edited log file as it now is, and indexes its new content', async () => {
    const key = filesUnder(out).find((k) => k.includes('/CloudTrail/'))!;
    const text = gunzipSync(readFileSync(join(out, key))).toString();
    const name = JSON.parse(text).Records[0].eventName as string;
    const edited = gzipSync(text.replace(`"eventName":"${name}"`, '"eventName":"EditedByTheTest"'));
    writeFileSync(join(out, key), edited);
    // The object at once: the request finds the file changed and has it re-read.
    const got = await s3.send(new GetObjectCommand({ Bucket: 'aws-cloudtrail-logs-trailsim', Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(edited);
    const lookup = () =>
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'EditedByTheTest' }],
        }),
      );
    expect((await lookup()).Events).toHaveLength(1);
    expect(lines.some((l) => /^tree changed: re-read 1 files/.test(l))).toBe(true);
  });

  it('refuses requests while a run rewrites the tree, then serves the new tree whole', async () => {
    const staging = join(out, '.trailsim-staging-999999');
    mkdirSync(staging);
    await eventually(async () => {
      try {
        await ct.send(new LookupEventsCommand({}));
        return false;
      } catch (err) {
        expect((err as Error).message).toContain('is being rewritten by a trailsim run');
        expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(503);
        return true;
      }
    }, 'refusal while the staging folder is there');
    rmSync(staging, { recursive: true });
    generateTree(out, ['--seed', '22', '--force', ...ARGS]);
    const expected = recordsOf(out)
      .map((r) => r.eventID)
      .sort();
    await eventually(async () => {
      try {
        return JSON.stringify(await eventIds()) === JSON.stringify(expected);
      } catch {
        return false;
      }
    }, 'the regenerated tree served');
  });

  it('refuses requests, saying why, while the tree is gone', async () => {
    const moved = join(dir, 'moved');
    const { renameSync } = await import('node:fs');
    renameSync(out, moved);
    try {
      await eventually(async () => {
        try {
          await ct.send(new LookupEventsCommand({}));
          return false;
        } catch (err) {
          return (err as Error).message.includes('cannot be read (the folder is gone)');
        }
      }, 'refusal while the tree is gone');
    } finally {
      renameSync(moved, out);
    }
    server.tree.rescan();
    expect((await eventIds()).length).toBe(recordsOf(out).length);
  });
});
