import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentLabel } from '../../src/incidents/label.js';
import { buildRun } from '../../src/pipeline/build-run.js';
import { resolveScenario, type ScenarioInput } from '../../src/scenario/scenario.js';
import { DirSink } from '../../src/sinks/dir.js';
import { sha256Hex } from '../../src/shared/hash.js';
import { readLogFiles, scratchFolder } from '../helpers/tree.js';
import { runDetections } from './detections.js';
import { loadPlaybooks } from '../../src/incidents/playbooks.js';
import { defaultTemplateDir, loadTemplates } from '../../src/render/template.js';

const work = scratchFolder('incidents');
const builtInNames = loadPlaybooks([defaultTemplateDir()], loadTemplates([defaultTemplateDir()]))
  .map((p) => p.name)
  .sort();

/** A week in every Region (the leaked key's sweep needs them), light enough for the suite. */
const WEEK: ScenarioInput = {
  seed: 7,
  events: 4000,
  start: '2026-11-02T00:00:00Z',
  end: '2026-11-09T00:00:00Z',
  digests: false,
};

interface Tree {
  dir: string;
  labels: IncidentLabel[];
  manifest: { incidents?: { records: number; labels: string }; files: { key: string; sha256: string }[] };
  /** Every record's JSON text, by eventID. */
  records: Map<string, string>;
}

async function generate(name: string, input: ScenarioInput, workers = 0): Promise<Tree> {
  const dir = join(work, name);
  const scenario = resolveScenario(input, (f) => f);
  const sink = new DirSink(dir, { force: false });
  await buildRun(scenario, { sink, workers }).generate({
    onFinish: (c) =>
      sink.setRunInfo({ seed: scenario.seed, ...(c.incidents ? { incidents: c.incidents } : {}) }),
  });
  const manifest = JSON.parse(readFileSync(join(dir, 'trailsim-manifest.json'), 'utf8')) as Tree['manifest'];
  let labels: IncidentLabel[] = [];
  try {
    labels = readFileSync(join(dir, 'trailsim-labels.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as IncidentLabel);
  } catch {
    labels = [];
  }
  const records = new Map<string, string>();
  for (const f of readLogFiles(dir))
    for (const r of f.records) records.set(String(r.eventID), JSON.stringify(r));
  return { dir, labels, manifest, records };
}

describe('a week with every playbook', async () => {
  const withIncidents = await generate('all', { ...WEEK, incidents: 'default' });
  const background = await generate('none', WEEK);

  it('labels one incident per playbook, each with its records in the tree, on top of --events', () => {
    const { labels, records, manifest } = withIncidents;
    // The built-in playbooks are listed in test/incidents/playbooks.test.ts; one label each here.
    expect(labels.map((l) => l.playbook).sort()).toEqual(builtInNames);
    const labelled = labels.reduce((n, l) => n + l.records, 0);
    expect(records.size).toBe(4000 + labelled);
    expect(manifest.incidents?.records).toBe(labelled);
    for (const l of labels) {
      expect(l.eventIDs).toHaveLength(l.records);
      for (const id of l.eventIDs) expect(records.has(id)).toBe(true);
      for (const id of l.eventIDs) expect(background.records.has(id)).toBe(false);
    }
    // The manifest lists the label file with its hash.
    const entry = manifest.files.find((f) => f.key === 'trailsim-labels.jsonl')!;
    expect(entry.sha256).toBe(sha256Hex(readFileSync(join(withIncidents.dir, 'trailsim-labels.jsonl'))));
  });

  it('gives each incident what its playbook says: a new network, denials across Regions, throttling, root', () => {
    const by = (p: string): IncidentLabel => withIncidents.labels.find((l) => l.playbook === p)!;
    const leaked = by('leaked-access-key');
    expect(leaked.regions.length).toBeGreaterThanOrEqual(5);
    expect(leaked.errors.AccessDeniedException).toBeGreaterThanOrEqual(5);
    expect(leaked.actors[0]!.accessKeyId).toMatch(/^AKIA/);
    expect(leaked.actors[0]!.brought).toEqual(['userAgent', 'network']);
    expect(leaked.changes.length).toBe(3);
    // The intruder's network is no one else's.
    const ips = new Set(leaked.actors[0]!.sourceIPAddresses);
    for (const [, json] of background.records) expect(ips.has(JSON.parse(json).sourceIPAddress)).toBe(false);
    expect(by('runaway-automation').errors.ThrottlingException).toBeGreaterThan(50);
    expect(by('root-console').actors[0]!.type).toBe('Root');
    const role = by('new-role-missing-permissions');
    expect(role.errors.AccessDeniedException).toBeGreaterThanOrEqual(5);
    expect(role.records).toBeGreaterThan(role.errors.AccessDeniedException!);
  });

  it('every detection of examples/detections finds its incident, and the background alone triggers none', async () => {
    const hits = await runDetections(withIncidents.dir);
    const labelOf = (ids: string[]): IncidentLabel | undefined =>
      withIncidents.labels.find((l) => ids.some((id) => l.eventIDs.includes(id)));
    for (const l of withIncidents.labels) {
      const found = (hits[l.playbook] ?? []).some((ids) => labelOf(ids) === l);
      expect(found, `${l.playbook} (${l.id}) found by its detection`).toBe(true);
    }
    const falsePositives = Object.values(hits)
      .flat()
      .filter((ids) => labelOf(ids) === undefined);
    expect(falsePositives).toEqual([]);
    const quiet = await runDetections(background.dir);
    expect(Object.fromEntries(Object.entries(quiet).map(([k, v]) => [k, v.length]))).toEqual(
      Object.fromEntries(Object.keys(quiet).map((k) => [k, 0])),
    );
  }, 120_000);

  it('leaves the background as it was, except where an incident changed the world', () => {
    const changed = withIncidents.labels.flatMap((l) =>
      l.changes.map((c) => ({
        account: l.accountId,
        region: c.split(' ')[1]!.replace(':', ''),
        from: Date.parse(c.split(' ')[0]!),
      })),
    );
    let same = 0;
    for (const [id, json] of background.records) {
      const other = withIncidents.records.get(id);
      if (other === json) {
        same++;
        continue;
      }
      const r = JSON.parse(json) as { recipientAccountId: string; awsRegion: string; eventTime: string };
      const after = changed.some(
        (c) =>
          c.account === r.recipientAccountId && c.region === r.awsRegion && Date.parse(r.eventTime) >= c.from,
      );
      expect(after, `record ${id} changed outside a changed world`).toBe(true);
    }
    // Most of the background is byte for byte the same.
    expect(same / background.records.size).toBeGreaterThan(0.8);
  });
});

describe('incidents that change nothing in the world', () => {
  it('leave every background record byte for byte as it was, with any worker count', async () => {
    const input = { ...WEEK, events: 1500, regions: ['us-east-1', 'eu-west-1'], end: '2026-11-05T00:00:00Z' };
    const plain = await generate('plain', input);
    const names = ['runaway-automation', 'root-console', 'new-role-missing-permissions'];
    const a = await generate('benign-0', { ...input, incidents: names.map((playbook) => ({ playbook })) }, 0);
    const b = await generate('benign-2', { ...input, incidents: names.map((playbook) => ({ playbook })) }, 2);
    expect(a.labels.length).toBe(3);
    for (const [id, json] of plain.records) expect(a.records.get(id)).toBe(json);
    expect(b.manifest.files).toEqual(a.manifest.files);
  }, 120_000);
});
