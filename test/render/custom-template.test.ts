import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateLogFiles, prepare } from '../../src/pipeline/generate.js';
import { checkTemplateFolder } from '../../src/render/template-check.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { validateLogFile, validateRecord } from '../../src/shared/schema-validator.js';
import { runCli } from '../cli/cli.js';
import { scratchFolder } from '../helpers/tree.js';

const EXAMPLES = resolve(import.meta.dirname, '../../examples/templates');
const work = scratchFolder('custom');

type Rec = Record<string, unknown> & {
  userIdentity: { arn?: string };
  tlsDetails?: { clientProvidedHostHeader: string };
  requestParameters: Record<string, unknown> | null;
};

function recordsOf(seed: number, errorRate: number): Rec[] {
  const scenario = resolveScenario({
    seed,
    events: 3000,
    regions: ['eu-west-1', 'ap-southeast-2'],
    errorRate,
    templates: [EXAMPLES],
  });
  const out: Rec[] = [];
  for (const file of generateLogFiles(prepare(scenario))) {
    const body = JSON.parse(gunzipSync(file.body).toString('utf8')) as { Records: Rec[] };
    expect(validateLogFile(body)).toEqual([]);
    out.push(...body.Records);
  }
  return out;
}

describe('a custom template of another service', () => {
  const records = recordsOf(Number(process.env.TRAILSIM_SEED ?? 5), 0.2);
  const sns = records.filter((r) => r.eventSource === 'sns.amazonaws.com');
  const cfn = records.filter((r) => r.eventSource === 'cloudformation.amazonaws.com');

  it('produces records of that service, valid CloudTrail records', () => {
    expect(sns.length).toBeGreaterThan(20);
    expect(cfn.length).toBeGreaterThan(20);
    for (const r of [...sns, ...cfn]) expect(validateRecord(r)).toEqual([]);
    expect(new Set(sns.map((r) => r.eventName))).toEqual(
      new Set(['CreateTopic', 'DeleteTopic', 'GetTopicAttributes', 'ListTopics']),
    );
    expect(new Set(cfn.map((r) => r.eventName))).toEqual(new Set(['ListStacks']));
  });

  it('names the topic of the account and Region the call went to', () => {
    for (const r of sns.filter((x) => x.requestParameters?.topicArn !== undefined)) {
      expect(r.requestParameters?.topicArn).toMatch(
        new RegExp(`^arn:aws:sns:${String(r.awsRegion)}:${String(r.recipientAccountId)}:[\\w-]+$`),
      );
    }
  });

  it('reaches the service endpoint of the template, not DevOps Guru', () => {
    const withTls = [...sns, ...cfn].filter((r) => r.tlsDetails);
    expect(withTls.length).toBeGreaterThan(10);
    for (const r of withTls) {
      const service = String(r.eventSource).replace('.amazonaws.com', '');
      expect(r.tlsDetails!.clientProvidedHostHeader).toBe(`${service}.${String(r.awsRegion)}.amazonaws.com`);
    }
  });

  it('names its own service in CLI and SDK user agents', () => {
    for (const r of [...sns, ...cfn]) expect(r.userAgent).not.toContain('devops-guru');
    const service = (r: Rec) => String(r.eventSource).replace('.amazonaws.com', '');
    const named = [...sns, ...cfn].filter((r) => /md\/command#|api\//.test(String(r.userAgent)));
    expect(named.length).toBeGreaterThan(5);
    for (const r of named)
      expect(String(r.userAgent)).toMatch(new RegExp(`(md/command#|api/)${service(r)}[.#]`, 'i'));
  });

  it('fails with the errors of its template, naming its own service in AccessDenied', () => {
    // Whether a call is denied follows from the principals' policies: a denial asked for shows the
    // wording on any seed; those of the run, if any, must read the same.
    const p = prepare(resolveScenario({ seed: 5, events: 100, templates: [EXAMPLES] }));
    const asked = p.renderer.renderOne('GetTopicAttributes', Date.parse('2026-11-03T10:00:00Z'), {
      fail: 'AccessDeniedException',
    }) as Rec;
    const denied = [asked, ...sns.filter((r) => r.errorCode === 'AccessDeniedException')];
    for (const r of denied) {
      expect(r.errorMessage).toContain(
        `sns:GetTopicAttributes on resource: ${String(r.requestParameters?.topicArn)}`,
      );
    }
    for (const r of cfn.filter((x) => x.errorCode)) {
      expect(['AccessDeniedException', 'ThrottlingException']).toContain(r.errorCode);
    }
  });
});

describe('trailsim templates check', () => {
  it('lists what a good folder holds', async () => {
    expect(checkTemplateFolder(EXAMPLES).map((t) => `${t.eventSource} ${t.eventName}`)).toEqual([
      'cloudformation.amazonaws.com ListStacks',
      'sns.amazonaws.com CreateTopic',
      'sns.amazonaws.com DeleteTopic',
      'sns.amazonaws.com GetTopicAttributes',
      'sns.amazonaws.com ListTopics',
    ]);
    const r = await runCli(['templates', 'check', EXAMPLES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 template(s) OK');
    expect(r.stdout).toContain('sns.amazonaws.com GetTopicAttributes (read-only)');
  });

  it('says when a template overrides a built-in one', () => {
    const dir = join(work, 'override');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'ListInsights.json'),
      JSON.stringify({
        eventSource: 'devops-guru.amazonaws.com',
        eventName: 'ListInsights',
        readOnly: true,
        weight: 1,
        callers: ['human'],
        requestParameters: { StatusFilter: { Any: { Type: 'REACTIVE' } } },
        responseElements: null,
      }),
    );
    expect(checkTemplateFolder(dir)).toEqual([
      expect.objectContaining({ eventName: 'ListInsights', overrides: true, file: 'ListInsights.json' }),
    ]);
  });

  it('rejects an unknown generator with one line naming the file and JSON path', async () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'Bad.json'),
      JSON.stringify({
        eventSource: 'sns.amazonaws.com',
        eventName: 'ListTopics',
        readOnly: true,
        weight: 1,
        callers: ['human'],
        requestParameters: { nextToken: { $token: 12 } },
        responseElements: null,
      }),
    );
    const r = await runCli(['templates', 'check', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/Bad\.json: \/requestParameters\/nextToken/);
    expect(r.stdout).toBe('');
  });
});
