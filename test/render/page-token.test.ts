import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/render/template.js';
import { fakeContext } from './fake-world.js';

const template = (requestParameters: unknown): unknown => ({
  eventSource: 'sns.amazonaws.com',
  eventName: 'ListTopics',
  readOnly: true,
  weight: 1,
  callers: ['human'],
  requestParameters,
  responseElements: null,
});

describe('a page token in a template', () => {
  it('makes the operation paginated: first pages leave it out, following pages repeat them with it', () => {
    for (const token of [{ $uuid: true }, { $optional: { $uuid: true }, p: 0.01 }]) {
      for (const name of ['NextToken', 'nextToken']) {
        const t = compileTemplate(template({ Kind: { $enum: ['a', 'b'] }, [name]: token }), 't.json');
        expect(t.paginated).toBe(true);
        const { ctx, rng } = fakeContext(`${name}`);
        const first = t.render(ctx, rng).requestParameters;
        expect(first).not.toHaveProperty(name);
        const next = t.nextPage(first, ctx, rng, new Map());
        expect(next[name]).toMatch(/^[0-9a-f-]{36}$/);
        expect({ ...next, [name]: undefined }).toEqual({ ...first, [name]: undefined });
        expect(t.nextPage(first, ctx, rng, new Map())[name]).not.toBe(next[name]);
      }
    }
  });

  it('is not there in a template without one', () => {
    const t = compileTemplate(template({ Kind: { $enum: ['a', 'b'] } }), 't.json');
    expect(t.paginated).toBe(false);
  });
});
