import { expect } from 'vitest';
import { readLogFiles, runCli } from '../cli/cli.js';
import { listFiles } from './tree.js';

/** Counts of a tree taken straight from its files, to hold `trailsim report`'s page against. */
export interface TreeCounts {
  records: number;
  files: number;
  digests: number;
  errors: number;
  denied: number;
  principals: number;
  operations: Map<string, { count: number; errors: number }>;
  regions: Map<string, number>;
  accounts: Map<string, number>;
  /** Records per UTC hour, keyed `YYYY-MM-DDTHH`. */
  hours: Map<string, number>;
}

/** Generates a tree with `args` into `out` and counts it by reading every log file. */
export async function generateAndCount(out: string, args: string[]): Promise<TreeCounts> {
  const r = await runCli(['generate', ...args, '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  const c: TreeCounts = {
    records: 0,
    files: 0,
    digests: listFiles(out).filter((k) => k.includes('/CloudTrail-Digest/')).length,
    errors: 0,
    denied: 0,
    principals: 0,
    operations: new Map(),
    regions: new Map(),
    accounts: new Map(),
    hours: new Map(),
  };
  const principals = new Set<string>();
  const add = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const f of readLogFiles(out)) {
    c.files++;
    for (const rec of f.body.Records as {
      eventName: string;
      eventTime: string;
      awsRegion: string;
      recipientAccountId: string;
      errorCode?: string;
      userIdentity: {
        type: string;
        arn?: string;
        invokedBy?: string;
        sessionContext?: { sessionIssuer?: { arn?: string } };
      };
    }[]) {
      c.records++;
      const op = c.operations.get(rec.eventName) ?? { count: 0, errors: 0 };
      op.count++;
      if (rec.errorCode) {
        op.errors++;
        c.errors++;
        if (rec.errorCode.startsWith('AccessDenied')) c.denied++;
      }
      c.operations.set(rec.eventName, op);
      add(c.regions, rec.awsRegion);
      add(c.accounts, rec.recipientAccountId);
      add(c.hours, rec.eventTime.slice(0, 13));
      const u = rec.userIdentity;
      principals.add(u.sessionContext?.sessionIssuer?.arn ?? u.arn ?? u.invokedBy ?? `(${u.type})`);
    }
  }
  c.principals = principals.size;
  return c;
}

/** The data a report page embeds, read back from its HTML. */
export function embeddedData<T = Record<string, unknown>>(html: string): T {
  const m = /<script type="application\/json" id="trailsim-data">(.*?)<\/script>/s.exec(html);
  expect(m, 'the page embeds its data').not.toBeNull();
  return JSON.parse(m![1]!) as T;
}
