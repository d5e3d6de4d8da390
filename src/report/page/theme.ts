/// <reference lib="dom" />
/** Colours and shared chart settings of the page. */

/** One colour per identity type, the same in every chart; others take the spare ones in turn. */
const IDENTITY_COLOURS: Record<string, string> = {
  AssumedRole: '#4c78a8',
  IAMUser: '#f58518',
  FederatedUser: '#54a24b',
  AWSService: '#72b7b2',
  Root: '#e45756',
};
const SPARE = ['#b279a2', '#9d755d', '#bab0ac', '#eeca3b', '#ff9da6'];

export function identityColour(type: string, index: number): string {
  return IDENTITY_COLOURS[type] ?? SPARE[index % SPARE.length]!;
}

export const COLOURS = {
  ok: '#4c78a8',
  failed: '#e45756',
  denied: '#e45756',
  throttled: '#eeca3b',
  other: '#9d755d',
  incident: 'rgba(228, 87, 86, 0.14)',
  edgeCase: '#b279a2',
  clients: [
    '#4c78a8',
    '#f58518',
    '#54a24b',
    '#72b7b2',
    '#b279a2',
    '#eeca3b',
    '#9d755d',
    '#ff9da6',
    '#bab0ac',
  ],
};

export const TEXT = { color: '#3b4252', fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif' };

export const TOOLTIP = {
  confine: true,
  backgroundColor: 'rgba(255,255,255,0.97)',
  borderColor: '#d8dee9',
  textStyle: { color: '#2e3440', fontSize: 12 },
};

/** Axis label style for small type. */
export const AXIS_LABEL = { color: '#4c566a', fontSize: 11 };
export const SPLIT_LINE = { lineStyle: { color: '#eceff4' } };
