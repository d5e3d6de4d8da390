import type { TrailRecord } from './week-run.js';

/**
 * What an analyst checks first about identities and clients in a trail, computed from records
 * alone (and, for people, from the world's list of them). Each figure is 0 in a consistent trail.
 */

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The account an access key ID names, decoded as forensic tools do (public research, e.g.
 * https://medium.com/@TalBeerySec/a-short-note-on-aws-key-id-f88cc4317489): base32 after the
 * prefix, the first 48 bits masked with 0x7fffffffff80 and shifted right by 7.
 */
export function accountOfKey(key: string): string {
  let bits = 0n;
  for (const ch of key.slice(4, 14)) bits = (bits << 5n) | BigInt(BASE32.indexOf(ch));
  return (((bits >> 2n) & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}

interface Issuer {
  arn: string;
  userName: string;
}

export function issuerOf(r: TrailRecord): Issuer | undefined {
  const ctx = r.userIdentity.sessionContext as { sessionIssuer?: Partial<Issuer> } | undefined;
  const s = ctx?.sessionIssuer;
  return s?.arn ? (s as Issuer) : undefined;
}

/** The role session name of an assumed-role record: the last part of its ARN. */
export function sessionNameOf(r: TrailRecord): string {
  return String(r.userIdentity.arn).split('/').pop() ?? '';
}

const SSO_PATH = /:role\/aws-reserved\/sso\.amazonaws\.com\/(?:([a-z0-9-]+)\/)?AWSReservedSSO_/;

/** The Identity Center Region an SSO role path names, or undefined for other roles. */
export function ssoRegionOf(r: TrailRecord): string | undefined {
  const issuer = issuerOf(r);
  const m = issuer ? SSO_PATH.exec(issuer.arn) : null;
  return m ? (m[1] ?? '') : undefined;
}

/** Distinct Regions named by the Identity Center role paths of one run (one organization). */
export function ssoRegions(records: readonly TrailRecord[]): Set<string> {
  const regions = new Set<string>();
  for (const r of records) {
    const region = ssoRegionOf(r);
    if (region !== undefined) regions.add(region);
  }
  return regions;
}

/** Who a call's client installation belongs to, and the installation, as the user agent shows it. */
export function installationOf(r: TrailRecord): string {
  const issuer = issuerOf(r);
  const who = r.userIdentity.type === 'AssumedRole' && issuer ? issuer.arn : String(r.userIdentity.arn);
  // The CLI writes the command it ran into its user agent; the installation is the rest.
  const agent = r.userAgent.replace(/ (?:md\/)?command[/#]\S+/, '');
  return `${who} ${agent}`;
}

/** Distinct TLS handshakes (version, cipher suite, key exchange) per client installation. */
export function handshakesPerInstallation(records: readonly TrailRecord[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    const tls = r.tlsDetails as Record<string, string> | undefined;
    if (!tls) continue;
    const key = installationOf(r);
    let set = out.get(key);
    if (!set) out.set(key, (set = new Set()));
    set.add(`${tls.tlsVersion} ${tls.cipherSuite} ${tls.keyExchange ?? ''}`);
  }
  return out;
}

/** vpcEndpointId values seen in more than one Region. */
export function endpointsInManyRegions(records: readonly TrailRecord[]): string[] {
  const regions = new Map<string, Set<string>>();
  for (const r of records) {
    const id = r.vpcEndpointId as string | undefined;
    if (!id) continue;
    let set = regions.get(id);
    if (!set) regions.set(id, (set = new Set()));
    set.add(r.awsRegion);
  }
  return [...regions].filter(([, s]) => s.size > 1).map(([id]) => id);
}

/** Distinct access key IDs whose decoded account is not the caller's account. */
export function keysOfWrongAccount(records: readonly TrailRecord[]): string[] {
  const wrong = new Set<string>();
  for (const r of records) {
    const key = r.userIdentity.accessKeyId as string | undefined;
    if (!key) continue;
    const account = accountOfKey(key);
    if (account !== r.recipientAccountId || account !== r.userIdentity.accountId) wrong.add(key);
  }
  return [...wrong];
}

/**
 * User agents of Lambda functions whose language version is not their runtime's: `exec-env/
 * AWS_Lambda_python3.13` with `lang/python#3.13.x` (or `Python/3.13.x`), `AWS_Lambda_nodejs22.x`
 * with `md/nodejs#22.x`.
 */
export function lambdaMismatches(records: readonly TrailRecord[]): string[] {
  const bad = new Set<string>();
  for (const r of records) {
    const ua = r.userAgent;
    const py = /exec-env\/AWS_Lambda_python(\d+\.\d+)(?= |$)/.exec(ua);
    if (py) {
      const lang = /(?:Python\/|lang\/python#)(\d+\.\d+)\./.exec(ua);
      if (lang?.[1] !== py[1]) bad.add(ua);
    }
    const node = /exec-env\/AWS_Lambda_nodejs(\d+)\.x/.exec(ua);
    if (node) {
      const lang = /md\/nodejs[#/](\d+)\./.exec(ua);
      if (lang?.[1] !== node[1]) bad.add(ua);
    }
  }
  return [...bad];
}

/** Which `mfaAuthenticated` values each kind of session carries. */
export function mfaBySessionKind(records: readonly TrailRecord[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    const attributes = (r.userIdentity.sessionContext as { attributes?: { mfaAuthenticated: string } })
      ?.attributes;
    if (!attributes) continue;
    const kind = ssoRegionOf(r) !== undefined ? 'IdentityCenter' : r.userIdentity.type;
    let set = out.get(kind);
    if (!set) out.set(kind, (set = new Set()));
    set.add(attributes.mfaAuthenticated);
  }
  return out;
}
