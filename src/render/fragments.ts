import type { Rng } from '../shared/rng.js';
import { cliCommandName, type Client } from '../world/clients.js';
import { hostIn, vpcAddress } from '../world/network.js';
import type { Principal } from '../world/principal.js';
import type { Account } from '../world/world.js';
import { utf8 } from './byte-writer.js';
import type { RenderContext } from './context.js';
import type { CompiledTemplate } from './template.js';
import { tlsDetailsOf, TLS_CHOICES, type TlsChoice } from './tls.js';
import type { VersionFields } from './version.js';
import type { ServiceCatalog } from '../world/service.js';

export const USER_AGENT = ',"userAgent":';
export const EVENT_CATEGORY_TEXT = ',"eventCategory":"Management"';

/** An account's record tails (see `RecordFragments.tailsOf`), each indexed by `readOnly ? 1 : 0`. */
export interface AccountTails {
  bare: [Buffer, Buffer];
  withCategory: [Buffer, Buffer];
}

/**
 * The constant pieces of records, serialised and encoded once, on first use, and kept: per
 * template and Region, per client and template, per account, per principal. A record is written
 * from these and the few values that vary per call (docs/hot-path.md).
 */
export class RecordFragments {
  private readonly agents = new Map<Client, Map<CompiledTemplate, Buffer>>();
  private readonly serviceAgents = new Map<string, Buffer>();
  private readonly sourceIps = new Map<Principal, (rng: Rng) => string>();
  private readonly accountRefs = new Map<Account, RenderContext['account']>();
  private readonly serviceIdentities = new Map<Principal, Buffer>();
  private readonly tls = new Map<string, Map<string, Map<TlsChoice, Buffer>>>();
  private readonly names = new Map<CompiledTemplate, Map<string, Buffer>>();
  private readonly tails = new Map<Account, AccountTails>();
  private readonly serviceNames = new Map<CompiledTemplate, string>();

  constructor(
    private readonly fields: VersionFields,
    private readonly services: ServiceCatalog,
  ) {}

  /** `,"userAgent":"…"`: the client's user agent for the template's operation, built once per pair. */
  userAgentBytes(client: Client, t: CompiledTemplate): Buffer {
    let byTemplate = this.agents.get(client);
    if (!byTemplate) this.agents.set(client, (byTemplate = new Map()));
    let ua = byTemplate.get(t);
    if (ua === undefined) {
      // The CLI and SDKs name the service they call (command/devops-guru.…, api/sns#…), each in
      // its own spelling: the service description's tokens, or the endpoint prefix for a
      // service without one.
      const tokens = this.services.bySource.get(t.eventSource)?.description.userAgent;
      const prefix = this.serviceOf(t);
      const text = client.userAgent
        .replace('{command}', cliCommandName(t.eventName))
        .replace('{cli}', tokens?.cli ?? prefix)
        .replace('{js}', tokens?.js ?? prefix)
        .replace('{java}', tokens?.java ?? prefix)
        .replace('{go}', tokens?.go ?? prefix);
      ua = utf8(`${USER_AGENT}${JSON.stringify(text)}`);
      byTemplate.set(t, ua);
    }
    return ua;
  }

  /**
   * `,"tlsDetails":{…}}` for the endpoint the client reached (the template's service in the Region,
   * ec2.eu-west-1.amazonaws.com) and a negotiated choice, serialised once; the last field of a
   * record, so its closing brace comes with it.
   */
  tlsBytes(eventSource: string, region: string, choice: TlsChoice): Buffer {
    let byRegion = this.tls.get(eventSource);
    if (!byRegion) this.tls.set(eventSource, (byRegion = new Map()));
    let byChoice = byRegion.get(region);
    if (!byChoice) {
      const host = `${eventSource.replace(/\.amazonaws\.com$/, '')}.${region}.amazonaws.com`;
      byChoice = new Map(
        TLS_CHOICES.map((c) => [c, utf8(`,"tlsDetails":${JSON.stringify(tlsDetailsOf(c, host))}}`)]),
      );
      byRegion.set(region, byChoice);
    }
    return byChoice.get(choice)!;
  }

  /**
   * `","eventSource":…,"eventName":…,"awsRegion":"<region>","sourceIPAddress":` for the template
   * in the Region (closing eventTime's quote first).
   */
  sourceNameAndRegion(t: CompiledTemplate, region: string): Buffer {
    let byRegion = this.names.get(t);
    if (!byRegion) this.names.set(t, (byRegion = new Map()));
    let b = byRegion.get(region);
    if (b === undefined) {
      b = utf8(
        `","eventSource":${JSON.stringify(t.eventSource)},"eventName":${JSON.stringify(t.eventName)}` +
          `,"awsRegion":${JSON.stringify(region)},"sourceIPAddress":`,
      );
      byRegion.set(region, b);
    }
    return b;
  }

  /** The service part of the template's eventSource, as IAM names it in actions. */
  serviceOf(t: CompiledTemplate): string {
    let s = this.serviceNames.get(t);
    if (s === undefined) this.serviceNames.set(t, (s = t.eventSource.replace(/\.amazonaws\.com$/, '')));
    return s;
  }

  /**
   * The fields after requestID/eventID that depend only on the account and readOnly (by
   * `readOnly ? 1 : 0`), from the eventID's closing quote on; `withCategory` adds eventCategory,
   * which follows them unless a VPC endpoint's fields come in between.
   */
  tailsOf(account: Account): AccountTails {
    let tails = this.tails.get(account);
    if (tails === undefined) {
      const f = this.fields;
      const tail = (ro: boolean, category: boolean): Buffer => {
        let text = f.requestAndEventId ? '"' : '';
        if (f.readOnly) text += `,"readOnly":${ro}`;
        if (f.eventTypeAndRecipient) text += ',"eventType":"AwsApiCall"';
        if (f.managementEvent) text += ',"managementEvent":true';
        if (f.eventTypeAndRecipient) text += `,"recipientAccountId":${JSON.stringify(account.id)}`;
        if (category && f.eventCategory) text += EVENT_CATEGORY_TEXT;
        return utf8(text);
      };
      tails = {
        bare: [tail(false, false), tail(true, false)],
        withCategory: [tail(false, true), tail(true, true)],
      };
      this.tails.set(account, tails);
    }
    return tails;
  }

  /**
   * A call made through a service shows the service's name twice, as the source address and as
   * the user agent: `"<service>","userAgent":"<service>"`.
   */
  serviceAgentBytes(client: Client): Buffer {
    let b = this.serviceAgents.get(client.userAgent);
    if (b === undefined) {
      const agent = JSON.stringify(client.userAgent);
      this.serviceAgents.set(client.userAgent, (b = utf8(`${agent}${USER_AGENT}${agent}`)));
    }
    return b;
  }

  /** The userIdentity of an AWS service acting on its own. */
  serviceIdentity(principal: Principal): Buffer {
    let b = this.serviceIdentities.get(principal);
    if (b === undefined) {
      b = utf8(JSON.stringify({ type: 'AWSService', invokedBy: principal.invokedBy }));
      this.serviceIdentities.set(principal, b);
    }
    return b;
  }

  /** Draws a new session's source address: an endpoint in the VPC, or a host in the principal's ranges. */
  sourceIpOf(principal: Principal): (rng: Rng) => string {
    let f = this.sourceIps.get(principal);
    if (!f) {
      f = (r) => (principal.vpcEndpoint ? vpcAddress(r) : hostIn(r.pick(principal.sourceRanges), r));
      this.sourceIps.set(principal, f);
    }
    return f;
  }

  /** The account as the render context shows it, one object per account. */
  accountRef(account: Account): RenderContext['account'] {
    let ref = this.accountRefs.get(account);
    if (!ref) this.accountRefs.set(account, (ref = { id: account.id, alias: account.alias }));
    return ref;
  }
}
