import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../shared/errors.js';

interface ServeFlags {
  dir: string;
  port: number;
  host: string;
  account?: string;
  bucket?: string;
}

export const serveCommand: CommandModule<object, ServeFlags> = {
  command: 'serve <dir>',
  describe: "Answer CloudTrail's API and a read-only S3 over a generated tree, for the AWS CLI and SDKs",
  builder: (y) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'Root of the tree (the bucket root)',
      })
      .option('port', { type: 'number', default: 9339, describe: 'Port to listen on (0: any free port)' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'Address to listen on; anything but loopback lets other machines read the tree',
      })
      .option('account', {
        type: 'string',
        describe: "Answer LookupEvents and DescribeTrails for this account only (default: every account's)",
      })
      .option('bucket', {
        type: 'string',
        describe: 'Bucket name for a tree without trailsim-manifest.json (default trailsim)',
      })
      .epilogue(
        'It signs nothing and checks no credentials: any access key is accepted, and the Region a request ' +
          'is signed for picks the events LookupEvents returns. Point clients at it with ' +
          'AWS_ENDPOINT_URL=http://127.0.0.1:<port>. Ctrl-C stops it.',
      ) as unknown as Argv<ServeFlags>,
  handler: async (flags) => {
    if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65535)
      throw new UsageError('--port', `${flags.port} is not a port number (0 to 65535)`);
    if (flags.account !== undefined && !/^\d{12}$/.test(flags.account))
      throw new UsageError('--account', `"${flags.account}" is not a 12-digit account ID`);
    const { startServer } = await import('../../serve/server.js');
    const log = (line: string): void => void process.stderr.write(`trailsim serve: ${line}\n`);
    let server;
    try {
      server = await startServer({
        dir: flags.dir,
        host: flags.host,
        port: flags.port,
        accountId: flags.account,
        bucket: flags.bucket,
        log,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
        throw new UsageError(`--host ${flags.host} --port ${flags.port}`, `cannot listen there (${code})`);
      throw err;
    }
    const snap = server.tree.current();
    for (const u of snap.unreadable) log(`${u.key}: ${u.problem} (served as a file, not indexed)`);
    if (snap.facts.noManifest)
      log('no trailsim-manifest.json: digests are served without their signature metadata');
    process.stdout.write(
      `trailsim serve: ${snap.records} records in ${[...snap.logsByRegion.values()].reduce((n, l) => n + l.length, 0)} log files, ` +
        `bucket ${snap.facts.bucket}, at ${server.url}\n` +
        `  AWS_ENDPOINT_URL=${server.url} aws cloudtrail lookup-events --region <region>\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    process.stderr.write('trailsim serve: stopped\n');
  },
};
