import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { exampleScenario } from '../../scenario/example-scenario.js';
import { scenarioSchemaPath } from '../../schemas/schema-path.js';

/**
 * Writes the commented example scenario to `file`, refusing to replace a file without `force`.
 * Written under a temporary name and renamed, so a reader never sees half of it. Its `$schema`
 * modeline points at the schema of this installation of trailsim, relative to the file (as
 * `node_modules/trailsim/schemas/…` when trailsim is a dependency of the project), which is how
 * editors resolve it.
 *
 * @example writeExampleScenario('scenario.yaml', false)
 */
export function writeExampleScenario(file: string, force: boolean): void {
  if (existsSync(file)) {
    if (statSync(file).isDirectory())
      throw new UsageError(file, 'is a folder; name a file such as scenario.yaml');
    if (!force) throw new UsageError(file, 'already exists; pass --force to replace it');
  }
  const tmp = `${file}.trailsim-${process.pid}.tmp`;
  try {
    writeFileSync(tmp, exampleScenario(schemaRefFrom(dirname(resolve(file)))));
    renameSync(tmp, file);
  } catch (err) {
    throw new UsageError(file, `cannot write here (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** The shipped scenario schema as a path from `folder`, `/`-separated, for a YAML modeline. */
function schemaRefFrom(folder: string): string {
  const ref = relative(folder, scenarioSchemaPath()).split(sep).join('/');
  return ref.startsWith('.') ? ref : `./${ref}`;
}

export const initCommand: CommandModule<object, { file: string; force?: boolean }> = {
  command: 'init [file]',
  describe: 'Write a commented example scenario file',
  builder: (y) =>
    y
      .positional('file', { type: 'string', default: 'scenario.yaml', describe: 'Where to write it' })
      .option('force', { type: 'boolean', describe: 'Replace the file if it exists' })
      .example('$0 init                           # write scenario.yaml in this folder', '')
      .example('$0 init fixtures/ci.yaml --force  # write or replace fixtures/ci.yaml', '') as never,
  handler: (flags) => {
    writeExampleScenario(flags.file, !!flags.force);
    process.stdout.write(`wrote ${flags.file}; run it with: trailsim generate --scenario ${flags.file}\n`);
  },
};
