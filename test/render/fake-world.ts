import { SeededFaker } from '../../src/shared/faker.js';
import { Rng } from '../../src/shared/rng.js';
import type { EntityRef, RenderContext, WorldView } from '../../src/render/context.js';

const STACKS = [
  'checkout-api',
  'orders-db',
  'PaymentsProd',
  'search-indexer',
  'edge-cdn',
  'auth-service',
  'batch-etl',
];
const TAG_VALUES = ['checkout', 'payments', 'search', 'data platform', 'Zahlung-2', 'ops:core'];

/**
 * A deterministic stand-in for the world: every getter draws from the Rng it was built with, the
 * way the real world view draws from the window's stream. Each call may return a different entity,
 * so tests notice when a template resolves a getter twice in one event. Its kinds are those of
 * templates/devops-guru/service.json.
 */
export function fakeWorld(rng: Rng, accountId: string, region: string): WorldView {
  const id64 = (): string =>
    `A${rng.chars(63, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
  const stacks = rng.shuffle(STACKS.slice()).slice(0, rng.int(1, STACKS.length));
  const insights: EntityRef[] = Array.from({ length: 3 }, () => ({
    id: id64(),
    type: rng.pick(['REACTIVE', 'PROACTIVE'] as const),
    severity: rng.pick(['LOW', 'MEDIUM', 'HIGH'] as const),
    status: rng.pick(['ONGOING', 'CLOSED'] as const),
    startTime: 1_700_000_000_000,
    endTime: null,
    anomalyIds: Array.from({ length: rng.int(1, 4) }, id64),
    stackNames: stacks.slice(0, rng.int(1, stacks.length)),
  }));
  const topic = (): string =>
    `arn:aws:sns:${region}:${accountId}:ops-${rng.pick(['alerts', 'pager', 'oncall'])}`;
  const channels: EntityRef[] = [{ id: rng.uuid(), topicArn: topic() }];
  const tags: EntityRef[] = Array.from({ length: rng.int(1, 3) }, (_, i) => ({
    key: `app-${['boundary', 'team', 'Anwendung'][i]}`,
    values: rng.shuffle(TAG_VALUES.slice()).slice(0, rng.int(1, 5)),
  }));
  const accounts = [accountId, ...Array.from({ length: rng.int(0, 8) }, () => rng.chars(12, '0123456789'))];
  const units = Array.from(
    { length: rng.int(0, 3) },
    () => `ou-${rng.chars(4, 'abcdefghij0123456789')}-${rng.chars(8, 'abcdefghij0123456789')}`,
  );
  const all: Record<string, () => readonly EntityRef[]> = {
    insight: () => insights,
    channel: () => channels,
    stack: () => stacks.map((name) => ({ name })),
    tag: () => tags,
    kmsKey: () => [{ arn: `arn:aws:kms:${region}:${accountId}:key/${rng.uuid()}` }],
    costEstimation: () => [{ stackName: rng.pick(stacks) }],
  };
  const entity = (kind: string): EntityRef => {
    if (kind === 'anomaly') return { id: rng.pick(rng.pick(insights).anomalyIds as string[]) };
    const list = all[kind];
    if (!list) throw new Error(`fake world: no ${kind}`);
    return rng.pick(list());
  };
  return {
    entity,
    values: (kind, field) => (all[kind]?.() ?? []).map((e) => e[field]),
    organizationAccountIds: () => accounts,
    organizationalUnitIds: () => units,
  };
}

/** A render context and its stream for one seed. */
export function fakeContext(seed: string | number): { ctx: RenderContext; rng: Rng } {
  const rng = new Rng(seed);
  const accountId = rng.fork('account').chars(12, '0123456789');
  const region = 'eu-west-1';
  const ctx: RenderContext = {
    partition: 'aws',
    region,
    account: { id: accountId, alias: 'acme-prod' },
    eventTime: Date.UTC(2026, 10, 1, 15, 4, 5),
    principal: { arn: `arn:aws:sts::${accountId}:assumed-role/Admin/jdoe`, accountId, name: 'jdoe' },
    world: fakeWorld(rng.fork('world'), accountId, region),
    faker: new SeededFaker(rng).faker,
  };
  return { ctx, rng };
}
