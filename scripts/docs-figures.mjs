// The figures README.md and docs/ show that come from a run: produced here, from small runs of the
// built package, so they cannot drift from what trailsim does. `npm run docs:figures` rewrites the
// blocks between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`; test/docs/figures.test.ts
// fails when a committed block differs from what this script produces now.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const CLI = join(ROOT, 'dist', 'bin', 'trailsim.cjs');

/** Runs the built CLI in `cwd`; a failure is a bug in this script or in trailsim. */
function trailsim(args, cwd) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (r.status !== 0 && !(args[0] === 'validate' && r.status === 1))
    throw new Error(`trailsim ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

const fence = (lang, text) => `\`\`\`${lang}\n${text.trimEnd()}\n\`\`\``;
const pct = (n, total) => `${((100 * n) / total).toFixed(1)}%`;

/** The record the README shows. */
async function record(lib) {
  return fence('json', JSON.stringify(lib.renderRecord('DescribeAccountHealth', { seed: 3 }), null, 2));
}

/** What a day of the default mix looks like, counted over the records of a small run. */
async function shares(lib) {
  const options = { seed: 1, events: 3000, accounts: 3, regions: ['us-east-1', 'eu-west-1'] };
  const byType = new Map();
  const byPrincipal = new Map();
  let total = 0;
  let failed = 0;
  let readOnly = 0;
  for await (const r of lib.records(options)) {
    total++;
    byType.set(r.userIdentity.type, (byType.get(r.userIdentity.type) ?? 0) + 1);
    const who =
      r.userIdentity.sessionContext?.sessionIssuer?.arn ?? r.userIdentity.arn ?? r.userIdentity.invokedBy;
    byPrincipal.set(who, (byPrincipal.get(who) ?? 0) + 1);
    if (r.errorCode) failed++;
    if (r.readOnly) readOnly++;
  }
  const top10 = [...byPrincipal.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((a, b) => a + b, 0);
  const rows = [...byType]
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `| \`${t}\` | ${n} | ${pct(n, total)} |`);
  return [
    `Counted over \`records({ seed: ${options.seed}, events: ${options.events}, accounts: ${options.accounts}, ` +
      `regions: [${options.regions.map((r) => `'${r}'`).join(', ')}] })\`:`,
    '',
    '| userIdentity.type | records | share |',
    '| --- | --: | --: |',
    ...rows,
    '',
    `Read-only calls: ${pct(readOnly, total)}. Failed calls: ${pct(failed, total)}. ` +
      `The ten busiest principals (a role's sessions counted as the role): ${pct(top10, total)} of the calls, ` +
      `of ${byPrincipal.size} principals that called.`,
  ].join('\n');
}

/** Files a sparse run writes: log files against digests. */
async function fileCounts(_lib, scratch) {
  const rows = [];
  for (const days of [1, 7]) {
    const end = new Date(Date.parse('2026-11-02T00:00:00Z') + days * 86_400_000)
      .toISOString()
      .replace('.000', '');
    const args = ['--events', '100', '--accounts', '1', '--regions', 'us-east-1,eu-west-1', '--end', end];
    const s = JSON.parse(
      trailsim(['generate', ...args, '--out', join(scratch, `d${days}`), '--json', '--quiet'], scratch),
    );
    rows.push(`| ${days} day${days > 1 ? 's' : ''} | ${s.records} | ${s.files} | ${s.digests} |`);
  }
  return [
    '`--events 100 --accounts 1 --regions us-east-1,eu-west-1`, from 2026-11-02:',
    '',
    '| period | records | log files | digests |',
    '| --- | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

/** What validate says about a run with one log file deleted. */
async function validateExample(_lib, scratch) {
  trailsim(
    ['generate', '--events', '200', '--accounts', '1', '--regions', 'us-east-1', '--out', 'out', '--quiet'],
    scratch,
  );
  const manifest = JSON.parse(readFileSync(join(scratch, 'out', 'trailsim-manifest.json'), 'utf8'));
  const victim = manifest.files.map((f) => f.key).filter((k) => k.includes('/CloudTrail/'))[3];
  unlinkSync(join(scratch, 'out', victim));
  return fence(
    'console',
    `$ trailsim validate out --quiet\n${trailsim(['validate', 'out', '--quiet'], scratch)}`,
  );
}

/** The start of `trailsim stats` on a small run. */
async function statsExample(_lib, scratch) {
  trailsim(
    ['generate', '--events', '500', '--regions', 'us-east-1', '--out', 'stats-out', '--quiet'],
    scratch,
  );
  const lines = trailsim(['stats', 'stats-out'], scratch).split('\n');
  const ops = lines.findIndex((l) => l.startsWith('Records by operation'));
  return fence('console', ['$ trailsim stats stats-out', ...lines.slice(0, ops + 4), '  ...'].join('\n'));
}

/** Each block: the file it is in, its name, and how it is made. */
export const BLOCKS = [
  { file: 'README.md', name: 'record', make: record },
  { file: 'README.md', name: 'stats', make: statsExample },
  { file: 'docs/realism.md', name: 'shares', make: shares },
  { file: 'docs/digests-and-validate.md', name: 'file-counts', make: fileCounts },
  { file: 'docs/digests-and-validate.md', name: 'validate', make: validateExample },
];

// Prettier leaves the blocks as this script writes them.
const open = (name) =>
  `<!-- prettier-ignore-start -->\n<!-- figures:${name} (npm run docs:figures writes this block) -->`;
const close = (name) => `<!-- /figures:${name} -->\n<!-- prettier-ignore-end -->`;

/** The text between a block's markers in `text`, or undefined when the markers are missing. */
export function blockIn(text, name) {
  const a = text.indexOf(open(name));
  const b = text.indexOf(close(name));
  if (a < 0 || b < a) return undefined;
  return text.slice(a + open(name).length, b).trim();
}

/** Every block as this version of trailsim produces it: `file` → `name` → text. */
export async function produceFigures() {
  const lib = await import(join(ROOT, 'dist', 'index.js'));
  mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
  const scratch = mkdtempSync(join(ROOT, '.test-tmp', 'figures-'));
  try {
    const out = {};
    for (const b of BLOCKS) (out[b.file] ??= {})[b.name] = await b.make(lib, scratch);
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  const figures = await produceFigures();
  for (const [file, blocks] of Object.entries(figures)) {
    let text = readFileSync(join(ROOT, file), 'utf8');
    for (const [name, body] of Object.entries(blocks)) {
      if (blockIn(text, name) === undefined)
        throw new Error(`${file}: no ${open(name)} … ${close(name)} markers`);
      const a = text.indexOf(open(name)) + open(name).length;
      text = `${text.slice(0, a)}\n\n${body}\n\n${text.slice(text.indexOf(close(name)))}`;
    }
    writeFileSync(join(ROOT, file), text);
    console.log(`docs:figures: ${file}: ${Object.keys(blocks).join(', ')}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
