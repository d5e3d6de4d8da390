import type { SinkObject } from '../layout/sink-object.js';

export type { SinkObject };

/**
 * The only place that writes. A sink stores objects under keys; `close` finishes the run (flushes,
 * writes side files that need the whole run, renames into place). `abort` leaves nothing half-written.
 */
export interface Sink {
  put(object: SinkObject): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
