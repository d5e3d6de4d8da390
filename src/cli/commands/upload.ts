import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { readGeneratedTree, uploadTree } from '../../pipeline/upload.js';
import { isS3Url, parseS3Url } from '../../sinks/s3-url.js';
import { openSink, s3Options, type DeliveryFlags } from '../output.js';

interface UploadFlags extends DeliveryFlags {
  dir: string;
  destination: string;
}

/** The trail a generated folder was made for, from its manifest, to warn when digests will not match. */
function trailOf(info: Record<string, unknown>): { bucket?: string; prefix?: string } {
  const scenario = info.scenario as { trail?: { bucket?: string; prefix?: string } } | undefined;
  return scenario?.trail ?? {};
}

export const uploadCommand: CommandModule<object, UploadFlags> = {
  command: 'upload <dir> <destination>',
  describe: 'Upload a folder written by trailsim generate to s3://bucket/prefix, metadata included',
  builder: (y) =>
    s3Options(y)
      .positional('dir', {
        type: 'string',
        describe: 'Folder written by trailsim generate',
        demandOption: true,
      })
      .positional('destination', { type: 'string', describe: 's3://bucket/prefix', demandOption: true })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Replace an earlier trailsim run under the prefix',
      })
      .example(
        '$0 upload out s3://my-bucket                                               # upload out/ to the root of a bucket',
        '',
      )
      .example(
        '$0 upload out s3://test-bucket/trail --endpoint-url http://127.0.0.1:9000  # to MinIO or LocalStack',
        '',
      ) as unknown as Argv<UploadFlags>,
  handler: async (flags) => {
    if (!isS3Url(flags.destination))
      throw new UsageError('<destination>', `"${flags.destination}" is not an s3://bucket/prefix URL`);
    const location = parseS3Url(flags.destination, '<destination>');
    const tree = readGeneratedTree(flags.dir);
    const sink = await openSink(
      { ...flags, out: flags.destination, format: 'cloudtrail' },
      { kind: 's3', location },
      { live: false, trailBucket: location.bucket },
    );
    sink.setRunInfo(tree.runInfo);
    const keyFor = (key: string): string => (location.prefix ? `${location.prefix}/${key}` : key);
    const s = await uploadTree(tree, sink, keyFor);
    const trail = trailOf(tree.runInfo);
    if (trail.bucket !== undefined && (trail.bucket !== location.bucket || location.prefix !== ''))
      process.stderr.write(
        `trailsim: note: the digests name bucket ${trail.bucket} and keys relative to it; ` +
          `validate-logs will only accept them at s3://${trail.bucket}/\n`,
      );
    process.stdout.write(`uploaded ${s.objects} objects, ${s.bytes} bytes to ${sink.where}\n`);
  },
};
