import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/pipeline/generate.js';
import { defaultTemplateDir } from '../../src/render/template.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { loadServices } from '../../src/world/service.js';
import { trailsim } from '../helpers/cli.js';
import { scratchFolder } from '../helpers/tree.js';

const root = scratchFolder('service');

/** A template folder of a small service: its service.json (changed by `edit`) and one template. */
function serviceFolder(
  name: string,
  edit: (s: Record<string, unknown>) => void,
  requires = ['widget'],
): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const service: Record<string, unknown> = {
    service: 'example',
    eventSource: 'example.amazonaws.com',
    userAgent: { cli: 'example', js: 'example', java: 'Example', go: 'example' },
    entities: { widget: { events: ['create'] } },
    duties: { reader: ['DescribeWidget'] },
    console: { opening: ['DescribeWidget'] },
    errors: { AccessDeniedException: ['User: {callerArn} may not {service}:{action}'] },
  };
  edit(service);
  writeFileSync(join(dir, 'service.json'), JSON.stringify(service, null, 2));
  writeFileSync(
    join(dir, 'DescribeWidget.json'),
    JSON.stringify({
      eventSource: 'example.amazonaws.com',
      eventName: 'DescribeWidget',
      readOnly: true,
      weight: 1,
      callers: ['human'],
      requires,
      requestParameters: null,
      responseElements: null,
    }),
  );
  return dir;
}

const load = (dir: string) => () => prepare(resolveScenario({ seed: 1, events: 10, templates: [dir] }));

describe('service descriptions', () => {
  it("describe trailsim's own service: its entities, duties, console and error texts", () => {
    const { primary } = loadServices([defaultTemplateDir()]);
    expect(primary.description.eventSource).toBe('devops-guru.amazonaws.com');
    expect([...primary.entityKinds].sort()).toEqual([
      'anomaly',
      'channel',
      'costEstimation',
      'insight',
      'kmsKey',
      'stack',
      'tag',
    ]);
    expect(primary.description.duties.exporter).toContain('ListInsights');
    expect(primary.errorTexts.get('ThrottlingException')?.[0]?.parts).toEqual(['Rate exceeded']);
  });

  it("give the cast's archetypes the names and polls the service declares", () => {
    const { world, services } = prepare(resolveScenario({ seed: 4, events: 200_000, accounts: 2 }));
    const cast = services.primary.description.cast ?? {};
    const workloads = world.accounts.filter((a) => a.env !== 'management');
    expect(workloads.length).toBeGreaterThan(0);
    for (const archetype of ['dashboard', 'exporter']) {
      const names = cast[archetype]?.names ?? [];
      const polled = (cast[archetype]?.workloadPolls ?? []).map((p) => p.operations);
      expect(names.length, archetype).toBeGreaterThan(0);
      for (const account of workloads) {
        const bot = account.principals.find((p) => names.some((n) => p.name.startsWith(n)));
        expect(bot, `${archetype} in ${account.id}`).toBeDefined();
        expect(bot!.polls.map((p) => p.operations)).toEqual(polled);
      }
    }
  });

  it('load a valid folder of another service alongside', () => {
    const dir = serviceFolder('ok', () => undefined, []);
    expect(load(dir)().services.bySource.get('example.amazonaws.com')?.entityKinds.has('widget')).toBe(true);
  });

  it('refuse a template that requires an entity kind its service does not declare, naming file and path', () => {
    const dir = serviceFolder('unknown-kind', () => undefined, ['gadget']);
    expect(load(dir)).toThrow(
      `${join(dir, 'DescribeWidget.json')}: /requires/0: unknown entity kind "gadget" (${join(dir, 'service.json')} declares widget)`,
    );
  });

  it('refuse a duty that names an operation without a template', () => {
    const dir = serviceFolder('duty', (s) => (s.duties = { reader: ['DescribeWidget', 'ListGadgets'] }));
    expect(load(dir)).toThrow(
      `${join(dir, 'service.json')}: /duties/reader/1: operation "ListGadgets" has no template of example.amazonaws.com`,
    );
  });

  it('refuse a schedule with a bad period, and an unknown placeholder in an error text', () => {
    const bad = serviceFolder(
      'period',
      (s) => (s.schedules = [{ name: 'sweep', operations: ['DescribeWidget'], every: ['10 minutes'] }]),
    );
    expect(load(bad)).toThrow(`${join(bad, 'service.json')}: /schedules/0/every/0: must match pattern`);
    const text = serviceFolder('text', (s) => (s.errors = { ThrottlingException: ['Slow down, {user}'] }));
    expect(load(text)).toThrow(
      `${join(text, 'service.json')}: /errors/ThrottlingException/0: unknown placeholder {user}`,
    );
  });

  it('refuse a grant of a policy the description does not hold', () => {
    const dir = serviceFolder('grant', (s) => {
      s.permissions = { WidgetReader: { allow: ['Describe*'] } };
      s.grants = [{ principal: '^AWSReservedSSO_', policy: 'WidgetReader' }, { policy: 'WidgetAdmin' }];
    });
    expect(load(dir)).toThrow(
      `${join(dir, 'service.json')}: /grants/1/policy: no policy "WidgetAdmin" in permissions`,
    );
  });

  it('fail the CLI with one line and exit 2, writing nothing', () => {
    const dir = serviceFolder(
      'cli',
      (s) => (s.entities = { widget: { events: ['explode'] }, 'Bad-Kind': {} }),
    );
    const out = join(root, 'out-cli');
    const r = trailsim(['generate', '--templates', dir, '--out', out, '--events', '10', '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${join(dir, 'service.json')}: /entities: must match pattern`);
    expect(existsSync(out)).toBe(false);
  });
});
