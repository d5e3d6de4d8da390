import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateLogFiles, prepare } from '../../src/pipeline/generate.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { scratchFolder } from '../helpers/tree.js';

/**
 * A second service proves that a service is data: examples/templates/sns/ is a service folder of
 * its own (service.json with one entity, the topic, and four operations). A run with it names only
 * topics that exist, with no code that knows SNS.
 */
const SNS = resolve(import.meta.dirname, '../../examples/templates/sns');
const work = scratchFolder('second-service');

interface Rec {
  eventTime: string;
  eventName: string;
  eventSource: string;
  errorCode?: string;
  recipientAccountId: string;
  awsRegion: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
}

function snsRecords(seed: number): Rec[] {
  const scenario = resolveScenario({
    seed,
    events: 20_000,
    start: '2026-11-02T00:00:00Z',
    end: '2026-11-05T00:00:00Z',
    regions: ['us-east-1', 'eu-west-1'],
    templates: [SNS],
  });
  const out: Rec[] = [];
  for (const file of generateLogFiles(prepare(scenario))) {
    const body = JSON.parse(gunzipSync(file.body).toString('utf8')) as { Records: Rec[] };
    out.push(...body.Records.filter((r) => r.eventSource === 'sns.amazonaws.com'));
  }
  return out.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
}

describe('a second service, from its folder alone', () => {
  const records = snsRecords(Number(process.env.TRAILSIM_SEED ?? 3));
  const time = (r: Rec): number => Date.parse(r.eventTime);
  const created = new Map<string, number>();
  const deleted = new Map<string, number>();
  for (const r of records) {
    if (r.eventName === 'CreateTopic') created.set(String(r.responseElements?.topicArn), time(r));
    if (r.eventName === 'DeleteTopic' && !r.errorCode)
      deleted.set(String(r.requestParameters?.topicArn), time(r));
  }

  it('creates topics, reads them and deletes some', () => {
    expect(created.size).toBeGreaterThan(1);
    expect(deleted.size).toBeGreaterThan(0);
    expect(
      records.filter((r) => r.eventName === 'GetTopicAttributes' && !r.errorCode).length,
    ).toBeGreaterThan(10);
  });

  it('creates each topic under the name its ARN ends with, in the account and Region of the call', () => {
    for (const r of records.filter((x) => x.eventName === 'CreateTopic')) {
      expect(r.responseElements?.topicArn).toBe(
        `arn:aws:sns:${r.awsRegion}:${r.recipientAccountId}:${String(r.requestParameters?.name)}`,
      );
    }
  });

  it('names a topic only after the call that created it and never after the one that deleted it', () => {
    let checked = 0;
    for (const r of records) {
      if (r.errorCode || !r.requestParameters?.topicArn || r.eventName === 'CreateTopic') continue;
      const arn = String(r.requestParameters.topicArn);
      const born = created.get(arn);
      expect(born, `${r.eventName} ${arn} at ${r.eventTime}: never created`).toBeDefined();
      expect(time(r), `${r.eventName} ${arn} before its creation`).toBeGreaterThan(born!);
      const gone = deleted.get(arn);
      if (gone !== undefined && r.eventName !== 'DeleteTopic')
        expect(time(r), `${r.eventName} ${arn} after its deletion`).toBeLessThan(gone);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('names a topic that does not exist when the call fails because it does not', () => {
    const missing = records.filter((r) => r.errorCode === 'ResourceNotFoundException');
    for (const r of missing) {
      const arn = String(r.requestParameters?.topicArn);
      const born = created.get(arn);
      const gone = deleted.get(arn);
      const exists = born !== undefined && born < time(r) && (gone === undefined || time(r) < gone);
      expect(exists, `${arn} exists at ${r.eventTime}`).toBe(false);
    }
  });
});

describe('a broken service folder', () => {
  /** A copy of the SNS folder with one file changed by `edit`. */
  function broken(name: string, file: string, edit: (json: Record<string, unknown>) => void): string {
    const dir = join(work, name);
    cpSync(SNS, dir, { recursive: true });
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    edit(json);
    writeFileSync(join(dir, file), JSON.stringify(json, null, 2));
    return dir;
  }

  /** The one-line error a run of the folder fails with at load. */
  function loadError(dir: string): string {
    try {
      prepare(resolveScenario({ seed: 1, events: 10, templates: [dir] }));
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      return message;
    }
    throw new Error('the folder loaded');
  }

  it.each([
    [
      'a template that reads an unknown entity kind',
      'GetTopicAttributes.json',
      (j: Record<string, unknown>) => (j.requestParameters = { topicArn: { $ref: 'topik.arn' } }),
      '/requestParameters/topicArn/$ref: unknown entity kind "topik"',
    ],
    [
      'a template that reads a field its entity does not have',
      'GetTopicAttributes.json',
      (j: Record<string, unknown>) => (j.resource = 'arn:{topic.owner}'),
      '/resource: topic has no field "owner"',
    ],
    [
      'a template that requires an unknown entity kind',
      'GetTopicAttributes.json',
      (j: Record<string, unknown>) => (j.requires = ['foo']),
      '/requires/0: unknown entity kind "foo"',
    ],
    [
      'a template that $samples a field that is not a list',
      'GetTopicAttributes.json',
      (j: Record<string, unknown>) => (j.requestParameters = { topicArn: { $sample: 'topic.arn' } }),
      '/requestParameters/topicArn/$sample: "topic.arn" is not a list',
    ],
    [
      'a planned change of an unknown entity kind',
      'service.json',
      (j: Record<string, unknown>) => ((j.changes as Record<string, unknown>[])[0]!.entity = 'topik'),
      '/changes/0/entity: unknown entity kind "topik"',
    ],
    [
      'a planned change of an event its entity does not declare',
      'service.json',
      (j: Record<string, unknown>) =>
        ((j.changes as Record<string, unknown>[])[0]!.undo = { event: 'purge', p: 1 }),
      '/changes/0/undo/event: topic has no event "purge"',
    ],
    [
      'a field spec with an unknown placeholder',
      'service.json',
      (j: Record<string, unknown>) =>
        ((j.changes as { fields: Record<string, unknown> }[])[0]!.fields.arn =
          'arn:aws:sns:{region}:{owner}'),
      '/changes/0/fields/arn: unknown placeholder {owner}',
    ],
    [
      'a duty naming an operation that has no template',
      'service.json',
      (j: Record<string, unknown>) => (j.duties = { reader: ['ListTopics', 'ListSubscriptions'] }),
      '/duties/reader/1: operation "ListSubscriptions" has no template of sns.amazonaws.com',
    ],
    [
      "a cast archetype's poll naming an operation that has no template",
      'service.json',
      (j: Record<string, unknown>) =>
        (j.cast = {
          dashboard: { workloadPolls: [{ everyMinutes: [15], operations: ['ListSubscriptions'] }] },
        }),
      '/cast/dashboard/workloadPolls/0/operations/0: operation "ListSubscriptions" has no template of sns.amazonaws.com',
    ],
    [
      'a help example naming an operation that has no template',
      'service.json',
      (j: Record<string, unknown>) =>
        (j.examples = { operation: 'ListTopics', failing: { operation: 'GetTopic', error: 'NotFound' } }),
      '/examples/failing/operation: operation "GetTopic" has no template of sns.amazonaws.com',
    ],
    [
      'a schedule with a bad period',
      'service.json',
      (j: Record<string, unknown>) =>
        (j.schedules = [{ name: 'sweep', operations: ['ListTopics'], every: ['every 10 minutes'] }]),
      '/schedules/0/every/0: must match pattern',
    ],
  ])('fails at load on %s, naming the file and JSON path', (_what, file, edit, message) => {
    const dir = broken(file.replace('.json', '') + message.split(':')[0]!.replace(/\W+/g, '-'), file, edit);
    expect(loadError(dir)).toContain(`${join(dir, file)}: ${message}`);
  });
});
