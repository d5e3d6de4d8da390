#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../shared/errors.js';
import { checkRepeatedFlags, joinDashValues, listFlags, skipHelpCache, yargsUsageError } from './argv.js';
import { generateCommand } from './commands/generate.js';
import { initCommand } from './commands/init.js';
import { operationsCommand } from './commands/operations.js';
import { reportCommand } from './commands/report.js';
import { sampleCommand } from './commands/sample.js';
import { serveCommand } from './commands/serve.js';
import { statsCommand } from './commands/stats.js';
import { streamCommand } from './commands/stream.js';
import { templatesCommand } from './commands/templates.js';
import { uploadCommand } from './commands/upload.js';
import { validateCommand, ValidationFailed } from './commands/validate.js';
import { helpService } from './default-service.js';

/**
 * The `trailsim` command. Commands are thin: each turns its flags into options for a library
 * function. This is the one place that prints errors and sets the exit code.
 */
export async function main(argv: string[]): Promise<number> {
  let failure: Error | undefined;
  const cli = yargs(joinDashValues(argv))
    .scriptName('trailsim')
    .usage(
      `$0 <command> [options]\n\nSimulated AWS CloudTrail logs for ${helpService().displayName} API calls.`,
    )
    .command(generateCommand)
    .command(operationsCommand)
    .command(sampleCommand)
    .command(uploadCommand)
    .command(streamCommand)
    .command(validateCommand)
    .command(initCommand)
    .command(templatesCommand)
    .command(statsCommand)
    .command(serveCommand)
    .command(reportCommand)
    .demandCommand(1, 'Name a command: trailsim generate, trailsim validate, trailsim stats, ...')
    .recommendCommands()
    .strict()
    .check((argv) => checkRepeatedFlags(argv, listFlags(cli)), true)
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // Throwing stops yargs before any command handler runs.
      throw err ?? yargsUsageError(msg);
    })
    .exitProcess(false);
  skipHelpCache(cli);
  try {
    await cli.parseAsync();
  } catch (err) {
    failure = err as Error;
  }
  if (!failure) return 0;
  // The report is printed already; the exit code says it found problems.
  if (failure instanceof ValidationFailed) return 1;
  if (failure instanceof UsageError) {
    process.stderr.write(`trailsim: ${failure.message}\n`);
    return 2;
  }
  // yargs' own parse errors (unknown flag, missing value) are usage errors too.
  if (failure.name === 'YError') {
    process.stderr.write(`trailsim: ${failure.message.split('\n')[0]}\n`);
    return 2;
  }
  process.stderr.write(
    `trailsim: internal error (a bug, please report it): ${failure.stack ?? failure.message}\n`,
  );
  return 1;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`trailsim: internal error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
