import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf, generateRun, timeOf, WEEK, type Run, type TrailRecord } from '../world/week-run.js';

const MODEL_PATH = resolve(import.meta.dirname, '../../../shared/reference/devops-guru/service-2.json');
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
 * checked exactly, with the formats that go with them.
 */
function checkIdentity(r: TrailRecord): string {
  const id = r.userIdentity as Identity;
  const console = r.sessionCredentialFromConsole === 'true';
  const ctx = id.sessionContext;
  const checkAttributes = (): void => {
    expect(keys(ctx!)).toEqual(CONTEXT);
    expect(keys(ctx!.attributes)).toEqual(ATTRIBUTES);
    expect(['true', 'false']).toContain(ctx!.attributes.mfaAuthenticated);
    expect(ctx!.webIdFederationData).toEqual({});
  };
  switch (id.type) {
    case 'IAMUser': {
      const base = sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName');
      expect(String(id.principalId)).toMatch(/^AIDA[A-Z0-9]{17}$/);
      expect(id.arn).toBe(`arn:aws:iam::${String(id.accountId)}:user/${String(id.userName)}`);
      if (!console) {
        expect(keys(id)).toEqual(base);
        expect(String(id.accessKeyId)).toMatch(/^AKIA[A-Z0-9]{16}$/);
        return 'IAMUser (access key)';
      }
      expect(keys(id)).toEqual(sorted(...base, 'sessionContext'));
      expect(String(id.accessKeyId)).toMatch(/^ASIA[A-Z0-9]{16}$/);
      checkAttributes();
      expect(ctx!.sessionIssuer).toEqual({});
      return 'IAMUser (console)';
    }
    case 'AssumedRole': {
      const base = sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'sessionContext');
      expect(keys(id)).toEqual(id.invokedBy !== undefined ? sorted(...base, 'invokedBy') : base);
      expect(String(id.accessKeyId)).toMatch(/^ASIA[A-Z0-9]{16}$/);
      checkAttributes();
      const issuer = ctx!.sessionIssuer;
      expect(keys(issuer)).toEqual(ISSUER);
      expect(issuer.type).toBe('Role');
      expect(String(issuer.principalId)).toMatch(/^AROA[A-Z0-9]{17}$/);
      const session = String(id.principalId).slice(String(issuer.principalId).length + 1);
      expect(id.principalId).toBe(`${String(issuer.principalId)}:${session}`);
      expect(id.arn).toBe(
        `arn:aws:sts::${String(id.accountId)}:assumed-role/${String(issuer.userName)}/${session}`,
      );
      expect(String(issuer.arn)).toMatch(
        new RegExp(`^arn:aws:iam::${String(id.accountId)}:role/(.+/)?${String(issuer.userName)}$`),
      );
      return id.invokedBy !== undefined ? 'AssumedRole (service role)' : 'AssumedRole';
    }
    case 'FederatedUser': {
      expect(keys(id)).toEqual(
        sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'sessionContext'),
      );
      expect(String(id.accessKeyId)).toMatch(/^ASIA[A-Z0-9]{16}$/);
      checkAttributes();
      expect(keys(ctx!.sessionIssuer)).toEqual(ISSUER);
      expect(ctx!.sessionIssuer.type).toBe('IAMUser');
      expect(String(ctx!.sessionIssuer.principalId)).toMatch(/^AIDA[A-Z0-9]{17}$/);
      const name = String(id.arn).split('/').pop();
      expect(id.principalId).toBe(`${String(id.accountId)}:${name}`);
      return 'FederatedUser';
    }
    case 'Root': {
      // Root reaches DevOps Guru only through the console.
      expect(console).toBe(true);
      expect(keys(id)).toEqual(
        sorted('type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'sessionContext'),
      );
      expect(id.principalId).toBe(id.accountId);
      expect(id.arn).toBe(`arn:aws:iam::${String(id.accountId)}:root`);
      checkAttributes();
      expect(ctx!.sessionIssuer).toEqual({});
      return 'Root';
    }
    case 'AWSService':
      expect(keys(id)).toEqual(sorted('type', 'invokedBy'));
      expect(String(id.invokedBy)).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
      return 'AWSService';
    default:
      throw new Error(`unexpected identity type ${id.type}`);
  }
}

describe('records of a week', () => {
  it('carry exactly the userIdentity keys CloudTrail writes for each identity type', () => {
    const seen = new Map<string, number>();
    for (const r of run.records) {
      const kind = checkIdentity(r);
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      expect(r.recipientAccountId).toBe(r.userIdentity.accountId ?? r.recipientAccountId);
    }
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
    for (const r of run.records) {
      const console = r.userAgent.startsWith('aws-internal/3 ');
      if (console) {
        expect(r.sessionCredentialFromConsole, r.eventName).toBe('true');
        // The console back end makes the call: CloudTrail records no client TLS session.
        expect(r.tlsDetails).toBeUndefined();
      } else {
        expect(r.sessionCredentialFromConsole).toBeUndefined();
        if (r.userIdentity.invokedBy === undefined) {
          const tls = r.tlsDetails as Record<string, string>;
          expect(keys(tls)).toEqual(
            sorted('tlsVersion', 'cipherSuite', 'clientProvidedHostHeader', 'keyExchange'),
          );
          expect(tls.clientProvidedHostHeader).toBe(`devops-guru.${r.awsRegion}.amazonaws.com`);
        }
      }
    }
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
      expect(r.errorMessage).toContain(
        `because no identity-based policy allows the devops-guru:${r.eventName} action`,
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
