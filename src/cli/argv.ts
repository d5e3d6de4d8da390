import { UsageError } from '../shared/errors.js';

/**
 * Joins `--flag -` into `--flag=-`, and `--flag -5/s` into `--flag=-5/s`. yargs reads a lone `-`
 * as a positional argument (standard input, by convention), so `--out -` would otherwise lose its
 * value; and it reads `-5/s` as short flags (`-5`, `-/`, `-s`), so a negative rate would be reported
 * as an unknown argument instead of a negative rate. No trailsim flag is a digit or a dot.
 *
 * @example
 * joinDashValues(['generate', '--out', '-']); // ['generate', '--out=-']
 * joinDashValues(['stream', '--rate', '-5/s']); // ['stream', '--rate=-5/s']
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (/^--[^=]+$/.test(a) && next !== undefined && (next === '-' || /^-[\d.]/.test(next))) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/**
 * A failure yargs reports as text, as one line: yargs words a bad choice over two lines and names
 * no flag, so that one is rewritten to name it.
 *
 * @example
 * yargsUsageError('Invalid values:\n  Argument: format, Given: "json", Choices: "cloudtrail", "eventbridge"').message
 * // '--format: "json" is not one of "cloudtrail", "eventbridge"'
 */
export function yargsUsageError(msg: string): UsageError {
  const choice = /Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/m.exec(msg);
  if (choice) return new UsageError(`--${choice[1]}`, `${choice[2]} is not one of ${choice[3]}`);
  return new UsageError('command line', msg.replace(/\s*\n\s*/g, ' ').trim());
}

/**
 * Refuses a flag given more than once, unless it takes a list: yargs would hand the command an
 * array where it expects one value. `lists` names the flags declared as lists.
 *
 * @example checkRepeatedFlags({ start: ['a', 'b'] }, []) // throws "--start: given more than once"
 */
export function checkRepeatedFlags(argv: Record<string, unknown>, lists: readonly string[]): true {
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || /[A-Z]/.test(key) || lists.includes(key)) continue;
    if (Array.isArray(value))
      throw new UsageError(
        `--${key}`,
        `given more than once (${value.map((v) => JSON.stringify(v)).join(', ')})`,
      );
  }
  return true;
}

/** The flags a yargs instance declares as lists (`array: true`), command options included. */
export function listFlags(cli: object): string[] {
  const options = (cli as { getOptions?: () => { array?: string[] } }).getOptions?.();
  return options?.array ?? [];
}

/**
 * yargs renders a command's whole help text just before running it, to have it at hand should the
 * handler fail and the help be shown; trailsim's fail handler never shows it, and for generate's
 * thirty options the rendering costs some 50 ms of every run. This reaches into yargs' internals,
 * so it changes nothing unless they are as expected (`--help` renders the text anew either way).
 */
export function skipHelpCache(cli: object): void {
  const internals = (cli as { getInternalMethods?: () => { getUsageInstance?: () => unknown } })
    .getInternalMethods?.()
    ?.getUsageInstance?.() as { cacheHelpMessage?: () => void } | undefined;
  if (typeof internals?.cacheHelpMessage === 'function') internals.cacheHelpMessage = () => undefined;
}
