import type { ScheduledCall } from '../world/lifecycle.js';

/** The most calls rendered together: a file's worth (CloudTrail splits busy windows into files too). */
export const MAX_CALLS_PER_PART = 5000;

/** One delivery window of one account and Region: what the plan hands to the renderer. */
export interface Window {
  accountIndex: number;
  region: string;
  /** [start, end) in epoch ms. */
  start: number;
  end: number;
  /** Calls drawn at random in this window. */
  count: number;
  /** Calls the world planned in this window. */
  scheduled: readonly ScheduledCall[];
  /**
   * A busy window is rendered in parts of at most MAX_CALLS_PER_PART calls, each on its own stream
   * and delivered as its own file, so memory stays bounded; 0 (or absent) for the first part.
   */
  part?: number;
  /**
   * The earliest time a call may be stamped, when the window is part of a delivery that began
   * before it (a stream's interval): CloudTrail's occasional late call is then kept inside the
   * delivery. Absent in a batch run, where a window is its own delivery.
   */
  earliest?: number;
}

/** The label a window's random streams are forked by: account, Region, start, and part. */
export function windowLabel(accountId: string, w: Pick<Window, 'region' | 'start' | 'part'>): string {
  return w.part
    ? `${accountId}/${w.region}/${w.start}/part/${w.part}`
    : `${accountId}/${w.region}/${w.start}`;
}
