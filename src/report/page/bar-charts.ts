/// <reference lib="dom" />
import type { EChartsCoreOption } from 'echarts/core';
import type { Caller, Row } from '../report-data.js';
import { count, percent, shortPrincipal } from '../format.js';
import { AXIS_LABEL, COLOURS, SPLIT_LINE, TEXT, TOOLTIP } from './theme.js';

/** Pixels per bar of a horizontal bar chart, and around them. */
const ROW = 20;
const FRAME = 54;

/** Height in pixels of a horizontal bar chart of `rows` bars. */
export function barChartHeight(rows: number): number {
  return rows * ROW + FRAME;
}

/**
 * Rows as horizontal bars, busiest on top, each split into calls that succeeded and calls that
 * failed; the tooltip gives the count, the share of all calls and the error rate.
 */
export function rowBars(rows: Row[], total: number, labelWidth = 190): EChartsCoreOption {
  const names = rows.map((r) => r.name);
  return {
    textStyle: TEXT,
    animation: false,
    legend: { top: 0, right: 8, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const r = rows[ps[0]?.dataIndex ?? 0]!;
        return (
          `<b>${r.name}</b><br>${count(r.count)} calls, ${percent(r.count / total)} of all<br>` +
          `${count(r.errors)} failed (${percent(r.count ? r.errors / r.count : 0)})`
        );
      },
    },
    grid: { left: labelWidth, right: 24, top: 28, bottom: 24 },
    xAxis: { type: 'value', axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE, splitNumber: 4 },
    yAxis: {
      type: 'category',
      data: names,
      inverse: true,
      axisLabel: { ...AXIS_LABEL, interval: 0, width: labelWidth - 12, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: [
      {
        name: 'succeeded',
        type: 'bar',
        stack: 'calls',
        color: COLOURS.ok,
        barCategoryGap: '28%',
        data: rows.map((r) => r.count - r.errors),
      },
      {
        name: 'failed',
        type: 'bar',
        stack: 'calls',
        color: COLOURS.failed,
        data: rows.map((r) => r.errors),
      },
    ],
  };
}

/** The busiest callers, each bar split by the clients they called from. */
export function callerClients(callers: Caller[]): EChartsCoreOption {
  const clients: string[] = [];
  for (const c of callers) for (const k of c.clients) if (!clients.includes(k.name)) clients.push(k.name);
  return {
    textStyle: TEXT,
    animation: false,
    legend: { top: 0, left: 8, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const c = callers[ps[0]?.dataIndex ?? 0]!;
        const lines = c.clients.map((k) => `${k.name}: ${count(k.count)}`).join('<br>');
        return `<b>${c.name}</b> (${c.identityType})<br>${count(c.count)} calls<br>${lines}`;
      },
    },
    grid: { left: 250, right: 24, top: 48, bottom: 24 },
    xAxis: { type: 'value', axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE, splitNumber: 4 },
    yAxis: {
      type: 'category',
      data: callers.map((c) => shortPrincipal(c.name)),
      inverse: true,
      axisLabel: { ...AXIS_LABEL, interval: 0, width: 238, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: clients.map((name, i) => ({
      name,
      type: 'bar',
      stack: 'calls',
      color: COLOURS.clients[i % COLOURS.clients.length],
      barCategoryGap: '28%',
      data: callers.map((c) => c.clients.find((k) => k.name === name)?.count ?? 0),
    })),
  };
}

/** The callers with the most failed calls: denials apart from other errors. */
export function failingCallers(callers: Caller[]): EChartsCoreOption {
  return {
    textStyle: TEXT,
    animation: false,
    legend: { top: 0, right: 8, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 250, right: 24, top: 28, bottom: 24 },
    xAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: AXIS_LABEL,
      splitLine: SPLIT_LINE,
      splitNumber: 4,
    },
    yAxis: {
      type: 'category',
      data: callers.map((c) => shortPrincipal(c.name)),
      inverse: true,
      axisLabel: { ...AXIS_LABEL, interval: 0, width: 238, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: [
      {
        name: 'Access denied',
        type: 'bar',
        stack: 'errors',
        color: COLOURS.denied,
        barCategoryGap: '28%',
        data: callers.map((c) => c.denied),
      },
      {
        name: 'Other errors',
        type: 'bar',
        stack: 'errors',
        color: COLOURS.other,
        data: callers.map((c) => c.errors - c.denied),
      },
    ],
  };
}
