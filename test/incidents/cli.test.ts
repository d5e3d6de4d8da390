import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, runCli, scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('incidents-cli');

/** Two days, two Regions: small, and the three playbooks below fit in it. */
const SMALL = [
  '--seed',
  '5',
  '--events',
  '600',
  '--regions',
  'us-east-1,eu-west-1',
  '--start',
  '2026-11-02T00:00:00Z',
  '--end',
  '2026-11-04T00:00:00Z',
  '--quiet',
];
const PLAYBOOKS = 'root-console,runaway-automation,insider-silences-notifications';

describe('trailsim generate --incidents, stats and validate', () => {
  const out = join(work, 'run');
  const gen = runCli(['generate', ...SMALL, '--incidents', PLAYBOOKS, '--out', out]);

  it('writes the labels next to the manifest and says so in the summary', () => {
    expect(gen.stderr).toBe('');
    expect(gen.status).toBe(0);
    expect(gen.stdout).toMatch(
      /incidents 3 \(\d+ of the records, on top of --events\), labels in trailsim-labels.jsonl/,
    );
    const labels = readFileSync(join(out, 'trailsim-labels.jsonl'), 'utf8').trim().split('\n');
    expect(labels.map((l) => (JSON.parse(l) as { playbook: string }).playbook)).toEqual(PLAYBOOKS.split(','));
    const manifest = JSON.parse(readFileSync(join(out, 'trailsim-manifest.json'), 'utf8')) as {
      incidents: { incidents: number };
      scenario: { incidents: unknown };
      files: { key: string }[];
    };
    expect(manifest.incidents.incidents).toBe(3);
    expect(manifest.scenario.incidents).toEqual(PLAYBOOKS.split(',').map((playbook) => ({ playbook })));
    expect(manifest.files.some((f) => f.key === 'trailsim-labels.jsonl')).toBe(true);
  });

  it('writes the same bytes in another time zone and locale, with worker threads', () => {
    const other = join(work, 'run-tz');
    const r = runCli(['generate', ...SMALL, '--incidents', PLAYBOOKS, '--out', other, '--workers', '2'], {
      TZ: 'Pacific/Kiritimati',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
    });
    expect(r.status).toBe(0);
    const files = (dir: string): unknown =>
      (JSON.parse(readFileSync(join(dir, 'trailsim-manifest.json'), 'utf8')) as { files: unknown }).files;
    expect(files(other)).toEqual(files(out));
  });

  it('stats lists each incident with its records', () => {
    const s = runCli(['stats', out]);
    expect(s.status).toBe(0);
    for (const p of PLAYBOOKS.split(','))
      expect(s.stdout).toMatch(new RegExp(`incident-\\d{3}  ${p} .* \\d+ records\\n`));
  });

  it('validate finds every labelled record, and reports a label whose record is not in the tree', () => {
    const ok = runCli(['validate', out, '--quiet']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/; 3 labelled incidents \(\d+ records\)$/m);
    // A label edited to name a record that does not exist: the hash and the eventID both fail.
    const file = join(out, 'trailsim-labels.jsonl');
    const text = readFileSync(file, 'utf8');
    const first = JSON.parse(text.split('\n')[0]!) as { eventIDs: string[] };
    writeFileSync(file, text.replace(first.eventIDs[0]!, '00000000-0000-4000-8000-000000000000'));
    const bad = runCli(['validate', out, '--quiet']);
    writeFileSync(file, text);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/trailsim-labels.jsonl: SHA-256 differs/);
    expect(bad.stdout).toMatch(/incident-001 \(root-console\): 1 of its \d+ eventIDs are in no log file/);
  });

  it('with --out -, writes the records on standard output and the labels to --labels', () => {
    const labels = join(work, 'labels.jsonl');
    const r = runCli(['generate', ...SMALL, '--incidents', PLAYBOOKS, '--out', '-', '--labels', labels]);
    expect(r.status).toBe(0);
    const ids = new Set(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { eventID: string }).eventID),
    );
    const written = readFileSync(labels, 'utf8');
    expect(written).toBe(readFileSync(join(out, 'trailsim-labels.jsonl'), 'utf8'));
    const labelled = written
      .trim()
      .split('\n')
      .flatMap((l) => (JSON.parse(l) as { eventIDs: string[] }).eventIDs);
    for (const id of labelled) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBe(600 + labelled.length);
  });
});

describe('bad incident input', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown playbook',
      ['--incidents', 'no-such-playbook'],
      /^trailsim: --incidents: no playbook "no-such-playbook" \(there are: channel-to-foreign-topic, /,
    ],
    [
      '--labels without --out -',
      ['--incidents', 'root-console', '--labels', 'x.jsonl'],
      /--labels: is for --out - with --incidents/,
    ],
    [
      '--out - without --labels',
      ['--incidents', 'root-console', '--out', '-'],
      /--incidents: with --out -, give --labels <file>/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: one line, exit 2, nothing written`, () => {
      const out = join(work, `bad-${name.replace(/\W+/g, '-')}`);
      const r = runCli(['generate', ...SMALL, ...(args.includes('-') ? [] : ['--out', out]), ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a playbook file with a problem is named with its JSON path', () => {
    const dir = join(work, 'templates-bad');
    mkdirSync(join(dir, 'playbooks'), { recursive: true });
    const copy = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../templates/devops-guru/playbooks/root-console.playbook.json'),
        'utf8',
      ),
    ) as { steps: { outcome: string }[] };
    copy.steps[1]!.outcome = 'ServiceQuotaExceededException';
    writeFileSync(join(dir, 'playbooks', 'mine.playbook.json'), JSON.stringify(copy));
    // A template folder needs a template: one copied from the built-in folder.
    writeFileSync(
      join(dir, 'ListInsights.json'),
      readFileSync(join(import.meta.dirname, '../../templates/devops-guru/ListInsights.json')),
    );
    const out = join(work, 'bad-playbook');
    const r = runCli(['generate', ...SMALL, '--templates', dir, '--incidents', 'root-console', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /mine\.playbook\.json: \/steps\/1\/outcome: UpdateServiceIntegration does not return ServiceQuotaExceededException$/,
    );
    expect(existsSync(out) ? listFiles(out) : []).toEqual([]);
  });

  it('an incident time outside the period names the field', () => {
    const file = join(work, 'incidents.yaml');
    writeFileSync(file, '- playbook: root-console\n  at: 2027-01-01T00:00:00Z\n');
    const r = runCli(['generate', ...SMALL, '--incidents', file, '--out', join(work, 'bad-time')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--incidents: 2027-01-01T00:00:00Z is outside the period of the run/);
  });
});
