import type { CommandModule } from 'yargs';
import { UsageError } from '../../shared/errors.js';
import { collectStats } from '../../stats/collect.js';
import { formatIncidents, incidentCounter } from '../../stats/incidents.js';
import { formatStats, hourlyBuckets } from '../../stats/report.js';

export const statsCommand: CommandModule<object, { dir: string; json?: boolean; 'utc-offset'?: number }> = {
  command: 'stats <dir>',
  describe: 'Report on a tree of CloudTrail log files (trailsim output or a real trail)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding AWSLogs/' })
      .option('json', { type: 'boolean', describe: 'Print the counters as JSON' })
      .option('utc-offset', {
        type: 'number',
        describe: 'Hours from UTC of the zone to read the hours of the day in, e.g. -5 (default: 0)',
      })
      .example('$0 stats out         # who called what, where and when, in out/', '')
      .example('$0 stats out --json  # the same counters as JSON', '')
      .example('$0 stats out --utc-offset -5  # hours of the day in UTC-5', '') as never,
  handler: (flags) => {
    const offset = flags['utc-offset'];
    if (offset !== undefined && !(Number.isFinite(offset) && Math.abs(offset) <= 14))
      throw new UsageError('--utc-offset', `${offset} is not a UTC offset in hours, -14 to 14`);
    // A run with incidents: each one's records are counted as the files go by.
    const counter = incidentCounter(flags.dir);
    const stats = collectStats(flags.dir, counter?.add);
    const incidents = counter?.result();
    if (flags.json) {
      const hourly = hourlyBuckets(stats).map((b) => ({ ...b, start: new Date(b.start).toISOString() }));
      process.stdout.write(`${JSON.stringify({ ...stats, hourly, ...(incidents ? { incidents } : {}) })}\n`);
    } else
      process.stdout.write(
        formatStats(stats, flags.dir, offset ?? 0) + formatIncidents(incidents ?? []).join('\n'),
      );
  },
};
