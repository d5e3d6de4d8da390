import type { LogFileFacts } from '../layout/log-file.js';
import type { SinkObject } from '../layout/sink-object.js';

/**
 * A stage that watches the log files go by and adds objects of its own (digests, notifications).
 * A stage may answer with a promise (to sign off the main thread, say); the run waits for it, so the
 * order of objects stays what the stage returns.
 */
export interface FileStage {
  /** Objects due before `file` is delivered. */
  onFile(file: LogFileFacts): SinkObject[] | Promise<SinkObject[]>;
  /**
   * Objects due at the end of the run, in order. As an async iterable, the run stores each as it
   * comes, while the stage is still making the next ones (the digest stage signs on the pool).
   */
  finish(): SinkObject[] | Promise<SinkObject[]> | AsyncIterable<SinkObject>;
}
