import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import type { Sink, SinkObject } from './sink.js';

/** A log file's key, as opposed to a digest, an Insights file or a side file. */
const LOG_FILE_KEY =
  /(^|\/)AWSLogs\/(o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/[^/]+\/\d{4}\/\d{2}\/\d{2}\/[^/]+\.json\.gz$/;

/**
 * The message CloudTrail publishes to the trail's SNS topic for a delivered log file; the SNS
 * envelope carries it as a string in `Message`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/configure-sns-notifications-for-cloudtrail.html
 *
 * @example
 * notificationOf('my-bucket', 'AWSLogs/…/x.json.gz'); // '{"s3Bucket":"my-bucket","s3ObjectKey":["AWSLogs/…/x.json.gz"]}'
 */
export function notificationOf(bucket: string, key: string): string {
  return JSON.stringify({ s3Bucket: bucket, s3ObjectKey: [key] });
}

/**
 * Wraps a sink and writes one delivery notification (a JSON line) per log file it stores, in the
 * order they are stored. For a run (`live` false) the lines go to a temporary file renamed into
 * place on close and removed on abort, so a failed run leaves no notification file; a stream
 * (`live` true) appends to the file as it delivers. An existing file is replaced only with `force`.
 */
export class NotifyingSink implements Sink {
  private readonly path: string;
  private readonly target: string;
  private fd: number;

  constructor(
    private readonly inner: Sink,
    file: string,
    private readonly bucket: string,
    opts: { force: boolean; live?: boolean },
  ) {
    this.target = resolve(file);
    if (existsSync(this.target) && !opts.force)
      throw new UsageError(file, 'exists; pass --force to replace it or choose another --notifications file');
    this.path = opts.live ? this.target : `${this.target}.tmp-${process.pid}`;
    this.fd = openNotificationFile(this.path, file);
  }

  async put(object: SinkObject): Promise<void> {
    await this.inner.put(object);
    if (LOG_FILE_KEY.test(object.key)) writeSync(this.fd, `${notificationOf(this.bucket, object.key)}\n`);
  }

  async close(): Promise<void> {
    await this.inner.close();
    closeSync(this.fd);
    this.fd = -1;
    if (this.path !== this.target) renameSync(this.path, this.target);
  }

  async abort(): Promise<void> {
    await this.inner.abort();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.path !== this.target) rmSync(this.path, { force: true });
  }
}

/** Opens the notification file for writing; a folder that is missing or not writable is bad input. */
function openNotificationFile(path: string, given: string): number {
  try {
    return openSync(path, 'w');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EISDIR'
          ? 'is a folder; name a file'
          : `cannot be written (${code ?? String(err)})`;
    throw new UsageError(`--notifications`, `${given}: ${why}`);
  }
}
