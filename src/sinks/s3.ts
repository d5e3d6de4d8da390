import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { UsageError } from '../shared/errors.js';
import { MANIFEST_NAME, ManifestEntryLog, previousRunKeys, writeManifest, type RunInfo } from './manifest.js';
import { TaskPool } from './pool.js';
import { shardManifestName, type Shard } from '../plan/shard.js';
import { describeS3Error } from './s3-client.js';
import { formatS3Url, type S3Location } from './s3-url.js';
import type { Sink, SinkObject } from './sink.js';

export interface S3SinkOptions {
  client: S3Client;
  location: S3Location;
  /** Uploads in flight at once (default 8). */
  concurrency?: number;
  /** Replace an earlier trailsim run under the prefix (the objects its manifest lists). */
  force?: boolean;
  /**
   * On `abort`, delete the objects this run created (default). A stream passes false: what it
   * delivered is complete and may already have been read.
   */
  deleteOnAbort?: boolean;
  /** One shard of a run: its own manifest, and the other shards' objects beside it are expected. */
  shard?: Shard;
}

/**
 * Writes a run into an S3 bucket under a key prefix, with a bounded number of uploads in flight.
 * Every key must lie under the prefix, except bare names of side files, which are put under it;
 * the manifest goes to `<prefix>/trailsim-manifest.json` when the run closes. The first `put` checks the place: the bucket must exist and the credentials
 * work, and the prefix must be empty unless `force` (which then replaces exactly what the earlier
 * run's manifest lists). `abort` waits for uploads in flight and deletes what this run created,
 * so a failed or interrupted run leaves the prefix as it was, except objects an earlier run had
 * under the same keys, which stay overwritten.
 *
 * @example
 * const sink = new S3Sink({ client: createS3Client(), location: parseS3Url('s3://bkt/trail', '--out') });
 * await sink.put({ key: 'trail/AWSLogs/…json.gz', body, contentType: 'application/x-gzip' });
 * await sink.close();
 */
export class S3Sink implements Sink {
  readonly url: string;
  private readonly client: S3Client;
  private readonly location: S3Location;
  private readonly pool: TaskPool;
  private readonly force: boolean;
  private readonly deleteOnAbort: boolean;
  private readonly shard: Shard | undefined;
  private readonly tmp: string;
  private readonly entries: ManifestEntryLog;
  private readonly written = new Set<string>();
  private previous = new Set<string>();
  private opening: Promise<void> | undefined;
  private runInfo: RunInfo = {};
  private count = 0;

  constructor(opts: S3SinkOptions) {
    this.client = opts.client;
    this.location = opts.location;
    this.url = formatS3Url(opts.location);
    this.pool = new TaskPool(opts.concurrency ?? 8);
    this.force = opts.force ?? false;
    this.deleteOnAbort = opts.deleteOnAbort ?? true;
    this.shard = opts.shard;
    this.tmp = mkdtempSync(join(tmpdir(), 'trailsim-s3-'));
    this.entries = new ManifestEntryLog(join(this.tmp, 'manifest-entries.jsonl'));
  }

  /** Extra facts for the manifest (version, seed, scenario). */
  setRunInfo(info: RunInfo): void {
    this.runInfo = info;
  }

  get objectCount(): number {
    return this.count;
  }

  /** The key of the manifest under the prefix. */
  get manifestKey(): string {
    return this.keyUnderPrefix(this.shard ? shardManifestName(this.shard) : MANIFEST_NAME);
  }

  /** `<prefix>/<name>`, or `<name>` without a prefix. */
  keyUnderPrefix(name: string): string {
    return this.location.prefix ? `${this.location.prefix}/${name}` : name;
  }

  /** Checks the bucket, the credentials and what is under the prefix; runs once, before the first write. */
  open(): Promise<void> {
    this.opening ??= this.check();
    return this.opening;
  }

  async put(given: SinkObject): Promise<void> {
    const object = { ...given, key: this.placeKey(given.key) };
    await this.open();
    this.entries.add(object);
    if (this.deleteOnAbort || this.previous.size > 0) this.written.add(object.key);
    this.count++;
    await this.pool.submit(() => this.send(object));
  }

  async close(): Promise<void> {
    await this.open();
    await this.pool.drain();
    this.entries.end();
    const manifestPath = join(this.tmp, MANIFEST_NAME);
    writeManifest(manifestPath, this.runInfo, this.entries.path);
    await this.send({
      key: this.manifestKey,
      body: readFileSync(manifestPath),
      contentType: 'application/json',
    });
    // --force: what the earlier run wrote and this one did not is removed, nothing else.
    for (const key of this.previous) {
      if (!this.written.has(key)) await this.pool.submit(() => this.remove(key));
    }
    await this.pool.drain();
    rmSync(this.tmp, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await this.pool.settle();
    this.entries.destroy();
    if (this.deleteOnAbort) {
      const cleanup = new TaskPool(this.pool.limit);
      for (const key of this.written) {
        if (!this.previous.has(key)) await cleanup.submit(() => this.remove(key).catch(() => undefined));
      }
      await cleanup.settle();
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }

  /**
   * Where an object goes. Log files and digests come with their full key (the prefix is the trail's
   * key prefix); a run's side files (the public keys of digest signatures) come as a bare name and
   * go under the prefix, beside the manifest, as they sit at the root of a folder run. A sink never
   * writes outside the prefix it was given.
   */
  private placeKey(key: string): string {
    const p = this.location.prefix;
    if (!p || key.startsWith(`${p}/`)) return key;
    if (!key.includes('/')) return `${p}/${key}`;
    throw new Error(`S3Sink: key ${key} lies outside the prefix ${p}/ (a bug)`);
  }

  private async check(): Promise<void> {
    if (this.shard) return this.checkForShard(this.shard);
    const { bucket, prefix } = this.location;
    let listed;
    try {
      listed = await this.client.send(
        // No MaxKeys: s3rver fails on a truncated V2 listing, and one page costs the same.
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix ? `${prefix}/` : undefined }),
      );
    } catch (err) {
      throw describeS3Error(err, this.url);
    }
    if (!listed.Contents?.length) return;
    if (!this.force)
      throw new UsageError(
        this.url,
        'is not empty; pass --force to replace an earlier trailsim run there, or choose another prefix',
      );
    const text = await this.getText(this.manifestKey);
    if (text === undefined)
      throw new UsageError(
        this.url,
        `is not empty and holds no ${MANIFEST_NAME}: --force only replaces what trailsim wrote`,
      );
    this.takePrevious(text);
  }

  /**
   * A shard writes beside the other shards of its run: the prefix may hold their objects, but not an
   * unsharded run, and this shard's own earlier objects only with `force` (which replaces them).
   */
  private async checkForShard(shard: Shard): Promise<void> {
    if ((await this.getText(this.keyUnderPrefix(MANIFEST_NAME))) !== undefined)
      throw new UsageError(
        this.url,
        `holds an unsharded run (${MANIFEST_NAME}): write the shards of a run under a prefix of their own`,
      );
    const text = await this.getText(this.manifestKey);
    if (text === undefined) return;
    if (!this.force)
      throw new UsageError(
        this.url,
        `already holds shard ${shard.index} of ${shard.count}; pass --force to replace it`,
      );
    this.takePrevious(text);
  }

  /** An object's text, or undefined when there is none under that key. */
  private async getText(key: string): Promise<string | undefined> {
    try {
      const got = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      return (await got.Body?.transformToString('utf8')) ?? '';
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw describeS3Error(err, this.url);
    }
  }

  /** What an earlier run's manifest lists, to be replaced; each key checked to lie under the prefix. */
  private takePrevious(manifestText: string): void {
    const { prefix } = this.location;
    const outsidePrefix = (key: string) =>
      prefix && !key.startsWith(`${prefix}/`) ? 'is not under the prefix' : undefined;
    const where = `${this.url}${this.manifestKey.split('/').pop()}`;
    this.previous = new Set(previousRunKeys(manifestText, where, outsidePrefix));
  }

  private async send(object: SinkObject): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          ContentLength: object.body.length,
          ...(object.metadata ? { Metadata: object.metadata } : {}),
        }),
      );
    } catch (err) {
      throw describeS3Error(err, `${this.url} (${object.key})`);
    }
  }

  private async remove(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: key }));
    } catch (err) {
      throw describeS3Error(err, `${this.url} (${key})`);
    }
  }
}
