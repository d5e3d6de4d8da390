/**
 * A bounded pool of concurrent tasks with backpressure: `submit` resolves once the task has
 * started and there is room for another, `drain` waits for every task. The first failure is
 * reported by the next `submit` or by `drain`, and no new task starts after it.
 *
 * @example
 * const pool = new TaskPool(8);
 * for (const o of objects) await pool.submit(() => upload(o)); // at most 8 uploads in flight
 * await pool.drain();
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;
  private failed = false;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`TaskPool: bad limit ${limit}`);
  }

  async submit(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit && !this.failed) await Promise.race(this.running);
    this.rethrow();
    const p: Promise<void> = task().then(
      () => {
        this.running.delete(p);
      },
      (err: unknown) => {
        this.running.delete(p);
        if (!this.failed) {
          this.failed = true;
          this.failure = err;
        }
      },
    );
    this.running.add(p);
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.rethrow();
  }

  /** Waits for every task, ignoring failures (for cleanup after an error). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private rethrow(): void {
    if (this.failed) throw this.failure;
  }
}
