/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The report page's script: draws each `[data-chart]` element's chart from the data embedded in
 * the page, then marks the document `data-charts="rendered"` (what the browser test waits for).
 * The chart instances are kept on `window.trailsimCharts`, by name, for the test to read back.
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { ReportData } from '../report-data.js';
import { callerClients, failingCallers, rowBars } from './bar-charts.js';
import { echarts } from './echarts.js';
import { callsPerHour, dayByHour, digestCoverage, errorsPerHour } from './time-charts.js';

const data = JSON.parse(document.getElementById('trailsim-data')!.textContent!) as ReportData;

const OPTIONS: Record<string, () => EChartsCoreOption> = {
  calls: () => callsPerHour(data),
  days: () => dayByHour(data),
  operations: () => rowBars(data.operations, data.records),
  regions: () => rowBars(data.regions, data.records, 110),
  accounts: () => rowBars(data.accounts, data.records, 110),
  callers: () => callerClients(data.callers),
  errors: () => errorsPerHour(data),
  failing: () => failingCallers(data.failingCallers),
  digests: () => digestCoverage(data),
};

const charts: Record<string, EChartsType> = {};
(window as unknown as { trailsimCharts: typeof charts }).trailsimCharts = charts;

const pending: Promise<void>[] = [];
for (const el of document.querySelectorAll<HTMLElement>('[data-chart]')) {
  const name = el.dataset.chart!;
  const option = OPTIONS[name];
  if (!option) throw new Error(`no chart named ${name}`);
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  charts[name] = chart;
  pending.push(new Promise((done) => chart.on('finished', () => done())));
  chart.setOption(option());
}
void Promise.all(pending).then(() => {
  document.documentElement.dataset.charts = 'rendered';
});
window.addEventListener('resize', () => {
  for (const chart of Object.values(charts)) chart.resize();
});
