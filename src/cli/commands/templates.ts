import type { Argv, CommandModule } from 'yargs';

const checkCommand: CommandModule<object, { dir: string; json?: boolean }> = {
  command: 'check <dir>',
  describe: 'Validate a folder of templates (schema, generator names, references)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Template folder' })
      .option('json', { type: 'boolean', describe: 'Print what was found as JSON' })
      .example('$0 templates check examples/templates   # check a folder of templates', '')
      .example('$0 templates check my-templates --json  # what was found, as JSON', '') as never,
  handler: async (flags) => {
    // Loaded here, not at start-up (see generate.ts).
    const { checkTemplateFolder } = await import('../../render/template-check.js');
    const found = checkTemplateFolder(flags.dir);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(found)}\n`);
      return;
    }
    const lines = found.map(
      (t) =>
        `  ${t.eventSource} ${t.eventName} (${t.readOnly ? 'read-only' : 'write'}${t.overrides ? ', overrides the built-in template' : ''})  ${t.file}`,
    );
    process.stdout.write(`${flags.dir}: ${found.length} template(s) OK\n${lines.join('\n')}\n`);
  },
};

export const templatesCommand: CommandModule = {
  command: 'templates <command>',
  describe: 'Work with operation templates (trailsim templates check <dir>)',
  builder: (y: Argv) =>
    y.command(checkCommand).demandCommand(1, 'Name a subcommand: trailsim templates check <dir>'),
  handler: () => {},
};
