import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateLogFiles, prepare, type Prepared } from '../../src/pipeline/generate.js';
import { resolveScenario, type ScenarioInput } from '../../src/scenario/scenario.js';

/** A CloudTrail record as the tests read it back. */
export type TrailRecord = Record<string, unknown> & {
  eventVersion: string;
  eventTime: string;
  eventName: string;
  awsRegion: string;
  recipientAccountId: string;
  sourceIPAddress: string;
  userAgent: string;
  userIdentity: Record<string, unknown> & { type: string };
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
};

export interface Run {
  prepared: Prepared;
  records: TrailRecord[];
}

/** The week the realism tests read: the default demo scenario over seven days. */
export const WEEK: ScenarioInput = {
  seed: 7,
  start: '2026-11-02T00:00:00Z',
  end: '2026-11-09T00:00:00Z',
  events: 20_000,
};

/**
 * Generates a run through the library into a temporary folder, as a trail would deliver it, and
 * reads every record back from the gzipped files.
 */
export function generateRun(input: ScenarioInput): Run {
  const prepared = prepare(resolveScenario(input));
  const dir = mkdtempSync(join(tmpdir(), 'trailsim-realism-'));
  try {
    for (const file of generateLogFiles(prepared)) {
      const path = join(dir, file.key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.body);
    }
    const records: TrailRecord[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.json.gz') && p.includes('/CloudTrail/'))
          records.push(
            ...(JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')) as { Records: TrailRecord[] })
              .Records,
          );
      }
    };
    walk(dir);
    return { prepared, records };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Epoch ms of a record's eventTime. */
export const timeOf = (r: { eventTime: string }): number => Date.parse(r.eventTime);

/**
 * Who made a call, for counting work per principal: the role for assumed roles (its
 * `sessionIssuer.arn`, so all sessions of a role count as one), the ARN for IAM users, federated
 * users and root, and the service for AWS services.
 */
export function actorOf(r: TrailRecord): string {
  const id = r.userIdentity;
  if (id.type === 'AssumedRole') {
    const ctx = id.sessionContext as { sessionIssuer: { arn: string } };
    return ctx.sessionIssuer.arn;
  }
  return String(id.arn ?? id.invokedBy);
}
