import type { CommandModule } from 'yargs';
import { collectStats } from '../../stats/collect.js';
import { formatIncidents, incidentCounter } from '../../stats/incidents.js';
import { formatStats, hourlyBuckets } from '../../stats/report.js';

export const statsCommand: CommandModule<object, { dir: string; json?: boolean }> = {
  command: 'stats <dir>',
  describe: 'Report on a tree of CloudTrail log files (trailsim output or a real trail)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding AWSLogs/' })
      .option('json', { type: 'boolean', describe: 'Print the counters as JSON' })
      .example('$0 stats out         # who called what, where and when, in out/', '')
      .example('$0 stats out --json  # the same counters as JSON', '') as never,
  handler: (flags) => {
    // A run with incidents: each one's records are counted as the files go by.
    const counter = incidentCounter(flags.dir);
    const stats = collectStats(flags.dir, counter?.add);
    const incidents = counter?.result();
    if (flags.json) {
      const hourly = hourlyBuckets(stats).map((b) => ({ ...b, start: new Date(b.start).toISOString() }));
      process.stdout.write(`${JSON.stringify({ ...stats, hourly, ...(incidents ? { incidents } : {}) })}\n`);
    } else process.stdout.write(formatStats(stats, flags.dir) + formatIncidents(incidents ?? []).join('\n'));
  },
};
