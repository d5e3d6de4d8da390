import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { trailsimVersion } from '../shared/version.js';
import { collectReport } from './collect-report.js';
import { renderReport } from './render-html.js';

export interface ReportSummary {
  out: string;
  bytes: number;
  records: number;
  files: number;
  digests: number;
}

/**
 * Refuses an output place that cannot take the page, before the tree is read: a folder, or a file
 * in a folder that does not exist.
 */
export function checkReportTarget(out: string): string {
  const path = resolve(out);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError('--out', `${out} is a folder; name the HTML file to write`);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError('--out', `the folder ${dirname(out)} does not exist`);
  return path;
}

/**
 * Builds the report of a tree and writes it to `out`: to a hidden file beside it first, renamed into
 * place when complete, so a failed or interrupted build leaves no partial page and an earlier
 * report stays whole until the new one replaces it.
 *
 * @example await writeReport('out', 'report.html') // { out: '/…/report.html', bytes: 712345, records: 5000, … }
 * @throws UsageError for a bad tree or output place
 */
export async function writeReport(tree: string, out: string): Promise<ReportSummary> {
  const path = checkReportTarget(out);
  const data = await collectReport(tree);
  const html = renderReport(data, trailsimVersion());
  const staging = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    writeFileSync(staging, html);
    renameSync(staging, path);
  } catch (err) {
    rmSync(staging, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError('--out', `cannot write ${out} (${code})`);
  }
  return {
    out: path,
    bytes: Buffer.byteLength(html),
    records: data.records,
    files: data.files,
    digests: data.digestFiles,
  };
}
