import type { CommandModule } from 'yargs';
import { resolveScenario } from '../../scenario/scenario.js';

export const sampleCommand: CommandModule<
  object,
  { operation: string; seed?: number; time?: string; error?: string }
> = {
  command: 'sample',
  describe: 'Print one pretty record of an operation',
  builder: (y) =>
    y
      .option('operation', {
        type: 'string',
        demandOption: true,
        describe: 'eventName, e.g. DescribeInsight',
      })
      .option('seed', {
        type: 'number',
        describe: 'Seed of the world the caller is drawn from; same seed, same record (default: 1)',
      })
      .option('time', {
        type: 'string',
        describe: 'Event time, ISO 8601 with a zone (default: 2026-11-02T14:03:27Z)',
      })
      .option('error', { type: 'string', describe: 'Make the call fail with this error code' })
      .example(
        '$0 sample --operation ListInsights --seed 3                              # one ListInsights call',
        '',
      )
      .example(
        '$0 sample --operation DescribeInsight --error ResourceNotFoundException  # a call that fails',
        '',
      ),
  handler: async (flags) => {
    const scenario = resolveScenario({ seed: flags.seed, events: 0 }, (f) => `--${f}`);
    // Loaded here, not at start-up (see generate.ts).
    const { buildRun } = await import('../../pipeline/build-run.js');
    const run = buildRun(scenario, { where: (f) => `--${f}` });
    const record = run.sample(flags.operation, { time: flags.time, errorCode: flags.error });
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  },
};
