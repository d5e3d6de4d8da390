import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './cli.js';

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

/** Each option of a help text, its wrapped lines joined: `--seed` → `Seed of the run … [number]`. */
function optionsOf(help: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of help.split('\n')) {
    const m = /^ {2}(--[a-z][a-z-]*)(?:,\s*-\w)?\s+(.*)$/.exec(line);
    if (m) {
      current = m[1]!;
      out.set(current, m[2]!.trim());
    } else if (current && /^\s{4,}\S/.test(line)) out.set(current, `${out.get(current)} ${line.trim()}`);
    else current = undefined;
  }
  return out;
}

/** The examples a help text shows: each command line, as words. */
function examplesOf(help: string): string[][] {
  const at = help.indexOf('\nExamples:\n');
  if (at < 0) return [];
  return help
    .slice(at + '\nExamples:\n'.length)
    .split('\n')
    .filter((line) => /^ {2}trailsim /.test(line))
    .map((line) => line.split(' #')[0]!.trim().split(/\s+/));
}

/** The default an option's help states: `(default: x)` in its text, or yargs' `[default: "x"]`. */
function defaultOf(text: string): string | undefined {
  const m = /\(default: ([^)]*)\)/.exec(text) ?? /\[default: ([^\]]*)\]/.exec(text);
  return m?.[1]!.replace(/^"|"$/g, '');
}

const COMMANDS = [
  ['generate'],
  ['stream'],
  ['validate'],
  ['stats'],
  ['sample'],
  ['operations'],
  ['upload'],
  ['init'],
  ['templates', 'check'],
];

describe('each command explains itself', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c] as const))(
    '%s --help shows two or three examples that use only its own flags',
    async (_name, command) => {
      const r = await runCli([...command, '--help']);
      expect(r.code).toBe(0);
      const examples = examplesOf(r.stdout);
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      // Each example says what it does, after a #, on one line.
      for (const line of r.stdout.split('\n').filter((l) => /^ {2}trailsim /.test(l)))
        expect(line).toMatch(/ {2}# \S/);
      const flags = optionsOf(r.stdout);
      for (const words of examples) {
        expect(words.slice(1, 1 + command.length)).toEqual(command);
        for (const w of words.filter((x) => x.startsWith('--'))) {
          const flag = w.split('=')[0]!.replace(/^--no-/, '--');
          expect(flags.has(flag), `${words.join(' ')}: ${flag}`).toBe(true);
        }
      }
      // Every option says what it does.
      for (const [flag, text] of flags) expect(text.replace(/\[[^\]]*\]/g, '').trim(), flag).not.toBe('');
    },
  );

  it('stream lists no flag that a stream rejects or ignores, and rejects each in one line', async () => {
    const r = await runCli(['stream', '--help']);
    const flags = optionsOf(r.stdout);
    expect(flags.has('--rate')).toBe(true);
    const notForStream = [
      ['--start', '2026-11-01T00:00:00Z'],
      ['--end', '2026-11-02T00:00:00Z'],
      ['--events', '5'],
      ['--digests'],
      ['--signing-key', 'k.pem'],
      ['--home-region', 'us-east-1'],
      ['--json'],
    ];
    for (const [flag, ...value] of notForStream) {
      expect(flags.has(flag!), flag).toBe(false);
      const bad = await runCli([
        'stream',
        '--rate',
        '10/s',
        '--duration',
        '1s',
        '--out',
        '-',
        flag!,
        ...value,
      ]);
      expect(bad.code, flag).toBe(2);
      expect(bad.stderr.trim().split('\n'), flag).toHaveLength(1);
      expect(bad.stderr).toContain(flag!.slice(2));
      expect(bad.stdout).toBe('');
    }
  });

  it('sample describes --seed', async () => {
    const r = await runCli(['sample', '--help']);
    expect(optionsOf(r.stdout).get('--seed')).toMatch(/seed/i);
    expect(defaultOf(optionsOf(r.stdout).get('--seed')!)).toBe('1');
  });

  it("generate's help lists the flags of the README's table, with the README's defaults", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## `trailsim generate`'));
    const rows = section
      .slice(0, section.indexOf('\n## ', 3))
      .split('\n')
      .filter((line) => /^\| `--/.test(line))
      .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));
    expect(rows.length).toBeGreaterThan(20);
    const help = optionsOf((await runCli(['generate', '--help'])).stdout);
    const documented = new Set<string>();
    for (const row of rows) {
      const flag = /^`(--[a-z-]+)/.exec(row[1]!)![1]!.replace(/^--no-/, '--');
      documented.add(flag);
      const text = help.get(flag);
      expect(text, `${flag} is in the README but not in generate --help`).toBeDefined();
      const readmeDefault = row[3]!.replace(/`/g, '');
      if (readmeDefault !== '') expect(defaultOf(text!), flag).toBe(readmeDefault);
      else expect(defaultOf(text!), flag).toBeUndefined();
    }
    for (const flag of help.keys())
      if (flag !== '--help' && flag !== '--version') expect(documented, flag).toContain(flag);
  });
});
