import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf, generateRun, timeOf, WEEK, type Run, type TrailRecord } from '../world/week-run.js';

const MODEL_PATH = resolve(import.meta.dirname, '../../schemas/devops-guru/service-2.json');
const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as {
  operations: Record<string, { errors?: { shape: string }[] }>;
};

let run: Run;
beforeAll(() => {
  run = generateRun(WEEK);
});

const keys = (o: unknown): string[] => Object.keys(o as object).sort();
const sorted = (...k: string[]): string[] => [...k].sort();
const ATTRIBUTES = sorted('creationDate', 'mfaAuthenticated');
const ISSUER = sorted('type', 'principalId', 'arn', 'accountId', 'userName');
const CONTEXT = sorted('sessionIssuer', 'webIdFederationData', 'attributes');

type Identity = Record<string, unknown> & {
  sessionContext?: {
    sessionIssuer: Record<string, unknown>;
    webIdFederationData: Record<string, unknown>;
    attributes: Record<string, unknown>;
  };
};

/**
 * The userIdentity key sets CloudTrail writes per identity type (reference/cloudtrail.md §11.1),
 * checked exactly, with the formats that go with them. Returns the record's kind and what is wrong
 * with it (collected rather than asserted one by one: a week has tens of thousands of records).
 */
function checkIdentity(r: TrailRecord): { kind: string; problems: string[] } {
  const id = r.userIdentity as Identity;
  const problems: string[] = [];
  const where = `${r.eventName} ${r.eventTime} ${id.type}`;
  const same = (actual: unknown, expected: unknown, what: string): void => {
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      problems.push(`${where}: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  const matches = (value: unknown, re: RegExp, what: string): void => {
    if (!re.test(String(value)))
      problems.push(`${where}: ${what} ${String(value)} does not match ${String(re)}`);
  };
  const console = r.sessionCredentialFromConsole === 'true';
  const ctx = id.sessionContext;
  const checkContext = (): void => {
    same(keys(ctx ?? {}), CONTEXT, 'sessionContext keys');
    if (!ctx) return;
    same(keys(ctx.attributes), ATTRIBUTES, 'attributes keys');
    matches(ctx.attributes.mfaAuthenticated, /^(true|false)$/, 'mfaAuthenticated');
    same(ctx.webIdFederationData, {}, 'webIdFederationData');
  };
  const acct = String(id.accountId);
  switch (id.type) {
    case 'IAMUser': {
      const base = sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName');
      matches(id.principalId, /^AIDA[A-Z0-9]{17}$/, 'principalId');
      same(id.arn, `arn:aws:iam::${acct}:user/${String(id.userName)}`, 'arn');
      if (!console) {
        same(keys(id), base, 'keys');
        matches(id.accessKeyId, /^AKIA[A-Z0-9]{16}$/, 'accessKeyId');
        return { kind: 'IAMUser (access key)', problems };
      }
      same(keys(id), sorted(...base, 'sessionContext'), 'keys');
      matches(id.accessKeyId, /^ASIA[A-Z0-9]{16}$/, 'accessKeyId');
      checkContext();
      same(ctx?.sessionIssuer, {}, 'sessionIssuer');
      return { kind: 'IAMUser (console)', problems };
    }
    case 'AssumedRole': {
      const base = sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'sessionContext');
      same(keys(id), id.invokedBy !== undefined ? sorted(...base, 'invokedBy') : base, 'keys');
      matches(id.accessKeyId, /^ASIA[A-Z0-9]{16}$/, 'accessKeyId');
      checkContext();
      const issuer = ctx?.sessionIssuer ?? {};
      same(keys(issuer), ISSUER, 'sessionIssuer keys');
      same(issuer.type, 'Role', 'sessionIssuer.type');
      matches(issuer.principalId, /^AROA[A-Z0-9]{17}$/, 'sessionIssuer.principalId');
      const session = String(id.principalId).slice(String(issuer.principalId).length + 1);
      same(id.principalId, `${String(issuer.principalId)}:${session}`, 'principalId');
      same(id.arn, `arn:aws:sts::${acct}:assumed-role/${String(issuer.userName)}/${session}`, 'arn');
      matches(
        issuer.arn,
        new RegExp(`^arn:aws:iam::${acct}:role/(.+/)?${String(issuer.userName)}$`),
        'issuer arn',
      );
      return { kind: id.invokedBy !== undefined ? 'AssumedRole (service role)' : 'AssumedRole', problems };
    }
    case 'FederatedUser': {
      same(
        keys(id),
        sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'sessionContext'),
        'keys',
      );
      matches(id.accessKeyId, /^ASIA[A-Z0-9]{16}$/, 'accessKeyId');
      checkContext();
      same(keys(ctx?.sessionIssuer ?? {}), ISSUER, 'sessionIssuer keys');
      same(ctx?.sessionIssuer.type, 'IAMUser', 'sessionIssuer.type');
      matches(ctx?.sessionIssuer.principalId, /^AIDA[A-Z0-9]{17}$/, 'sessionIssuer.principalId');
      same(id.principalId, `${acct}:${String(id.arn).split('/').pop()}`, 'principalId');
      return { kind: 'FederatedUser', problems };
    }
    case 'Root':
      // Root reaches DevOps Guru only through the console.
      same(console, true, 'console');
      same(
        keys(id),
        sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'sessionContext'),
        'keys',
      );
      same(id.principalId, id.accountId, 'principalId');
      same(id.arn, `arn:aws:iam::${acct}:root`, 'arn');
      checkContext();
      same(ctx?.sessionIssuer, {}, 'sessionIssuer');
      return { kind: 'Root', problems };
    case 'AWSService':
      same(keys(id), sorted('type', 'invokedBy'), 'keys');
      matches(id.invokedBy, /^[a-z0-9-]+\.amazonaws\.com$/, 'invokedBy');
      return { kind: 'AWSService', problems };
    default:
      return { kind: String(id.type), problems: [`${where}: unexpected identity type`] };
  }
}

describe('records of a week', () => {
  it('carry exactly the userIdentity keys CloudTrail writes for each identity type', () => {
    const seen = new Map<string, number>();
    const problems: string[] = [];
    for (const r of run.records) {
      const checked = checkIdentity(r);
      seen.set(checked.kind, (seen.get(checked.kind) ?? 0) + 1);
      problems.push(...checked.problems);
      if (r.userIdentity.accountId !== undefined && r.userIdentity.accountId !== r.recipientAccountId)
        problems.push(`${r.eventName} ${r.eventTime}: recipientAccountId differs from the caller's account`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect([...seen.keys()].sort()).toEqual([
      'AWSService',
      'AssumedRole',
      'AssumedRole (service role)',
      'FederatedUser',
      'IAMUser (access key)',
      'IAMUser (console)',
      'Root',
    ]);
  });

  it('show services calling for the caller as services: no TLS, the service as IP and agent', () => {
    let services = 0;
    for (const r of run.records) {
      const invokedBy = r.userIdentity.invokedBy as string | undefined;
      if (invokedBy === undefined) continue;
      services++;
      expect(r.sourceIPAddress).toBe(invokedBy);
      expect(r.userAgent).toBe(invokedBy);
      expect(r.tlsDetails).toBeUndefined();
      expect(r.sessionCredentialFromConsole).toBeUndefined();
    }
    expect(services).toBeGreaterThan(50);
  });

  it('mark console calls, and only them, as console credentials without TLS details', () => {
    const problems: string[] = [];
    let console = 0;
    const TLS_KEYS = JSON.stringify(
      sorted('tlsVersion', 'cipherSuite', 'clientProvidedHostHeader', 'keyExchange'),
    );
    for (const r of run.records) {
      const where = `${r.eventName} ${r.eventTime}`;
      if (r.userAgent.startsWith('aws-internal/3 ')) {
        console++;
        if (r.sessionCredentialFromConsole !== 'true') problems.push(`${where}: console call not flagged`);
        // The console back end makes the call: CloudTrail records no client TLS session.
        if (r.tlsDetails !== undefined) problems.push(`${where}: console call with tlsDetails`);
        continue;
      }
      if (r.sessionCredentialFromConsole !== undefined)
        problems.push(`${where}: flagged but not a console call`);
      if (r.userIdentity.invokedBy !== undefined) continue;
      const tls = r.tlsDetails as Record<string, string> | undefined;
      if (!tls || JSON.stringify(keys(tls)) !== TLS_KEYS)
        problems.push(`${where}: tlsDetails ${JSON.stringify(tls)}`);
      else if (tls.clientProvidedHostHeader !== `devops-guru.${r.awsRegion}.amazonaws.com`)
        problems.push(`${where}: host ${tls.clientProvidedHostHeader}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(console).toBeGreaterThan(1000);
  });

  it('fail only with errors the model lists for the operation, with a null response', () => {
    let errors = 0;
    for (const r of run.records) {
      if (r.errorCode === undefined) continue;
      errors++;
      const allowed = (model.operations[r.eventName]?.errors ?? []).map((e) => e.shape);
      expect(allowed, `${r.eventName} ${r.errorCode}`).toContain(r.errorCode);
      expect(typeof r.errorMessage).toBe('string');
      expect(r.responseElements).toBeNull();
    }
    expect(errors / run.records.length).toBeGreaterThan(0.02);
    expect(errors / run.records.length).toBeLessThan(0.08);
  });

  it("deny access naming the caller's own ARN and the devops-guru action", () => {
    const denied = run.records.filter((r) => r.errorCode === 'AccessDeniedException');
    expect(denied.length).toBeGreaterThan(50);
    for (const r of denied) {
      const arn = String(r.userIdentity.arn);
      expect(r.errorMessage).toContain(
        `User: ${arn} is not authorized to perform: devops-guru:${r.eventName} on resource: `,
      );
      // Which policy denied it, in IAM's words (test/behaviour/errors.test.ts reads the causes).
      expect(r.errorMessage).toMatch(
        new RegExp(
          ` (because no identity-based policy allows the devops-guru:${r.eventName} action|with an explicit deny in an identity-based policy|with an explicit deny in a service control policy)$`,
        ),
      );
    }
    // Read-only permission sets are denied every write they try (unless throttled first).
    const readOnlyWrites = run.records.filter(
      (r) =>
        r.readOnly === false && /AWSReservedSSO_(ReadOnly|ViewOnly)Access_/.test(String(r.userIdentity.arn)),
    );
    expect(readOnlyWrites.length).toBeGreaterThan(0);
    for (const r of readOnlyWrites)
      expect(['AccessDeniedException', 'ThrottlingException']).toContain(r.errorCode);
  });

  it('throttle in runs from one principal, never a lone call', () => {
    // Busy loops are rare and need a window with room for one: a run with more failures has
    // enough of them whatever the seed's draws.
    const run = generateRun({ ...WEEK, errorRate: 0.2 });
    const throttled = run.records.filter((r) => r.errorCode === 'ThrottlingException');
    expect(throttled.length).toBeGreaterThan(5);
    for (const r of throttled) {
      const neighbours = throttled.filter(
        (o) => o !== r && actorOf(o) === actorOf(r) && Math.abs(timeOf(o) - timeOf(r)) <= 10_000,
      );
      expect(neighbours.length, `${actorOf(r)} ${r.eventName} ${r.eventTime}`).toBeGreaterThan(0);
      expect(r.errorMessage).toBe('Rate exceeded');
    }
  });

  it('name a missing resource in not-found messages', () => {
    const notFound = run.records.filter((r) => r.errorCode === 'ResourceNotFoundException');
    expect(notFound.length).toBeGreaterThan(5);
    for (const r of notFound) {
      const ids = Object.entries(r.requestParameters ?? {}).filter(
        ([k, v]) => typeof v === 'string' && /Id$/.test(k),
      );
      if (ids.length > 0) expect(r.errorMessage).toContain(String(ids[0]![1]));
    }
  });
});
