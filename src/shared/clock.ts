import { setTimeout as delay } from 'node:timers/promises';

/**
 * The one place trailsim reads the wall clock. Only real-time streaming uses it: every other
 * command takes its times from the scenario, so that its output is reproducible.
 *
 * @example
 * const started = systemClock.now();
 * await systemClock.sleep(100);
 * systemClock.now() - started; // ≈ 100
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  // eslint-disable-next-line no-restricted-properties -- this module is the clock
  now: () => Date.now(),
  sleep: (ms) => delay(Math.max(0, ms)),
};
