import { count } from './format.js';
import { escapeHtml } from './html.js';

type Facts = Record<string, unknown>;

const obj = (v: unknown): Facts =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Facts) : {};

function show(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return count(v) === String(v) || Number.isInteger(v) ? count(v) : String(v);
  if (Array.isArray(v)) return `${v.length}: ${v.join(', ')}`;
  if (typeof v === 'object')
    return Object.entries(v as Facts)
      .map(([k, x]) => `${k} ${String(x)}`)
      .join(', ');
  return String(v);
}

/**
 * The run's facts as a definition list (seed, period, volume, cast, trail, what was written), and
 * the whole of them as JSON below it, after a warning when shards are missing; for a tree without a
 * manifest, a line saying so.
 */
export function runFactsHtml(facts: Facts | null, problems: readonly string[] = []): string {
  if (!facts)
    return '<p class="note">This tree has no trailsim-manifest.json (it was not written by trailsim).</p>';
  const warning = problems.length
    ? `<p class="note bad" data-fact="incomplete">Not the whole run: ${escapeHtml(problems.join('; '))}. The facts below are those of the shards present.</p>`
    : '';
  const scenario = obj(facts.scenario);
  const trail = obj(facts.trail);
  const counts = obj(facts.counts);
  const rows: [string, unknown, string][] = [
    ['Generator', `${String(facts.generator ?? '')} ${String(facts.version ?? '')}`.trim(), 'generator'],
    ['Seed', facts.seed, 'seed'],
    [
      'Period',
      scenario.start && scenario.end ? `${String(scenario.start)} to ${String(scenario.end)}` : undefined,
      'period',
    ],
    ['Events asked for', scenario.events, 'events'],
    ['Accounts', scenario.accounts, 'accounts'],
    ['Regions', scenario.regions, 'regions'],
    ['Identity mix', scenario.identityMix, 'identity-mix'],
    ['Error rate', scenario.errorRate, 'error-rate'],
    ['Trail', trail.arn ?? trail.name, 'trail'],
    ['Bucket', trail.bucket, 'bucket'],
    ['Organization', trail.organizationId, 'organization'],
    ['Log files written', counts.files, 'manifest-files'],
    ['Records written', counts.records, 'manifest-records'],
    ['Bytes (gzipped)', counts.bytes, 'manifest-bytes'],
    ['Other files (digests, keys)', counts.otherFiles, 'manifest-other'],
  ];
  const dl = rows
    .map(([label, value, name]) => [label, show(value), name] as const)
    .filter(([, value]) => value !== undefined)
    .map(
      ([label, value, name]) =>
        `<dt>${escapeHtml(label)}</dt><dd data-fact="${name}">${escapeHtml(value!)}</dd>`,
    )
    .join('');
  return `${warning}<dl>${dl}</dl><details><summary>Everything the manifest says about the run</summary><pre>${escapeHtml(
    JSON.stringify(facts, null, 2),
  )}</pre></details>`;
}
