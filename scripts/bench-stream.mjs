// `npm run bench:stream`: the highest rate `trailsim stream` holds, on the main thread alone and
// with worker threads, measured from the files it writes rather than from what it reports.
//
// For each mode (`--workers 0`, then `--workers <n>`) it streams at each rate in turn, for `--hold`
// seconds each, into a new folder, then reads every record back and counts them by eventTime, one
// bucket per second. A rate is held when the records total rate × hold within ±1%, and every
// 10-second slice of whole seconds (the first and last second, partly outside the stream, left out)
// holds rate × 10 within ±1%. A mode stops at its first rate not held.
//
// Flags: --rates <a,b,…> (events per second, default 2000,4000,8000,12000,16000,24000,32000),
// --hold <seconds> (default 60), --workers <n> (default: one per core), --dir <folder> (default
// .bench in the project, which git ignores), --interval <duration> (the stream's, default 10s).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const cli = join(root, 'dist', 'bin', 'trailsim.cjs');
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rates = flag('rates', '2000,4000,8000,12000,16000,24000,32000').split(',').map(Number);
const hold = Number(flag('hold', '60'));
const workers = Number(flag('workers', String(availableParallelism())));
const interval = flag('interval', '10s');
const parent = resolve(flag('dir', join(root, '.bench')));
const SLICE_S = 10;
const TOLERANCE = 0.01;

/** Every log file's records' eventTimes below `dir`, as whole seconds since the epoch. */
function eventSeconds(dir) {
  const seconds = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.includes('/CloudTrail/') && p.endsWith('.json.gz'))
        for (const r of JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')).Records)
          seconds.push(Date.parse(r.eventTime) / 1000);
    }
  };
  walk(dir);
  return seconds;
}

/** What the files say of a stream at `rate` for `hold` seconds: total, worst slice, held or not. */
function judge(seconds, rate) {
  // A loop, not Math.min(...seconds): a spread of a few hundred thousand arguments overflows the stack.
  let first = Infinity;
  let last = -Infinity;
  for (const s of seconds) {
    if (s < first) first = s;
    if (s > last) last = s;
  }
  const perSecond = new Map();
  for (const s of seconds) perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  const slices = [];
  for (let s = first + 1; s + SLICE_S <= last; s += SLICE_S) {
    let n = 0;
    for (let k = s; k < s + SLICE_S; k++) n += perSecond.get(k) ?? 0;
    slices.push(n / SLICE_S);
  }
  const total = seconds.length / hold;
  const worst = slices.reduce((w, r) => (Math.abs(r - rate) > Math.abs(w - rate) ? r : w), total);
  const within = (r) => Math.abs(r - rate) <= rate * TOLERANCE;
  return { total, worst, slices: slices.length, held: within(total) && slices.every(within) };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
mkdirSync(parent, { recursive: true });
const work = mkdtempSync(join(parent, 'trailsim-bench-stream-'));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
process.stdout.write(
  `trailsim bench:stream: ${hold} s at each rate, delivery every ${interval}, into ${parent}; ` +
    `${availableParallelism()} cores, load average ${load()}\n`,
);
const best = new Map();
try {
  for (const w of [0, workers]) {
    for (const rate of rates) {
      const out = join(work, `w${w}-${rate}`);
      const args = ['stream', '--rate', `${rate}/s`, '--duration', `${hold}s`, '--interval', interval];
      const r = spawnSync(process.execPath, [cli, ...args, '--workers', String(w), '--out', out, '--quiet'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`trailsim ${args.join(' ')} failed: ${r.stderr}`);
      const j = judge(eventSeconds(out), rate);
      rmSync(out, { recursive: true, force: true });
      process.stdout.write(
        `workers ${w}  rate ${fmt(rate).padStart(7)}/s  files say ${fmt(j.total).padStart(7)}/s over the ` +
          `${hold} s, worst of ${j.slices} ${SLICE_S}-s slices ${fmt(j.worst).padStart(7)}/s  ` +
          `${j.held ? 'held' : 'NOT held'}  (load ${load()})\n`,
      );
      if (!j.held) break;
      best.set(w, rate);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const w of [0, workers])
  process.stdout.write(
    `highest rate held ${hold} s within ±1% with ${w === 0 ? 'no workers (the main thread)' : `${w} workers`}: ` +
      `${best.has(w) ? `${fmt(best.get(w))}/s` : `none of ${rates.join(', ')}`}\n`,
  );
