// `npm run bench:serve`: how `trailsim serve` copes with a big tree. Generates a tree (1,000,000
// events by default; kept in .scratch/, which git ignores, and reused while its manifest matches),
// starts the built `trailsim serve` on it in a child process, and prints:
// - start-up: from spawn until the server prints its URL (the whole index is built by then), wall
//   time and the CPU time the process used (the machine may be shared: CPU time says more);
// - memory: the server's resident set (VmRSS) after start-up and after the queries, and its peak
//   (VmHWM), from /proc (Linux);
// - LookupEvents latency through @aws-sdk/client-cloudtrail for typical queries: the first call
//   (cold: files parsed) and the median and 95th percentile of the repeats (warm: the record cache);
//   and paging: each next page of a filtered query.
// Flags: --events <n> (default 1000000), --dir <folder>, --runs <n> (repeats per query, default 20).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const cli = join(root, 'dist', 'bin', 'trailsim.cjs');
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const events = Number(flag('events', '1000000'));
const runs = Number(flag('runs', '20'));
const dir = resolve(flag('dir', join(root, '.scratch', `bench-serve-${events}`)));
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The tree, generated unless one from the same flags is there. */
function ensureTree() {
  const manifest = join(dir, 'trailsim-manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    if (m.scenario?.events === events && m.seed === 1) return m;
  }
  console.log(`generating ${events.toLocaleString('en-US')} events into ${dir} ...`);
  const g = spawnSync(
    process.execPath,
    [cli, 'generate', '--events', String(events), '--seed', '1', '--out', dir, '--force', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  if (g.status !== 0) throw new Error('trailsim generate failed');
  return JSON.parse(readFileSync(manifest, 'utf8'));
}

/** Resident and peak memory (MB) and CPU seconds of a process, from /proc. */
function procStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024, cpuS: ticks / 100 };
  } catch {
    return { rssMb: NaN, peakMb: NaN, cpuS: NaN };
  }
}

function startServe() {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'serve', dir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveUrl, reject) => {
    let seen = '';
    child.stdout.on('data', (c) => {
      seen += c;
      const m = /at (http:\/\/[^\s]+)/.exec(seen);
      if (m) resolveUrl({ child, url: m[1], startupMs: performance.now() - started });
    });
    child.on('exit', (code) => reject(new Error(`trailsim serve exited (${code})`)));
  });
}

const ms = (t) => `${t.toFixed(1)} ms`;
function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}

async function timed(client, input) {
  const t = performance.now();
  const out = await client.send(new LookupEventsCommand(input));
  return { ms: performance.now() - t, out };
}

const manifest = ensureTree();
const region = manifest.scenario.regions[0];
const { child, url, startupMs } = await startServe();
const afterStart = procStats(child.pid);
const client = new CloudTrailClient({
  endpoint: url,
  region,
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'any' },
});

// Values to look up, taken from the answers themselves.
const newest = (await client.send(new LookupEventsCommand({ MaxResults: 50 }))).Events;
const sample = newest[newest.length - 1];
const oldestTime = new Date(manifest.scenario.start).getTime();
const middle = oldestTime + 12 * 3600_000;
const queries = [
  ['newest 50, no filter', {}],
  [
    'EventName=ListInsights',
    { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ListInsights' }] },
  ],
  ['ReadOnly=false', { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }],
  [
    'Username (one person)',
    { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: sample.Username }] },
  ],
  [
    'AccessKeyId (one key)',
    { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: sample.AccessKeyId }] },
  ],
  [
    'EventId (one event)',
    { LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: sample.EventId }] },
  ],
  ['1 hour at midday', { StartTime: new Date(middle), EndTime: new Date(middle + 3600_000) }],
];
const rows = [];
for (const [name, input] of queries) {
  const cold = await timed(client, { ...input, MaxResults: 50 });
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push((await timed(client, { ...input, MaxResults: 50 })).ms);
  rows.push({ name, events: cold.out.Events.length, cold: cold.ms, ...summary(warm) });
}
// Paging: 40 pages of 50 of a filtered query, each page asked for with the previous NextToken.
const pageTimes = [];
let token;
let paged = 0;
for (let i = 0; i < 40; i++) {
  const r = await timed(client, {
    LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    MaxResults: 50,
    NextToken: token,
  });
  pageTimes.push(r.ms);
  paged += r.out.Events.length;
  token = r.out.NextToken;
  if (!token) break;
}
const afterQueries = procStats(child.pid);
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));

const logFiles = manifest.counts?.files;
console.log(
  `\ntrailsim serve over ${events.toLocaleString('en-US')} events (${logFiles} log files), Region ${region}`,
);
console.log(
  `start-up (index built, listening): ${(startupMs / 1000).toFixed(1)} s wall, ${afterStart.cpuS.toFixed(1)} s CPU`,
);
console.log(
  `memory: ${afterStart.rssMb.toFixed(0)} MB resident after start-up, ${afterQueries.rssMb.toFixed(0)} MB after the queries, ` +
    `peak ${afterQueries.peakMb.toFixed(0)} MB`,
);
console.log(`\nLookupEvents, MaxResults 50 (${runs} warm repeats):`);
console.log('query                       events   cold        warm median  warm p95');
for (const r of rows)
  console.log(
    `${r.name.padEnd(27)} ${String(r.events).padStart(6)}   ${ms(r.cold).padEnd(11)} ${ms(r.median).padEnd(12)} ${ms(r.p95)}`,
  );
const p = summary(pageTimes);
console.log(
  `\npaging ReadOnly=true: ${pageTimes.length} pages (${paged} events), first ${ms(pageTimes[0])}, ` +
    `median ${ms(p.median)}, p95 ${ms(p.p95)}`,
);
