import type { CommandModule } from 'yargs';
import { collectStats } from '../../stats/collect.js';
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
    const stats = collectStats(flags.dir);
    if (flags.json) {
      const hourly = hourlyBuckets(stats).map((b) => ({ ...b, start: new Date(b.start).toISOString() }));
      process.stdout.write(`${JSON.stringify({ ...stats, hourly })}\n`);
    } else process.stdout.write(formatStats(stats, flags.dir));
  },
};
