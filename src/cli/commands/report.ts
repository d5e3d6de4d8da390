import type { Argv, CommandModule } from 'yargs';

export interface ReportFlags {
  dir: string;
  out: string;
  quiet: boolean;
}

export const reportCommand: CommandModule<object, ReportFlags> = {
  command: 'report <dir>',
  describe: 'Write one self-contained HTML page of charts about a tree of CloudTrail files',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding AWSLogs/' })
      .option('out', { type: 'string', default: 'report.html', describe: 'The HTML file to write' })
      .option('quiet', {
        type: 'boolean',
        default: false,
        describe: 'Print nothing',
      }) as unknown as Argv<ReportFlags>,
  handler: async (flags) => {
    const { writeReport } = await import('../../report/write-report.js');
    const began = performance.now();
    const s = await writeReport(flags.dir, flags.out);
    if (flags.quiet) return;
    const kb = Math.round(s.bytes / 1024);
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    process.stdout.write(
      `trailsim: wrote ${s.out} (${kb} KB): ${s.records} records in ${s.files} log files, ${s.digests} digests, in ${seconds} s\n`,
    );
  },
};
