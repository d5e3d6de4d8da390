/// <reference lib="dom" />
import type { EChartsCoreOption } from 'echarts/core';
import type { ReportData } from '../report-data.js';
import { count, dayLabel, hourLabel } from '../format.js';
import { AXIS_LABEL, COLOURS, identityColour, SPLIT_LINE, TEXT, TOOLTIP } from './theme.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Beyond this many hours a time chart gets a zoom slider. */
export const ZOOM_AFTER = 96;

function zoom(axes: number[], n: number): Record<string, unknown> {
  if (n <= ZOOM_AFTER) return {};
  return {
    dataZoom: [
      { type: 'inside', xAxisIndex: axes },
      { type: 'slider', xAxisIndex: axes, height: 18, bottom: 6, brushSelect: false },
    ],
  };
}

/** Incidents as shaded spans, edge cases as lines, on an hourly category axis. */
function markers(data: ReportData, labels: string[]): Record<string, unknown> {
  const first = data.hours[0] ?? 0;
  const at = (t: number): string | undefined =>
    labels[Math.min(labels.length - 1, Math.max(0, Math.floor((t - first) / HOUR)))];
  const incidents = data.markers.filter((m) => m.kind === 'incident');
  const cases = data.markers.filter((m) => m.kind === 'edge case');
  return {
    markArea: {
      silent: false,
      itemStyle: { color: COLOURS.incident },
      label: { color: '#bf3b3a', fontSize: 10, position: 'insideTop' },
      data: incidents.map((m) => [{ name: m.name, xAxis: at(m.start) }, { xAxis: at(m.end) }]),
    },
    markLine: {
      symbol: 'none',
      silent: false,
      lineStyle: { color: COLOURS.edgeCase, type: 'dashed' },
      label: { formatter: '{b}', color: COLOURS.edgeCase, fontSize: 10 },
      data: cases.map((m) => ({ name: m.name, xAxis: at(m.start) })),
    },
  };
}

/** Calls per hour, stacked by identity type, people above and automation below. */
export function callsPerHour(data: ReportData): EChartsCoreOption {
  const labels = data.hours.map(hourLabel);
  const actors = [
    { key: 'person', title: 'People (console, CLI, root)', top: 40, height: '40%' },
    { key: 'automation', title: 'Automation (SDKs, tools, services)', top: '58%', height: '30%' },
  ] as const;
  const series = actors.flatMap((a, grid) =>
    data.identityTypes.map((type, i) => ({
      name: type,
      type: 'bar',
      stack: a.key,
      xAxisIndex: grid,
      yAxisIndex: grid,
      barCategoryGap: '12%',
      color: identityColour(type, i),
      emphasis: { focus: 'series' },
      data: data.byHour[a.key][i],
      ...(grid === 0 && i === 0 ? markers(data, labels) : {}),
    })),
  );
  return {
    textStyle: TEXT,
    animation: false,
    title: actors.map((a) => ({
      text: a.title,
      left: 52,
      top: a.key === 'person' ? 20 : '53%',
      textStyle: { fontSize: 12, fontWeight: 500, color: '#4c566a' },
    })),
    legend: { top: 0, right: 8, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: actors.map((a) => ({ left: 52, right: 16, top: a.top, height: a.height })),
    xAxis: actors.map((_, grid) => ({
      type: 'category',
      gridIndex: grid,
      data: labels,
      axisLabel: { ...AXIS_LABEL, show: grid === 1, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    })),
    yAxis: actors.map((_, grid) => ({
      type: 'value',
      gridIndex: grid,
      axisLabel: AXIS_LABEL,
      splitLine: SPLIT_LINE,
      splitNumber: 3,
    })),
    series,
    ...zoom([0, 1], labels.length),
  };
}

/** Calls by day (rows) and hour of the day (columns), UTC. */
export function dayByHour(data: ReportData): EChartsCoreOption {
  const total = data.hours.map((_, h) =>
    [...data.byHour.person, ...data.byHour.automation].reduce((n, s) => n + (s[h] ?? 0), 0),
  );
  const days: string[] = [];
  const cells: [number, number, number][] = [];
  const dayIndex = new Map<number, number>();
  for (const [h, t] of data.hours.entries()) {
    const day = Math.floor(t / DAY) * DAY;
    if (!dayIndex.has(day)) {
      dayIndex.set(day, days.length);
      days.push(dayLabel(day));
    }
    cells.push([(t - day) / HOUR, dayIndex.get(day)!, total[h] ?? 0]);
  }
  const peak = Math.max(1, ...total);
  return {
    textStyle: TEXT,
    animation: false,
    tooltip: {
      ...TOOLTIP,
      formatter: (p: { value: [number, number, number] }) =>
        `${days[p.value[1]]} ${String(p.value[0]).padStart(2, '0')}:00 UTC<br><b>${count(p.value[2])}</b> calls`,
    },
    grid: { left: 112, right: 70, top: 8, bottom: 28 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
      axisLabel: AXIS_LABEL,
      splitArea: { show: false },
    },
    yAxis: { type: 'category', data: days, inverse: true, axisLabel: AXIS_LABEL },
    visualMap: {
      min: 0,
      max: peak,
      calculable: false,
      text: [count(peak), '0'],
      orient: 'vertical',
      right: 4,
      top: 'middle',
      itemHeight: Math.max(40, Math.min(110, dayChartHeight(data) - 70)),
      itemWidth: 10,
      textStyle: { fontSize: 10 },
      inRange: { color: ['#f4f7fb', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] },
    },
    series: [
      {
        name: 'calls',
        type: 'heatmap',
        data: cells,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#2e3440' } },
      },
    ],
  };
}

/** Failed calls per hour, stacked by kind. */
export function errorsPerHour(data: ReportData): EChartsCoreOption {
  const labels = data.hours.map(hourLabel);
  const kinds = [
    ['denied', 'Access denied', COLOURS.denied],
    ['throttled', 'Throttled', COLOURS.throttled],
    ['other', 'Other errors', COLOURS.other],
  ] as const;
  return {
    textStyle: TEXT,
    animation: false,
    legend: { top: 0, right: 8, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 44, right: 16, top: 30, bottom: labels.length > ZOOM_AFTER ? 56 : 28 },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { ...AXIS_LABEL, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE, splitNumber: 3 },
    series: kinds.map(([key, name, color]) => ({
      name,
      type: 'bar',
      stack: 'errors',
      color,
      barCategoryGap: '12%',
      data: data.errorsByHour[key],
    })),
    ...zoom([0], labels.length),
  };
}

/** Which hours each account and Region's digests cover, and where their chain breaks. */
export function digestCoverage(data: ReportData): EChartsCoreOption {
  const rows = data.chains.map((c) => `${c.account} ${c.region}`);
  const labels = data.digestHours.map(hourLabel);
  const cells: [number, number, number][] = [];
  for (const [y, c] of data.chains.entries()) {
    const breaks = new Set(c.breakAt);
    for (const x of c.covered) if (!breaks.has(x)) cells.push([x, y, 1]);
    for (const x of breaks) cells.push([x, y, 2]);
  }
  return {
    textStyle: TEXT,
    animation: false,
    tooltip: {
      ...TOOLTIP,
      formatter: (p: { value: [number, number, number] }) =>
        `${rows[p.value[1]]}<br>${labels[p.value[0]]} UTC: ${p.value[2] === 2 ? '<b>chain breaks here</b>' : 'covered'}`,
    },
    grid: { left: 170, right: 16, top: 30, bottom: labels.length > ZOOM_AFTER ? 56 : 28 },
    legend: { show: false },
    visualMap: {
      type: 'piecewise',
      top: 0,
      right: 8,
      orient: 'horizontal',
      itemWidth: 12,
      itemHeight: 10,
      textStyle: { fontSize: 11 },
      pieces: [
        { value: 1, label: 'covered by a digest', color: '#74c476' },
        { value: 2, label: 'chain break', color: COLOURS.failed },
      ],
    },
    xAxis: { type: 'category', data: labels, axisLabel: { ...AXIS_LABEL, hideOverlap: true } },
    yAxis: {
      type: 'category',
      data: rows,
      inverse: true,
      axisLabel: { ...AXIS_LABEL, fontSize: 10, interval: 0 },
    },
    series: [{ type: 'heatmap', data: cells, itemStyle: { borderColor: '#fff', borderWidth: 0.5 } }],
    ...zoom([0], labels.length),
  };
}

/** Height in pixels of the digest chart: a row per chain. */
export function digestChartHeight(data: ReportData): number {
  return Math.max(140, data.chains.length * 14 + 90);
}

/** Height in pixels of the day-by-hour chart: a row per day. */
export function dayChartHeight(data: ReportData): number {
  const days = new Set(data.hours.map((t) => Math.floor(t / DAY)));
  return Math.max(110, days.size * 24 + 44);
}
