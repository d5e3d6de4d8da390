/** How activity rises and falls over a day and a week. */
export interface CurveSettings {
  /** How deep people's working day dips; 1 - amplitude sets their trickle of calls after hours. */
  dailyAmplitude: number;
  /** Weekend activity of people relative to a weekday, 0..1. */
  weekendFactor: number;
  /** Share of a busy working hour's calls made by automation (scheduled jobs are counted apart). */
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
