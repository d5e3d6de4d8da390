import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountOfKey,
  endpointsInManyRegions,
  handshakesPerInstallation,
  issuerOf,
  keysOfWrongAccount,
  lambdaMismatches,
  mfaBySessionKind,
  sessionNameOf,
  ssoRegionOf,
  ssoRegions,
} from './identity-figures.js';
import { generateRun, WEEK, type Run, type TrailRecord } from './week-run.js';

let run: Run;
beforeAll(() => {
  run = generateRun(WEEK);
});

const assumedRoles = (records: readonly TrailRecord[]): TrailRecord[] =>
  records.filter((r) => r.userIdentity.type === 'AssumedRole' && issuerOf(r) !== undefined);

describe('identities of a week, read as an analyst would', () => {
  it('decode keys as forensic tools do (the published example)', () => {
    expect(accountOfKey('ASIAY34FZKBOKMUTVV7A')).toBe('609629065308');
  });

  it('have access key IDs that decode to the account they act in', () => {
    const keys = new Set(run.records.map((r) => r.userIdentity.accessKeyId).filter(Boolean));
    expect(keys.size).toBeGreaterThan(100);
    expect(keysOfWrongAccount(run.records)).toEqual([]);
  });

  it('name one Identity Center Region in every permission-set role of the organization', () => {
    const sso = run.records.filter((r) => ssoRegionOf(r) !== undefined);
    const accounts = new Set(sso.map((r) => r.recipientAccountId));
    expect(accounts.size).toBe(run.prepared.world.accounts.length);
    expect([...ssoRegions(run.records)]).toHaveLength(1);
  });

  it('give each person one Identity Center session name everywhere, and one way to sign in', () => {
    const people = run.prepared.world.people;
    const whoIs = new Map<string, number>();
    people.forEach((p, i) => {
      whoIs.set(p.email, i);
      whoIs.set(p.userName, i);
      whoIs.set(p.userName.slice(0, 24), i);
    });
    const ssoNames = new Map<number, Set<string>>();
    const kinds = new Map<number, Set<string>>();
    const note = (person: number | undefined, kind: string): void => {
      if (person === undefined) return;
      let set = kinds.get(person);
      if (!set) kinds.set(person, (set = new Set()));
      set.add(kind);
    };
    for (const r of run.records) {
      const id = r.userIdentity;
      if (ssoRegionOf(r) !== undefined) {
        const name = sessionNameOf(r);
        const person = whoIs.get(name);
        expect(person, `session ${name} is a person of the company`).toBeDefined();
        let set = ssoNames.get(person!);
        if (!set) ssoNames.set(person!, (set = new Set()));
        set.add(name);
        note(person, 'IdentityCenter');
      } else if (id.type === 'IAMUser') note(whoIs.get(String(id.userName)), 'IAMUser');
      else if (id.type === 'FederatedUser')
        note(whoIs.get(String(id.arn).split('/').pop()!), 'FederatedUser');
    }
    expect(ssoNames.size).toBeGreaterThan(3);
    for (const [person, names] of ssoNames) expect([...names], people[person]!.email).toHaveLength(1);
    for (const [person, set] of kinds) expect([...set], people[person]!.email).toHaveLength(1);
    // IAM users and Identity Center users both appear, as different people.
    const all = new Set([...kinds.values()].flatMap((s) => [...s]));
    expect(all).toContain('IAMUser');
    expect(all).toContain('IdentityCenter');
  });

  it('carry mfaAuthenticated "false" on Identity Center and federation-token sessions', () => {
    const mfa = mfaBySessionKind(run.records);
    expect([...mfa.get('IdentityCenter')!]).toEqual(['false']);
    expect([...(mfa.get('FederatedUser') ?? new Set(['false']))]).toEqual(['false']);
    // IAM users who sign in with MFA still show it.
    expect(mfa.get('IAMUser')).toContain('true');
  });
});

describe('clients of a week, read as an analyst would', () => {
  it('show one TLS handshake per client installation', () => {
    const handshakes = handshakesPerInstallation(run.records);
    expect(handshakes.size).toBeGreaterThan(10);
    const many = [...handshakes].filter(([, s]) => s.size > 1).map(([k, s]) => `${k}: ${[...s].join(' / ')}`);
    expect(many).toEqual([]);
  });

  it('report the language version of their Lambda runtime', () => {
    const lambda = run.records.filter((r) => r.userAgent.includes('exec-env/AWS_Lambda_'));
    expect(lambda.length).toBeGreaterThan(0);
    expect(lambdaMismatches(lambda)).toEqual([]);
  });

  it('publish SDK for JavaScript versions as the SDK does, a new minor per release', () => {
    const versions = new Set(
      run.records.map((r) => /^aws-sdk-js\/(3\.\d+\.\d+)/.exec(r.userAgent)?.[1]).filter(Boolean),
    );
    for (const v of versions) expect(v).toMatch(/^3\.\d+\.0$/);
  });

  it('look like CI in CI roles: the session name of the CI system the role is named for, Linux runners', () => {
    const ci: [RegExp, RegExp][] = [
      [/github|gha-/i, /^GitHubActions$/],
      [/gitlab/i, /^GitLabRunner-\d+-\d+$/],
      [/buildkite/i, /^buildkite-job-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
    ];
    let seen = 0;
    for (const r of assumedRoles(run.records)) {
      const role = issuerOf(r)!.userName;
      const system = ci.find(([name]) => name.test(role));
      if (!system) {
        expect(role, 'a CI role names its CI system').not.toMatch(/(^|[-_])ci([-_]|$)|deploy/i);
        continue;
      }
      seen++;
      expect(sessionNameOf(r), role).toMatch(system[1]);
      expect(r.userAgent, role).not.toMatch(/darwin|macos|windows/i);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('name Terraform sessions as the AWS SDK for Go does: aws-go-sdk- and the Unix time in nanoseconds', () => {
    let seen = 0;
    for (const r of assumedRoles(run.records)) {
      if (!/terraform|atlantis/i.test(issuerOf(r)!.userName)) continue;
      seen++;
      const name = sessionNameOf(r);
      expect(name).toMatch(/^aws-go-sdk-\d{19}$/);
      const created = (r.userIdentity.sessionContext as { attributes: { creationDate: string } }).attributes
        .creationDate;
      const seconds = Number(name.slice('aws-go-sdk-'.length, -9));
      expect(Math.abs(seconds * 1000 - Date.parse(created))).toBeLessThanOrEqual(2000);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('use each interface VPC endpoint in one Region only', () => {
    const ids = new Set(run.records.map((r) => r.vpcEndpointId).filter(Boolean));
    expect(ids.size).toBeGreaterThan(0);
    expect(endpointsInManyRegions(run.records)).toEqual([]);
  });
});
