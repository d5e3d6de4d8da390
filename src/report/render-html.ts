import { readFileSync } from 'node:fs';
import { count, percent, shortPrincipal, utc } from './format.js';
import { chart, escapeHtml, scriptJson, table } from './html.js';
import { PAGE_STYLE } from './page-style.js';
import { barChartHeight } from './page/bar-charts.js';
import { dayChartHeight, digestChartHeight, ZOOM_AFTER } from './page/time-charts.js';
import type { ReportData } from './report-data.js';
import { runFactsHtml } from './run-facts-html.js';

/**
 * The page script: ECharts and the code that draws the charts from the embedded data, bundled by
 * `npm run build` (scripts/bundle-report-page.mjs). Every module of dist/ sits two folders below
 * the package root, so this path holds from dist/report/ and from the CLI bundle in dist/bin/.
 */
const PAGE_SCRIPT = new URL('../../dist/report/page.js', import.meta.url);

function pageScript(): string {
  try {
    // `</script` would end the inline element early; in script text `<\/` means the same.
    return readFileSync(PAGE_SCRIPT, 'utf8').replace(/<\/script/gi, '<\\/script');
  } catch (err) {
    throw new Error(`the report's page script is missing; run npm run build (${(err as Error).message})`);
  }
}

const kpi = (label: string, value: string, figure: string, alert = false): string =>
  `<div class="kpi${alert ? ' alert' : ''}"><b data-figure="${figure}">${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;

const n = (v: number): { n: string } => ({ n: count(v) });
const share = (part: number, whole: number): { n: string } => ({ n: percent(whole ? part / whole : 0) });

/**
 * The report as one self-contained HTML page: style, data and scripts inline, nothing fetched, so
 * it opens from disk, offline. Figures are written into the HTML; charts are drawn by the page
 * script from the same data. The same tree gives the same bytes.
 *
 * @example writeFileSync('report.html', renderReport(await collectReport('out')))
 */
export function renderReport(data: ReportData, version: string): string {
  const breaks = data.chains.reduce((s, c) => s + c.breaks, 0);
  const incidents = data.markers.filter((m) => m.kind === 'incident').length;
  const edgeCases = data.markers.length - incidents;
  const body = [
    `<header><h1><span>trailsim</span> report</h1><p>${escapeHtml(data.tree)} · ${escapeHtml(utc(data.first))} to ${escapeHtml(utc(data.last))}</p></header>`,
    '<section class="kpis">',
    kpi('records', count(data.records), 'records'),
    kpi('log files', count(data.files), 'files'),
    kpi('principals', count(data.principals), 'principals'),
    kpi('operations', count(data.operations.length), 'operations'),
    kpi(
      `failed calls (${percent(data.records ? data.errors / data.records : 0)})`,
      count(data.errors),
      'errors',
    ),
    kpi('access denied', count(data.denied), 'denied', data.denied > 0),
    kpi(`digests, ${count(data.chains.length)} chains`, count(data.digestFiles), 'digests'),
    kpi('chain breaks', count(breaks), 'breaks', breaks > 0),
    '</section>',
    section(
      'Calls per hour',
      `UTC, stacked by identity type. People: the console, the AWS CLI and root; automation: SDKs, infrastructure tools and AWS services.${data.markers.length ? ' Shaded: labelled incidents; dashed: injected edge cases.' : ''}`,
      chart('calls', data.hours.length > ZOOM_AFTER ? 440 : 390),
    ),
    section('Day by hour', 'Calls per UTC hour of each day.', chart('days', dayChartHeight(data))),
    '<div class="cols">',
    section(
      'Operations',
      'Calls per operation, failed calls in red.',
      chart('operations', barChartHeight(data.operations.length)),
    ),
    section(
      'Operations in numbers',
      `${count(data.operations.length)} operations, ${count(data.records)} calls.`,
      table(
        'operations',
        ['Operation', { n: 'Calls' }, { n: 'Share' }, { n: 'Failed' }, { n: 'Error rate' }],
        data.operations.map((r) => [
          r.name,
          n(r.count),
          share(r.count, data.records),
          n(r.errors),
          share(r.errors, r.count),
        ]),
      ),
    ),
    '</div><div class="cols">',
    section(
      'Regions',
      `${count(data.regions.length)} Regions.`,
      chart('regions', barChartHeight(data.regions.length)),
    ),
    section(
      'Accounts and identity types',
      `${count(data.accounts.length)} accounts.`,
      chart('accounts', barChartHeight(data.accounts.length)) +
        table(
          'identities',
          ['Identity type', { n: 'Calls' }, { n: 'Share' }, { n: 'Failed' }],
          data.identities.map((r) => [r.name, n(r.count), share(r.count, data.records), n(r.errors)]),
        ),
    ),
    '</div>',
    section(
      'Busiest callers and their clients',
      `The ${data.callers.length} busiest of ${count(data.principals)} principals (a session counts as its role), by the client they called from.`,
      chart('callers', barChartHeight(data.callers.length) + 20) +
        table(
          'callers',
          ['Principal', 'Type', { n: 'Calls' }, { n: 'Failed' }, 'Clients'],
          data.callers.map((c) => [
            { html: `<span title="${escapeHtml(c.name)}">${escapeHtml(shortPrincipal(c.name))}</span>` },
            c.identityType,
            n(c.count),
            n(c.errors),
            c.clients.map((k) => `${k.name} ${count(k.count)}`).join(', '),
          ]),
        ),
    ),
    section(
      'Denials and other errors over time',
      'Failed calls per UTC hour, by kind.',
      chart('errors', 220),
    ),
    '<div class="cols">',
    section(
      'Failed calls by caller',
      'The principals with the most failed calls.',
      data.failingCallers.length
        ? chart('failing', barChartHeight(data.failingCallers.length))
        : '<p class="note">No call failed.</p>',
    ),
    section(
      'Error codes',
      `${count(data.errors)} failed calls.`,
      table(
        'errors',
        ['Error code', 'Kind', { n: 'Calls' }, { n: 'Share of failed' }],
        data.errorCodes.map((e) => [e.name, e.kind, n(e.count), share(e.count, data.errors)]),
      ),
    ),
    '</div>',
    digestSection(data),
    markerSection(data, incidents, edgeCases),
    section('The run', runSource(data), runFactsHtml(data.manifest, data.manifestProblems)),
    `<footer>trailsim ${escapeHtml(version)} · charts by Apache ECharts · all times UTC</footer>`,
  ];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>trailsim report: ${escapeHtml(data.tree)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head><body><main>',
    ...body,
    '</main>',
    `<script type="application/json" id="trailsim-data">${scriptJson(data)}</script>`,
    `<script>${pageScript()}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Where the run's facts come from: the manifest, or the shards' manifests taken as one run. */
function runSource(data: ReportData): string {
  const m = data.manifests;
  if (m.length === 0 || !data.manifest) return '';
  if (m.length === 1 && data.manifestProblems.length === 0) return `From ${m[0]}.`;
  return `From ${m.length} shard manifests (${m[0]}${m.length > 1 ? ` to ${m[m.length - 1]}` : ''}), read as one run.`;
}

function section(title: string, note: string, content: string): string {
  const p = note ? `<p class="note">${escapeHtml(note)}</p>` : '';
  return `<section class="card"><h2>${escapeHtml(title)}</h2>${p}${content}</section>`;
}

function digestSection(data: ReportData): string {
  if (data.chains.length === 0)
    return section('Digest coverage', '', '<p class="note">This tree has no digest files.</p>');
  return section(
    'Digest coverage',
    'Hours each account and Region’s signed digests cover, and where a chain breaks (a digest that starts a new chain or does not link to the one before).',
    chart('digests', digestChartHeight(data)) +
      table(
        'chains',
        ['Account', 'Region', { n: 'Digests' }, { n: 'Hours covered' }, { n: 'Chain breaks' }],
        data.chains.map((c) => [
          c.account,
          c.region,
          n(c.digests),
          { n: String(c.hoursCovered) },
          c.breaks ? { html: `<span class="bad">${count(c.breaks)}</span>` } : n(0),
        ]),
      ),
  );
}

function markerSection(data: ReportData, incidents: number, edgeCases: number): string {
  if (data.markers.length === 0)
    return section(
      'Incidents and edge cases',
      '',
      '<p class="note">This tree has no labelled incidents (trailsim-labels.jsonl) or injected edge cases.</p>',
    );
  return section(
    'Incidents and edge cases',
    `${incidents} labelled incidents, ${edgeCases} injected edge cases.`,
    table(
      'markers',
      ['Kind', 'Name', 'From', 'To', { n: 'Records' }, 'Detail'],
      data.markers.map((m) => [
        m.kind,
        m.name,
        utc(m.start),
        utc(m.end),
        n(m.records),
        { html: `<span class="wrap">${escapeHtml(m.detail)}</span>` },
      ]),
    ),
  );
}
