/**
 * Work to undo when the user interrupts a run (Ctrl-C, SIGTERM): aborting a sink removes its
 * staging folder, so no partial file is left. The signal handlers are installed only while such
 * work runs, so commands with their own handling (stream stops gracefully) keep it.
 */
const cleanups = new Set<() => Promise<void>>();

// Exit as a shell expects after a signal: 128 + its number.
const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

const handlers = SIGNALS.map(([signal, code]) => {
  const handler = (): void => {
    process.stderr.write(`\ntrailsim: interrupted (${signal}), nothing written\n`);
    // The run is abandoned mid-flight; the entry point would never regain control to exit.
    void runCleanups().finally(() => process.exit(code));
  };
  return [signal, handler] as const;
});

/**
 * Runs `work`; if a signal arrives meanwhile, `cleanup` runs before the process exits.
 *
 * @example await whileInterruptible(() => sink.abort(), () => buildRun(scenario, { sink }).generate());
 */
export async function whileInterruptible<T>(
  cleanup: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  if (cleanups.size === 0) for (const [signal, handler] of handlers) process.on(signal, handler);
  cleanups.add(cleanup);
  try {
    return await work();
  } finally {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

/** Runs every pending cleanup. */
async function runCleanups(): Promise<void> {
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    try {
      await c();
    } catch {
      // Exiting anyway: the next run removes a staging folder left behind.
    }
  }
}
