import type { Argv, CommandModule } from 'yargs';
import type { Finding } from '../../validate/validate-tree.js';

export interface ValidateFlags {
  dir: string;
  'public-key'?: string;
  quiet: boolean;
}

/** Exit code of a validation: set by the handler, read by main (only the entry point exits). */
export class ValidationFailed extends Error {
  override readonly name = 'ValidationFailed';
}

function line(f: Finding): string {
  return `${f.severity === 'problem' ? '' : `${f.severity}: `}${f.file}: ${f.message}\n`;
}

export const validateCommand: CommandModule<object, ValidateFlags> = {
  command: 'validate <dir>',
  describe: 'Check a tree of CloudTrail log and digest files as a careful consumer would',
  builder: (y) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'Root of the tree (the bucket root)',
      })
      .option('public-key', {
        type: 'string',
        describe:
          'Public key for digest signatures: PEM, or a ListPublicKeys JSON body (default: trailsim-public-keys.json in the tree)',
      })
      .option('quiet', {
        type: 'boolean',
        default: false,
        describe: 'Print only problems and the summary',
      })
      .example('$0 validate out                                    # check what trailsim generate wrote', '')
      .example(
        '$0 validate ./bucket --public-key key.pem --quiet  # a synced trail, only its problems',
        '',
      ) as unknown as Argv<ValidateFlags>,
  handler: async (flags) => {
    // The schema validator (ajv) loads here, not at start-up (see generate.ts).
    const { validateTree } = await import('../../validate/validate-tree.js');
    const report = validateTree(flags.dir, {
      publicKey: flags['public-key'],
      onFinding: (f) => {
        if (f.severity === 'problem' || !flags.quiet) process.stdout.write(line(f));
      },
    });
    process.stdout.write(
      `${report.problems === 0 ? 'valid' : 'INVALID'}: ${report.logFiles} log files (${report.records} records), ` +
        `${report.digests} digests (${report.signaturesVerified} signatures verified): ` +
        `${report.problems} problems, ${report.warnings} warnings` +
        `${report.infos > 0 ? `, ${report.infos} notes on labelled edge cases` : ''}` +
        `${report.incidents ? `; ${report.incidents.incidents} labelled incidents (${report.incidents.records} records)` : ''}\n`,
    );
    if (report.problems > 0) throw new ValidationFailed(`${report.problems} problems`);
  },
};
