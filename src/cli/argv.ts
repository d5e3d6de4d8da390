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
