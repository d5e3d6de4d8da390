import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestFile } from '../../src/generated/digest-file.js';
import { validateDigest } from '../../src/shared/schema-validator.js';
import { filesUnder, readGzJson, readManifest, trailsim } from '../helpers/cli.js';

const HOUR = 3_600_000;
const START = '2026-11-03T00:00:00Z';
const END = '2026-11-03T12:00:00Z';
const tmp = mkdtempSync(join(tmpdir(), 'trailsim-digests-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 300_000);

function generate(name: string, extra: string[] = []): string {
  const out = join(tmp, name);
  const args = [
    'generate',
    '--seed',
    '5',
    '--events',
    '600',
    '--accounts',
    '2',
    '--regions',
    'us-east-1,eu-west-1',
  ];
  const r = trailsim([...args, '--start', START, '--end', END, '--out', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

const isDigest = (k: string): boolean => k.includes('/CloudTrail-Digest/');
const isLog = (k: string): boolean => k.includes('/CloudTrail/');
/** `…/AWSLogs/[o-id/]<account>/<folder>/<region>/…` → `<account>/<region>` */
const pairOf = (k: string): string => {
  const m = /AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/[^/]+\/([^/]+)\//.exec(k)!;
  return `${m[1]}/${m[2]}`;
};
/** The delivery minute in a log file name. */
const minuteOf = (k: string): number => {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^_]+$/.exec(k)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
};

describe('digest files', () => {
  let out: string;
  let files: string[];
  let chains: Map<string, { key: string; raw: Buffer; body: DigestFile }[]>;
  let signatures: Map<string, string | undefined>;

  beforeAll(() => {
    out = generate('a');
    files = filesUnder(out);
    signatures = new Map(readManifest(out).files.map((f) => [f.key, f.metadata?.signature]));
    chains = new Map();
    for (const key of files.filter(isDigest)) {
      const { raw, body } = readGzJson<DigestFile>(join(out, key));
      const list = chains.get(pairOf(key)) ?? chains.set(pairOf(key), []).get(pairOf(key))!;
      list.push({ key, raw, body });
    }
    for (const list of chains.values())
      list.sort((a, b) => (a.body.digestEndTime < b.body.digestEndTime ? -1 : 1));
  });

  it('are valid against the schema, one chain per account and Region', () => {
    expect([...chains.keys()].sort()).toHaveLength(4);
    for (const list of chains.values())
      for (const d of list) expect(validateDigest(d.body), d.key).toEqual([]);
  });

  it('cover hour after hour from the run start to after the last delivery, offset from the clock hour', () => {
    const offsets = new Set<string>();
    for (const [pair, list] of chains) {
      const first = list[0]!.body;
      const firstStart = Date.parse(first.digestStartTime);
      expect(firstStart).toBeLessThanOrEqual(Date.parse(START));
      expect(firstStart + HOUR).toBeGreaterThan(Date.parse(START));
      offsets.add(first.digestStartTime.slice(14));
      for (const d of list)
        expect(Date.parse(d.body.digestEndTime) - Date.parse(d.body.digestStartTime)).toBe(HOUR);
      for (let i = 1; i < list.length; i++)
        expect(list[i]!.body.digestStartTime).toBe(list[i - 1]!.body.digestEndTime);
      const lastDelivery = Math.max(...files.filter((k) => isLog(k) && pairOf(k) === pair).map(minuteOf));
      expect(Date.parse(list.at(-1)!.body.digestEndTime)).toBeGreaterThan(lastDelivery);
      expect(Date.parse(list.at(-1)!.body.digestEndTime)).toBeGreaterThanOrEqual(Date.parse(END));
    }
    // Each chain draws its own offset: four chains on one second each would be a fluke.
    expect(offsets.size).toBeGreaterThan(1);
  });

  it('chain each digest to the previous one by bucket, key, hash and signature; the first has nulls', () => {
    for (const list of chains.values()) {
      const first = list[0]!.body;
      expect([
        first.previousDigestS3Bucket,
        first.previousDigestS3Object,
        first.previousDigestHashValue,
        first.previousDigestHashAlgorithm,
        first.previousDigestSignature,
      ]).toEqual([null, null, null, null, null]);
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const d = list[i]!.body;
        expect(d.previousDigestS3Bucket).toBe('aws-cloudtrail-logs-trailsim');
        expect(d.previousDigestS3Object).toBe(prev.key);
        expect(d.previousDigestHashValue).toBe(createHash('sha256').update(prev.raw).digest('hex'));
        expect(d.previousDigestHashAlgorithm).toBe('SHA-256');
        expect(d.previousDigestSignature).toBe(signatures.get(prev.key));
      }
    }
  });

  it('list every log file once, in the hour it was delivered, with the SHA-256 of its uncompressed bytes', () => {
    const listed = new Map<string, number>();
    for (const list of chains.values()) {
      for (const { body } of list) {
        const start = Date.parse(body.digestStartTime);
        const end = Date.parse(body.digestEndTime);
        for (const f of body.logFiles) {
          listed.set(f.s3Object, (listed.get(f.s3Object) ?? 0) + 1);
          const minute = minuteOf(f.s3Object);
          expect(minute + 60_000).toBeGreaterThan(start);
          expect(minute).toBeLessThan(end);
          const { raw, body: log } = readGzJson<{ Records: { eventTime: string }[] }>(join(out, f.s3Object));
          expect(f.hashValue).toBe(createHash('sha256').update(raw).digest('hex'));
          const times = log.Records.map((r) => r.eventTime).sort();
          expect([f.oldestEventTime, f.newestEventTime]).toEqual([times[0], times.at(-1)]);
        }
      }
    }
    const logs = files.filter(isLog);
    expect(logs.length).toBeGreaterThan(20);
    expect([...listed.keys()].sort()).toEqual(logs);
    expect([...listed.values()].every((n) => n === 1)).toBe(true);
  });

  it('write a digest for a quiet hour too, with null event times', () => {
    const all = [...chains.values()].flat().map((d) => d.body);
    const quiet = all.filter((d) => d.logFiles.length === 0);
    expect(quiet.length).toBeGreaterThan(0);
    for (const d of quiet) expect([d.newestEventTime, d.oldestEventTime]).toEqual([null, null]);
    for (const d of all.filter((x) => x.logFiles.length > 0)) expect(d.newestEventTime).not.toBeNull();
  });

  it('are signed (S3 metadata in the manifest) so the published PKCS#1 key verifies them', () => {
    const keys = JSON.parse(readFileSync(join(out, 'trailsim-public-keys.json'), 'utf8')) as {
      PublicKeyList: {
        Value: string;
        Fingerprint: string;
        ValidityStartTime: number;
        ValidityEndTime: number;
      }[];
    };
    expect(keys.PublicKeyList).toHaveLength(1);
    const entry = keys.PublicKeyList[0]!;
    const publicKey = createPublicKey({
      key: Buffer.from(entry.Value, 'base64'),
      format: 'der',
      type: 'pkcs1',
    });
    const manifest = readManifest(out);
    for (const list of chains.values()) {
      for (const { key, raw, body } of list) {
        expect(body.digestPublicKeyFingerprint).toBe(entry.Fingerprint);
        const meta = manifest.files.find((f) => f.key === key)!.metadata!;
        expect(meta['signature-algorithm']).toBe('SHA256withRSA');
        const signed =
          `${body.digestEndTime}\naws-cloudtrail-logs-trailsim/${key}\n` +
          `${createHash('sha256').update(raw).digest('hex')}\n${body.previousDigestSignature ?? 'null'}`;
        expect(
          verify('sha256', Buffer.from(signed), publicKey, Buffer.from(meta.signature!, 'hex')),
          key,
        ).toBe(true);
        expect(Date.parse(body.digestStartTime) / 1000).toBeGreaterThanOrEqual(entry.ValidityStartTime);
        expect(Date.parse(body.digestEndTime) / 1000).toBeLessThanOrEqual(entry.ValidityEndTime);
      }
    }
  });

  it('are byte-identical for the same seed, public key and manifest included', () => {
    const again = generate('b');
    expect(filesUnder(again)).toEqual(files);
    for (const key of files)
      expect(readFileSync(join(again, key)).equals(readFileSync(join(out, key))), key).toBe(true);
  });

  it('change with the seed: another key, other offsets', () => {
    const other = join(tmp, 'c');
    const r = trailsim([
      'generate',
      '--seed',
      '6',
      '--events',
      '50',
      '--accounts',
      '2',
      '--regions',
      'us-east-1,eu-west-1',
      '--start',
      START,
      '--end',
      END,
      '--out',
      other,
    ]);
    expect(r.status).toBe(0);
    const fp = (dir: string): string =>
      (
        JSON.parse(readFileSync(join(dir, 'trailsim-public-keys.json'), 'utf8')) as {
          PublicKeyList: { Fingerprint: string }[];
        }
      ).PublicKeyList[0]!.Fingerprint;
    expect(fp(other)).not.toBe(fp(out));
  });

  it('record the trail ARN of each account in the manifest', () => {
    const m = readManifest(out);
    const accounts = [...new Set([...chains.keys()].map((p) => p.split('/')[0]!))].sort();
    expect(Object.keys(m.trail.accountTrails).sort()).toEqual(accounts);
    for (const a of accounts)
      expect(m.trail.accountTrails[a]).toBe(`arn:aws:cloudtrail:us-east-1:${a}:trail/management-events`);
    expect(Object.values(m.trail.accountTrails)).toContain(m.trail.arn);
  });
});

describe('digest options', () => {
  it('--no-digests writes neither digests nor the public key', () => {
    const out = generate('none', ['--no-digests']);
    const files = filesUnder(out);
    expect(files.some(isDigest)).toBe(false);
    expect(files.some(isLog)).toBe(true);
    expect(existsSync(join(out, 'trailsim-public-keys.json'))).toBe(false);
  });

  it('an organization trail with a key prefix puts digests under the prefix and organization ID, and the ARN names the management account', () => {
    const out = generate('org', [
      '--organization',
      '--home-region',
      'eu-west-1',
      '--trail-name',
      'org-trail',
      '--key-prefix',
      'team/audit',
    ]);
    const digests = filesUnder(out).filter(isDigest);
    expect(digests.length).toBeGreaterThan(0);
    for (const k of digests)
      expect(k).toMatch(
        /^team\/audit\/AWSLogs\/o-[a-z0-9]{10}\/(\d{12})\/CloudTrail-Digest\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\1_CloudTrail-Digest_[a-z0-9-]+_org-trail_eu-west-1_\d{8}T\d{6}Z\.json\.gz$/,
      );
    const m = readManifest(out);
    expect(m.trail.arn).toMatch(/^arn:aws:cloudtrail:eu-west-1:\d{12}:trail\/org-trail$/);
    expect(new Set(Object.values(m.trail.accountTrails))).toEqual(new Set([m.trail.arn]));
    expect(trailsim(['validate', out]).status).toBe(0);
  });

  it('--signing-key signs with the given key', () => {
    const pem = join(tmp, 'key.pem');
    const r0 = writeRsaKey(pem);
    const out = generate('own-key', ['--signing-key', pem]);
    const keys = JSON.parse(readFileSync(join(out, 'trailsim-public-keys.json'), 'utf8')) as {
      PublicKeyList: { Value: string }[];
    };
    expect(Buffer.from(keys.PublicKeyList[0]!.Value, 'base64').equals(r0)).toBe(true);
    expect(trailsim(['validate', out]).status).toBe(0);
  });

  it('a bad --signing-key is a usage error before anything is written', () => {
    const out = join(tmp, 'bad-key');
    const r = trailsim(['generate', '--events', '10', '--signing-key', join(tmp, 'nope.pem'), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^trailsim: --signing-key: cannot read .*nope\.pem/);
    expect(existsSync(out)).toBe(false);
  });
});

/** Writes a fresh RSA key as PEM; returns its public half as PKCS#1 DER. */
function writeRsaKey(path: string): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  return publicKey.export({ type: 'pkcs1', format: 'der' });
}
