/**
 * Joins `--flag -` into `--flag=-`. yargs reads a lone `-` as a positional argument (standard
 * input, by convention), so `--out -` would otherwise lose its value.
 *
 * @example
 * joinDashValues(['generate', '--out', '-']); // ['generate', '--out=-']
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^--[^=]+$/.test(a) && argv[i + 1] === '-') {
      out.push(`${a}=-`);
      i++;
    } else out.push(a);
  }
  return out;
}
