import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

/** The column at which each line's text resumes after the run of spaces following `start`. */
function descriptionColumns(text: string, start: RegExp): number[] {
  return text
    .split('\n')
    .filter((line) => start.test(line))
    .map((line) => /^\s*\S+(?: \S+)*?\s{2,}/.exec(line)?.[0].length ?? -1);
}

// Help text is laid out by measuring strings (cliui, string-width). The bundled command loads
// string-width only when help is printed, so these are the runs that exercise it.
describe('help', () => {
  it('lists the commands, their descriptions in one column', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['generate', 'validate', 'stats', 'stream', 'upload'])
      expect(r.stdout).toContain(`trailsim ${command}`);
    const columns = descriptionColumns(r.stdout, /^ {2}trailsim \S/);
    expect(columns.length).toBeGreaterThan(5);
    expect(new Set(columns).size).toBe(1);
    expect(columns[0]).toBeGreaterThan('  trailsim generate'.length);
  });

  it("aligns generate's options and right-aligns their types", async () => {
    const r = await runCli(['generate', '--help']);
    expect(r.code).toBe(0);
    const options = r.stdout.split('\n').filter((line) => /^ {2}--[a-z]/.test(line));
    expect(options.length).toBeGreaterThan(10);
    const columns = descriptionColumns(r.stdout, /^ {2}--[a-z]/);
    expect(new Set(columns).size).toBe(1);
    // A type marker such as [number] ends each option's last line at the same column.
    const typed = r.stdout.split('\n').filter((line) => /\[(?:number|string|boolean)\]$/.test(line));
    expect(typed.length).toBeGreaterThan(10);
    expect(new Set(typed.map((line) => line.length)).size).toBe(1);
  });
});
