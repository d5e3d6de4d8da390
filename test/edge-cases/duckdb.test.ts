import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeCaseReport } from '../../src/edge-cases/label.js';
import type { ScenarioInput } from '../../src/scenario/scenario.js';
import { EDGE_CASE_KINDS } from '../../src/scenario/edge-cases.js';
import { scratchFolder } from '../helpers/tree.js';
import { generateTree, SMALL } from './run-tree.js';

const work = scratchFolder('edge-cases-duckdb');

/**
 * The query of docs/edge-cases.md: the log files the manifest (or each shard's) lists, less the
 * keys it says to skip, read by DuckDB. A broken object is never opened.
 */
const READABLE_RECORDS_SQL = `
SET VARIABLE readable = (
  SELECT list(f.key)
  FROM (SELECT unnest(files) AS f, CAST(edgeCases.skipKeys AS VARCHAR[]) AS skip
        FROM read_json('trailsim-manifest*.json'))
  WHERE f.key LIKE '%/CloudTrail/%.json.gz' AND NOT list_contains(skip, f.key)
);
SELECT count(*) AS records, count(DISTINCT r->>'eventID') AS ids
FROM (SELECT unnest(Records) AS r
      FROM read_json(getvariable('readable'), columns = {Records: 'JSON[]'},
                     maximum_object_size = 104857600));`;

const cases = Object.fromEntries(EDGE_CASE_KINDS.map((k) => [k.kind, { count: 1 }]));
const EVERY_CASE: ScenarioInput = {
  ...SMALL,
  events: 1500,
  regions: ['us-east-1', 'eu-west-1'],
  edgeCases: { cases: { ...cases, 'burst-file': { count: 1, records: 3000 } } },
};

/** The documented query's counts, run in `root`. */
async function readableRecords(root: string): Promise<{ records: number; ids: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`SET file_search_path = '${root.replaceAll("'", "''")}'`);
  const [setVariable, select] = READABLE_RECORDS_SQL.split(';').filter((s) => s.trim());
  await conn.run(setVariable!);
  const rows = (await conn.runAndReadAll(select!)).getRowObjectsJS() as { records: bigint; ids: bigint }[];
  conn.closeSync();
  instance.closeSync();
  return { records: Number(rows[0]!.records), ids: Number(rows[0]!.ids) };
}

describe('a tree with every edge case, read by DuckDB', () => {
  let report: EdgeCaseReport;
  beforeAll(async () => {
    report = (await generateTree(join(work, 'all'), EVERY_CASE)).edgeCases!;
  });

  it('reads every readable record, skipping the broken objects by the documented query', async () => {
    expect(Object.keys(report.injected)).toHaveLength(EDGE_CASE_KINDS.length);
    const got = await readableRecords(join(work, 'all'));
    expect(got.records).toBe(report.readableRecords);
    // Duplicates are the only records read twice.
    const duplicated = report.labels.find((l) => l.kind === 'duplicate-records')!.eventIDs.length;
    expect(got.ids).toBe(report.readableRecords - duplicated);
    // The readable count is what the run rendered, less what the broken and missing files held,
    // plus the burst and the duplicates.
    const lost = report.labels
      .filter((l) => !l.realistic && l.kind !== 'bad-key' && !l.key.includes('/CloudTrail-Digest/'))
      .reduce((n, l) => n + l.records, 0);
    expect(report.readableRecords).toBe(1500 - lost + 3000 + duplicated);
  });

  it('reads the shards of the run in one folder as the run, by the same query (their manifests together)', async () => {
    const root = join(work, 'shards');
    for (const index of [1, 0]) await generateTree(root, EVERY_CASE, { index, count: 2 });
    const duplicated = report.labels.find((l) => l.kind === 'duplicate-records')!.eventIDs.length;
    expect(await readableRecords(root)).toEqual({
      records: report.readableRecords,
      ids: report.readableRecords - duplicated,
    });
  });
});
