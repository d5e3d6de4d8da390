import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/shared/rng.js';
import { accessKeyId } from '../../src/world/access-key.js';
import { sessionNameAt } from '../../src/world/session-names.js';
import { accountOfKey } from './identity-figures.js';

describe('access key IDs', () => {
  it('decode to their account for any account ID, as forensic tools read them', () => {
    const rng = new Rng('keys');
    const accounts = ['000000000001', '999999999999', '100000000000', '549755813888'];
    for (let i = 0; i < 500; i++) accounts.push(`${rng.int(1, 9)}${rng.chars(11, '0123456789')}`);
    for (const account of accounts)
      for (const prefix of ['AKIA', 'ASIA'] as const) {
        const key = accessKeyId(prefix, account, rng);
        expect(key).toMatch(new RegExp(`^${prefix}[A-Z2-7]{16}$`));
        expect(accountOfKey(key), key).toBe(account);
      }
  });

  it('of one account share characters 5 to 12 and differ after them', () => {
    const rng = new Rng('same-account');
    const keys = Array.from({ length: 50 }, () => accessKeyId('ASIA', '123456789012', rng));
    expect(new Set(keys.map((k) => k.slice(4, 12))).size).toBe(1);
    expect(new Set(keys).size).toBe(50);
  });
});

describe('role session names', () => {
  const created = Date.parse('2026-11-02T09:00:00Z');

  it('of the Go SDK are aws-go-sdk- and 19 digits of Unix nanoseconds just before the creation date', () => {
    const rng = new Rng('nanos');
    for (let i = 0; i < 20; i++) {
      const name = sessionNameAt('aws-go-sdk-{nanos}', created, rng);
      expect(name).toMatch(/^aws-go-sdk-\d{19}$/);
      const ns = BigInt(name.slice('aws-go-sdk-'.length));
      expect(ns <= BigInt(created + 1000) * 1_000_000n).toBe(true);
      expect(ns >= BigInt(created - 2000) * 1_000_000n).toBe(true);
    }
  });

  it('number CI pipelines in the order they run, and keep fixed names as they are', () => {
    const rng = new Rng('pipelines');
    const a = sessionNameAt('GitLabRunner-123-{pipeline}', created, rng);
    const b = sessionNameAt('GitLabRunner-123-{pipeline}', created + 3_600_000, rng);
    expect(Number(b.split('-')[2])).toBeGreaterThan(Number(a.split('-')[2]));
    expect(sessionNameAt('GitHubActions', created, rng)).toBe('GitHubActions');
  });
});
