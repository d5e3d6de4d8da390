import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeCaseLabel } from '../../src/edge-cases/label.js';
import { EDGE_CASE_KINDS, type EdgeCaseKind } from '../../src/scenario/edge-cases.js';
import { parseTreeKey, type LogKey } from '../../src/validate/tree-key.js';
import { validateTree } from '../../src/validate/validate-tree.js';
import { hashTree, scratchFolder } from '../helpers/tree.js';
import { generateTree, SMALL, type TreeManifest } from './run-tree.js';

// Each case alone in a small run: generated, found where its label says, checked to be what the
// label says, classified by `validate` as labelled, and everything it does not touch unchanged.
const work = scratchFolder('edge-cases');
let baseline: Map<string, string>;

beforeAll(async () => {
  await generateTree(join(work, 'baseline'), SMALL);
  baseline = hashTree(join(work, 'baseline'));
});

const gz = (root: string, key: string): Buffer => gunzipSync(readFileSync(join(root, key)));
const recordsOf = (root: string, key: string): { eventID: string; eventTime: string }[] =>
  (JSON.parse(gz(root, key).toString('utf8')) as { Records: { eventID: string; eventTime: string }[] })
    .Records;
const logKey = (key: string): LogKey => parseTreeKey(key) as LogKey;
const digests = (root: string, m: TreeManifest): { key: string; body: Record<string, unknown> }[] =>
  m.files
    .filter((f) => f.key.includes('/CloudTrail-Digest/'))
    .map((f) => ({
      key: f.key,
      body: JSON.parse(gz(root, f.key).toString('utf8')) as Record<string, unknown>,
    }));
const listing = (root: string, m: TreeManifest, key: string) =>
  digests(root, m).filter((d) => (d.body.logFiles as { s3Object: string }[]).some((f) => f.s3Object === key));
const HOUR = 3_600_000;

/** What each case must look like where its label points; returns the baseline keys it may change. */
const CHECKS: Record<EdgeCaseKind, (root: string, l: EdgeCaseLabel, m: TreeManifest) => string[]> = {
  'duplicate-records': (root, l) => {
    const ids = recordsOf(root, l.key).map((r) => r.eventID);
    expect(ids).toEqual(l.eventIDs);
    const first = recordsOf(root, l.relatedKeys![0]!).map((r) => r.eventID);
    for (const id of ids) expect(first).toContain(id);
    return [];
  },
  'late-file': (root, l, m) => {
    const newest = Math.max(...recordsOf(root, l.key).map((r) => Date.parse(r.eventTime)));
    expect(logKey(l.key).minute - newest).toBeGreaterThanOrEqual(3 * HOUR - 5 * 60_000);
    // Not where it was first due; listed once, by a digest that starts after its events' hour.
    const old = l.relatedKeys![0]!;
    expect(existsSync(join(root, old))).toBe(false);
    const [d, ...more] = listing(root, m, l.key);
    expect(more).toEqual([]);
    expect(Date.parse(d!.body.digestStartTime as string)).toBeGreaterThan(logKey(old).minute);
    return [old];
  },
  'old-events': (root, l) => {
    for (const r of recordsOf(root, l.key))
      expect(logKey(l.key).minute - Date.parse(r.eventTime)).toBeGreaterThanOrEqual(30 * HOUR);
    // Taken out of the file that should have held them.
    const rest = recordsOf(root, l.relatedKeys![0]!).map((r) => r.eventID);
    for (const id of l.eventIDs) expect(rest).not.toContain(id);
    return [l.relatedKeys![0]!];
  },
  'burst-file': (root, l) => {
    expect(recordsOf(root, l.key)).toHaveLength(8000);
    expect(gz(root, l.key).length).toBeGreaterThan(10_000_000);
    return [];
  },
  'out-of-order': (root, l) => {
    const times = recordsOf(root, l.key).map((r) => r.eventTime);
    expect(times).not.toEqual([...times].sort());
    return [l.key];
  },
  'day-boundary': (root, l) => {
    const k = logKey(l.key);
    const midnight = Date.UTC(2026, 10, 2);
    expect(l.key).toContain('/2026/11/02/');
    expect(k.minute - midnight).toBeLessThan(5 * 60_000);
    for (const r of recordsOf(root, l.key)) expect(Date.parse(r.eventTime)).toBeLessThan(midnight);
    expect(l.what).toContain('America/Los_Angeles');
    return [l.relatedKeys![0]!];
  },
  'truncated-gzip': (root, l) => {
    expect(() => gz(root, l.key)).toThrow();
    return [l.key];
  },
  'not-gzip': (root, l) => {
    const bytes = readFileSync(join(root, l.key));
    expect(bytes[0]).not.toBe(0x1f);
    expect((JSON.parse(bytes.toString('utf8')) as { Records: unknown[] }).Records).toHaveLength(l.records);
    return [l.key];
  },
  'invalid-json': (root, l) => {
    expect(() => JSON.parse(gz(root, l.key).toString('utf8'))).toThrow();
    return [l.key];
  },
  'empty-records': (root, l) => {
    expect(JSON.parse(gz(root, l.key).toString('utf8'))).toEqual({ Records: [] });
    return [l.key];
  },
  'no-records': (root, l) => {
    expect(JSON.parse(gz(root, l.key).toString('utf8'))).not.toHaveProperty('Records');
    return [l.key];
  },
  'zero-byte': (root, l) => {
    expect(readFileSync(join(root, l.key))).toHaveLength(0);
    return [l.key];
  },
  'missing-digest': (root, l, m) => {
    expect(existsSync(join(root, l.key))).toBe(false);
    const next = digests(root, m).filter((d) => d.body.previousDigestS3Object === l.key);
    expect(next).toHaveLength(1);
    return [l.key];
  },
  'bad-signature': (root, l, m) => {
    const entry = m.files.find((f) => f.key === l.key)!;
    const before = JSON.parse(
      readFileSync(join(work, 'baseline', 'trailsim-manifest.json'), 'utf8'),
    ) as TreeManifest;
    const good = before.files.find((f) => f.key === l.key)!;
    expect(entry.metadata!.signature).not.toBe(good.metadata!.signature);
    expect(entry.sha256).toBe(good.sha256);
    return [];
  },
  'missing-log-file': (root, l, m) => {
    expect(existsSync(join(root, l.key))).toBe(false);
    expect(listing(root, m, l.key)).toHaveLength(1);
    return [l.key];
  },
  'bad-key': (root, l) => {
    expect(typeof parseTreeKey(l.key)).toBe('string');
    expect(readFileSync(join(root, l.key))).toEqual(readFileSync(join(root, l.relatedKeys![0]!)));
    return [];
  },
};

describe.each(EDGE_CASE_KINDS.map((k) => [k.kind, k] as const))('edge case %s', (kind, meta) => {
  it('is injected once, found where its label says, labelled, and classified by validate', async () => {
    const root = join(work, kind);
    const options = kind === 'burst-file' ? { count: 1, records: 8000 } : { count: 1 };
    const m = await generateTree(root, { ...SMALL, edgeCases: { cases: { [kind]: options } } });
    const report = m.edgeCases!;
    expect(report.requested).toEqual({ [kind]: 1 });
    expect(report.injected).toEqual({ [kind]: 1 });
    const [label, ...others] = report.labels;
    expect(others).toEqual([]);
    expect(label).toMatchObject({ kind, action: meta.action, realistic: meta.realistic });
    if (!kind.includes('digest') && kind !== 'bad-signature' && kind !== 'burst-file')
      expect(label!.eventIDs.length).toBeGreaterThan(0);
    const changed = CHECKS[kind](root, label!, m);

    const v = validateTree(root);
    const about = v.findings.filter(
      (f) => f.file === label!.key && f.message.startsWith(`labelled ${kind} `),
    );
    expect(about).toHaveLength(1);
    if (meta.realistic) {
      expect(v.problems, JSON.stringify(v.findings.filter((f) => f.severity === 'problem'))).toBe(0);
      expect(about[0]!.severity).toBe('info');
    } else {
      // One problem, the label's own line; validate's checks saw the object (notes naming it).
      expect(v.findings.filter((f) => f.severity === 'problem')).toEqual(about);
      expect(about[0]!.message).toMatch(/; \d+ findings above$/);
      expect(v.findings.some((f) => f.severity === 'info' && f.message.includes(`(labelled ${kind}: `))).toBe(
        true,
      );
    }

    // Everything the case does not touch is what the run without it wrote. Digests are signed in a
    // chain, so a case delivered before the digest stage changes its chain's digests from its hour on.
    const after = hashTree(root);
    const deliveryCase = meta.realistic;
    for (const [key, sha] of baseline) {
      if (key === 'trailsim-manifest.json' || changed.includes(key)) continue;
      if (deliveryCase && key.includes('/CloudTrail-Digest/')) continue;
      expect(after.get(key), key).toBe(sha);
    }
  });
});
