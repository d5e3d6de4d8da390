import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/shared/rng.js';
import { makeClient, type ClientKind } from '../../src/world/clients.js';
import { RELEASE_LINES, RUNTIMES, versionAt } from '../../src/world/client-releases.js';

const DAY = 86_400_000;
const DATES = ['2023-02-01', '2023-09-04', '2023-12-20', '2026-03-01', '2026-11-02'].map((d) =>
  Date.parse(`${d}T00:00:00Z`),
);
const KINDS: ClientKind[] = [
  'console',
  'aws-cli',
  'boto3',
  'sdk-js-v3',
  'sdk-java-v2',
  'terraform',
  'sdk-go-v2',
];

type Version = [number, number, number];
const parse = (s: string): Version => s.split('.').map(Number) as Version;
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Where each release line's version sits in a user agent. */
const VERSION_IN_AGENT: Record<string, RegExp> = {
  awscli: /^aws-cli\/(\d+\.\d+\.\d+)/,
  botocore: /Botocore[/#](\d+\.\d+\.\d+)/,
  jsv3: /^aws-sdk-js\/(\d+\.\d+\.\d+)/,
  javav2: /^aws-sdk-java\/(2\.\d+\.\d+)/,
  terraform: /Terraform\/(\d+\.\d+\.\d+)/,
  tfaws: /terraform-provider-aws\/(\d+\.\d+\.\d+)/,
  gov2: /aws-sdk-go-v2\/(\d+\.\d+\.\d+)/,
  consoleSdk: /^aws-internal\/3 aws-sdk-java\/(1\.\d+\.\d+)/,
};

/** Where each runtime's version sits in a user agent (not in the console back end's own). */
const RUNTIME_IN_AGENT: Record<string, RegExp> = {
  python: /(?:Python\/|lang\/python#)([\d.]+)/,
  node: /md\/nodejs[#/]([\d.]+)/,
  go: /(?:lang\/go#|\(go)([\d.]+)/,
  java: /(?:lang\/java#|Java\/)([\d.]+)/,
  darwin: /(?:Darwin\/|os\/macos#)([\d.]+)/,
  kernel: /(?:Linux\/|os\/linux#|os\/linux\/|os\/Linux#)(\S+?)(?= |$)/,
  consoleJdk: /OpenJDK_64-Bit_Server_VM\/(25\.\S+)/,
  lambdaPython: /AWS_Lambda_python([\d.]+)/,
  lambdaNode: /AWS_Lambda_nodejs(\d+)\.x/,
};

function agents(ms: number): string[] {
  const out: string[] = [];
  for (const kind of KINDS)
    for (let i = 0; i < 60; i++) {
      const rng = new Rng(`clients/${kind}/${i}`);
      out.push(makeClient(kind, ms, rng, { lambda: i % 2 === 0 }).userAgent);
    }
  return out;
}

describe('client versions', () => {
  it('are never newer than releases known to come after the simulated date, nor years behind it', () => {
    for (const ms of DATES) {
      const day = new Date(ms).toISOString().slice(0, 10);
      let checked = 0;
      for (const ua of agents(ms)) {
        for (const [name, re] of Object.entries(VERSION_IN_AGENT)) {
          if ((name === 'consoleSdk') !== ua.startsWith('aws-internal/')) continue;
          const m = re.exec(ua);
          if (!m) continue;
          checked++;
          const version = parse(m[1]!);
          for (const [t, M, mi, p] of RELEASE_LINES[name]!.anchors) {
            // A release dated after the day did not exist on it: what was installed is older.
            if (t > ms) expect(compare(version, [M, mi, p]), `${name} ${m[1]} on ${day}`).toBeLessThan(0);
            // People lag by weeks or months, not by more than the lag the world allows (120 days).
            if (t <= ms - 121 * DAY)
              expect(compare(version, [M, mi, p]), `${name} ${m[1]} on ${day}`).toBeGreaterThanOrEqual(0);
          }
        }
      }
      expect(checked, day).toBeGreaterThan(400);
    }
  });

  it('grow with the date', () => {
    for (const [name, line] of Object.entries(RELEASE_LINES)) {
      let last: Version = [0, 0, 0];
      for (let ms = Date.parse('2021-01-01'); ms < Date.parse('2027-06-01'); ms += 5 * DAY) {
        const v = versionAt(line, ms, 0);
        expect(compare(v, last), `${name} on ${new Date(ms).toISOString()}`).toBeGreaterThanOrEqual(0);
        last = v;
      }
    }
  });

  it('run on runtimes and operating systems already released', () => {
    for (const ms of DATES) {
      let checked = 0;
      for (const ua of agents(ms)) {
        for (const [name, re] of Object.entries(RUNTIME_IN_AGENT)) {
          if (name === 'kernel' && ua.startsWith('aws-internal/')) continue;
          const m = re.exec(ua);
          if (!m) continue;
          const known = RUNTIMES[name]!.find(([v]) => v === m[1]);
          expect(known, `${name} ${m[1]} in ${ua}`).toBeDefined();
          expect(known![1], `${name} ${m[1]} on ${new Date(ms).toISOString()}`).toBeLessThanOrEqual(ms);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(600);
    }
  });

  it('write the user-agent format of their era', () => {
    const old = agents(Date.parse('2023-02-01'));
    const now = agents(Date.parse('2026-11-02'));
    const cli = (xs: string[]): string[] => xs.filter((u) => u.startsWith('aws-cli/'));
    for (const ua of cli(old))
      expect(ua).toMatch(/^aws-cli\/2\.\d+\.\d+ Python\/[\d.]+ .* command\/\{cli\}\.\{command\}$/);
    for (const ua of cli(now)) expect(ua).toMatch(/ ua\/2\.1 .* md\/command#\{cli\}\.\{command\}$/);
    // Since botocore 1.33 boto3 shares its version.
    for (const ua of now.filter((u) => u.startsWith('Boto3/'))) {
      const boto = /^Boto3\/(\S+)/.exec(ua)![1];
      expect(ua).toContain(`Botocore/${boto}`);
    }
    for (const ua of old.filter((u) => u.startsWith('Boto3/'))) expect(ua).not.toContain('ua/2');
    // Terraform's provider 4.x was built on aws-sdk-go v1; 5.x and later on v2.
    for (const ua of now.filter((u) => u.startsWith('APN/'))) expect(ua).toContain('aws-sdk-go-v2/');
  });
});
