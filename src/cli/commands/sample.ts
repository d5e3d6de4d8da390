import type { CommandModule } from 'yargs';
import { UsageError } from '../../shared/errors.js';
import { decimalFlag } from '../number-flag.js';
import { parseTime, resolveScenario } from '../../scenario/scenario.js';
import { helpService } from '../default-service.js';

const { examples: example } = helpService();

/** The help's example calls, from the default service's description, their comments aligned. */
function exampleLines(): [string, string][] {
  const calls = [
    [`$0 sample --operation ${example.operation} --seed 3`, `one ${example.operation} call`],
    [
      `$0 sample --operation ${example.failing.operation} --error ${example.failing.error}`,
      'a call that fails',
    ],
  ];
  const width = Math.max(...calls.map(([call]) => call!.length)) + 2;
  return calls.map(([call, what]): [string, string] => [`${call!.padEnd(width)}# ${what}`, '']);
}

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
        describe: `eventName, e.g. ${example.operation}`,
      })
      .option('seed', {
        type: 'string',
        requiresArg: true,
        coerce: decimalFlag('--seed'),
        describe: 'Seed of the world the caller is drawn from; same seed, same record (default: 1)',
      })
      .option('time', {
        type: 'string',
        describe: 'Event time, ISO 8601 with a zone (default: 2026-11-02T14:03:27Z)',
      })
      .option('error', { type: 'string', describe: 'Make the call fail with this error code' })
      .example(...exampleLines()[0]!)
      .example(...exampleLines()[1]!),
  handler: async (flags) => {
    const scenario = resolveScenario({ seed: flags.seed, events: 0 }, (f) => `--${f}`);
    // Loaded here, not at start-up (see generate.ts).
    const { prepare } = await import('../../pipeline/generate.js');
    const p = prepare(scenario);
    const t = p.templates.find((x) => x.eventName === flags.operation);
    if (!t)
      throw new UsageError('--operation', `unknown operation "${flags.operation}" (see trailsim operations)`);
    if (flags.error && !t.errors.some((e) => e.code === flags.error)) {
      throw new UsageError(
        '--error',
        `${flags.operation} does not return ${flags.error} (it can return ${t.errors.map((e) => e.code).join(', ')})`,
      );
    }
    // Read as generate reads --start: a time without a zone would depend on the machine's zone.
    const time = parseTime(flags.time ?? '2026-11-02T14:03:27Z', '--time');
    const record = p.renderer.renderOne(t.eventName, time, flags.error ? { fail: flags.error } : {});
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  },
};
