import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** The detections of examples/detections, one per playbook, by playbook name. */
export const DETECTIONS_DIR = join(import.meta.dirname, '..', '..', 'examples', 'detections');

/** A detection's hits on a tree: each hit's eventIDs. */
export type Hits = Record<string, string[][]>;

/** Runs every detection over a generated tree in DuckDB, on the view of cloudtrail-view.sql. */
export async function runDetections(tree: string): Promise<Hits> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`SET file_search_path = '${tree.replaceAll("'", "''")}'`);
    await conn.run(readFileSync(join(DETECTIONS_DIR, 'cloudtrail-view.sql'), 'utf8'));
    const hits: Hits = {};
    for (const file of readdirSync(DETECTIONS_DIR)
      .filter((f) => f.endsWith('.sql') && f !== 'cloudtrail-view.sql')
      .sort()) {
      const rows = (
        await conn.runAndReadAll(readFileSync(join(DETECTIONS_DIR, file), 'utf8'))
      ).getRowObjectsJS();
      hits[file.replace(/\.sql$/, '')] = rows.map((r) => (r.eventids as string[]).map(String));
    }
    return hits;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
