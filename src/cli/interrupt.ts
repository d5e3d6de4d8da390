/**
 * Work to undo when the user interrupts a run (Ctrl-C, SIGTERM): aborting a sink removes its
 * staging folder, so no partial file is left. main.ts installs the signal handlers and exits.
 */
const cleanups = new Set<() => Promise<void>>();

/**
 * Runs `work`; if a signal arrives meanwhile, `cleanup` runs before the process exits.
 *
 * @example await whileInterruptible(() => sink.abort(), () => runGenerate(scenario, sink));
 */
export async function whileInterruptible<T>(
  cleanup: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  cleanups.add(cleanup);
  try {
    return await work();
  } finally {
    cleanups.delete(cleanup);
  }
}

/** Runs every pending cleanup (called by main.ts's signal handler). */
export async function runCleanups(): Promise<void> {
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    try {
      await c();
    } catch {
      // Exiting anyway: the next run removes a staging folder left behind.
    }
  }
}
