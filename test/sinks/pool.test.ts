import { describe, expect, it } from 'vitest';
import { TaskPool } from '../../src/sinks/pool.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TaskPool', () => {
  it('keeps at most `limit` tasks in flight, and submit waits for room', async () => {
    const pool = new TaskPool(3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = (): Promise<void> =>
      new Promise<void>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    for (let i = 0; i < 3; i++) await pool.submit(task);
    let fourthStarted = false;
    const fourth = pool.submit(task).then(() => (fourthStarted = true));
    await tick();
    expect(fourthStarted).toBe(false);
    releases.shift()!();
    await fourth;
    expect(fourthStarted).toBe(true);
    while (releases.length) {
      releases.shift()!();
      await tick();
    }
    await pool.drain();
    expect(peak).toBe(3);
    expect(running).toBe(0);
  });

  it('reports the first failure on drain, and starts nothing after it', async () => {
    const pool = new TaskPool(2);
    await pool.submit(() => Promise.reject(new Error('first')));
    await tick();
    let started = false;
    await expect(
      pool.submit(async () => {
        started = true;
      }),
    ).rejects.toThrow('first');
    expect(started).toBe(false);
    await expect(pool.drain()).rejects.toThrow('first');
  });
});
