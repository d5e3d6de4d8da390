import type { CommandModule } from 'yargs';

export const operationsCommand: CommandModule<object, { templates?: string[]; json: boolean }> = {
  command: 'operations',
  describe: 'List the operations trailsim renders, with readOnly and weight',
  builder: (y) =>
    y
      .option('templates', { type: 'string', array: true, describe: 'Extra template folders' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .example(
        "$0 operations                                  # the default service's operations and their shares",
        '',
      )
      .example('$0 operations --templates my-templates --json  # with your own templates, as JSON', ''),
  handler: async (flags) => {
    // Loaded here, not at start-up (see generate.ts).
    const { defaultTemplateDir, loadTemplates } = await import('../../render/template.js');
    const templates = loadTemplates([defaultTemplateDir(), ...(flags.templates ?? [])]);
    const total = templates.reduce((s, t) => s + t.weight, 0);
    if (flags.json) {
      const rows = templates.map((t) => ({
        eventSource: t.eventSource,
        eventName: t.eventName,
        readOnly: t.readOnly,
        weight: t.weight,
      }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const width = Math.max(...templates.map((t) => t.eventName.length));
    process.stdout.write(`${'operation'.padEnd(width)}  readOnly  weight  share\n`);
    for (const t of templates) {
      const share = total > 0 ? ((100 * t.weight) / total).toFixed(1) : '0.0';
      process.stdout.write(
        `${t.eventName.padEnd(width)}  ${String(t.readOnly).padEnd(8)}  ${String(t.weight).padStart(6)}  ${share.padStart(4)}%\n`,
      );
    }
    process.stdout.write(`${templates.length} operations\n`);
  },
};
