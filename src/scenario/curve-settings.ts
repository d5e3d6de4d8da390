/** How activity rises and falls over a day and a week. */
export interface CurveSettings {
  /** 0 = flat day, 1 = nights almost silent for people. */
  dailyAmplitude: number;
  /** Weekend activity of people relative to a weekday, 0..1. */
  weekendFactor: number;
  /** Share of calls from automation, which runs around the clock. */
  automationShare: number;
  /** Activity spikes after insights open, when people investigate. */
  bursts: boolean;
}

export const DEFAULT_CURVE: CurveSettings = {
  dailyAmplitude: 0.9,
  weekendFactor: 0.12,
  automationShare: 0.3,
  bursts: true,
};
