import type { CallDescription, CallSink } from '../behaviour/call.js';
import type { SeededFaker } from '../shared/faker.js';
import type { Rng } from '../shared/rng.js';
import { isoSecondsInto } from '../shared/time.js';
import { CallWorldView, type RegionState } from '../world/view.js';
import { ByteWriter, utf8 } from './byte-writer.js';
import type { RenderContext } from './context.js';
import { errorMessage } from './errors.js';
import { DENIED, INVALID } from '../behaviour/failure.js';
import type { Permissions } from '../world/policies.js';
import type { InvalidRequest, InvalidRequests } from './invalid-request.js';
import { serviceFor, type ServiceCatalog } from '../world/service.js';
import { EVENT_CATEGORY_TEXT, RecordFragments } from './fragments.js';
import type { SessionCache, SessionRecordParts } from './identity.js';
import { RECORDS_CLOSE, RECORDS_OPEN, type RenderedRecords } from './rendered.js';
import type { CompiledTemplate } from './template.js';
import { TLS_CHOICES } from './tls.js';
import type { VersionFields } from './version.js';

// Constant pieces of a record, encoded once.
const EVENT_TIME = utf8(',"eventTime":"');
const REQUEST_PARAMETERS = utf8(',"requestParameters":');
const REQUEST_NULL = utf8(',"requestParameters":null');
const RESPONSE_ELEMENTS = utf8(',"responseElements":');
const RESPONSE_NULL = utf8(',"responseElements":null');
const REQUEST_ID = utf8(',"requestID":"');
const EVENT_ID = utf8('","eventID":"');
const EVENT_CATEGORY = utf8(EVENT_CATEGORY_TEXT);
const FROM_CONSOLE_CLOSE = utf8(',"sessionCredentialFromConsole":"true"}');
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/**
 * Writes the records of decided calls as the text of one log file, `{"Records":[…]}`, in UTF-8.
 * Nothing is decided here: who called, what, from where and whether it failed come with the call;
 * the writer draws only what a record shows of it (request values, IDs, the session's details).
 */
export class RecordWriter implements CallSink<CompiledTemplate> {
  // The records being written: their bytes, and where each starts and ends.
  private readonly out = new ByteWriter();
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly times: number[] = [];
  private readonly fragments: RecordFragments;
  private readonly head: Buffer;
  private readonly refs = new Map<string, unknown>();
  private readonly view: CallWorldView;
  private readonly ctx: RenderContext;
  /** The request of the last call that was not a following page: the one its pages repeat. */
  private firstPage: Record<string, unknown> | null = null;

  constructor(
    private readonly fields: VersionFields,
    eventVersion: string,
    private readonly services: ServiceCatalog,
    private readonly sessions: SessionCache,
    private readonly faker: SeededFaker,
    anyState: RegionState,
    rng: Rng,
    private readonly permissions: Permissions,
    private readonly invalid: InvalidRequests,
  ) {
    this.fragments = new RecordFragments(fields, services);
    this.head = utf8(`{"eventVersion":${JSON.stringify(eventVersion)},"userIdentity":`);
    this.view = new CallWorldView(anyState, 0, rng);
    this.ctx = {
      partition: 'aws',
      region: '',
      account: { id: '', alias: '' },
      eventTime: 0,
      principal: { arn: '', accountId: '', name: '' },
      world: this.view,
      faker: faker.faker,
    };
  }

  /** Starts a log file's text. The previous result is overwritten (its buffer is reused). */
  begin(): void {
    this.out.reset();
    this.out.bytes(RECORDS_OPEN);
    this.starts.length = 0;
    this.ends.length = 0;
    this.times.length = 0;
  }

  /** Ends the log file's text: valid until the next `begin` (copy it to keep it). */
  finish(): RenderedRecords {
    this.out.bytes(RECORDS_CLOSE);
    return { body: this.out.view(), starts: this.starts, ends: this.ends, times: this.times };
  }

  /** The text of the record written since `begin` (one, and `finish` not called). */
  firstRecordText(): string {
    return this.out.textFrom(this.starts[0] ?? 0);
  }

  /**
   * Appends a call's record. The record is written in CloudTrail's key order from fragments
   * encoded once (userIdentity per session, the template's names, the account's tail, tlsDetails
   * per Region); only requestParameters, responseElements and the few strings that vary per call
   * are serialised and encoded per call (docs/hot-path.md).
   */
  call(c: CallDescription<CompiledTemplate>, rng: Rng): void {
    const t = c.template;
    const principal = c.principal;
    const client = c.client;
    const account = c.account;
    const region = c.region;
    const time = c.time;
    const errorCode = c.errorCode;
    const fragments = this.fragments;
    const viaService = client.viaService || principal.type === 'AWSService';
    // A VPC's hosts reach the endpoint's Region through the endpoint, other Regions through NAT.
    const endpoint = principal.vpcEndpoint;
    const throughEndpoint = endpoint !== null && endpoint.region === region;
    const session: SessionRecordParts | null =
      principal.type === 'AWSService'
        ? null
        : this.sessions.get(principal, client, time, fragments.sourceIpOf(principal), c.jobStart);
    const arn = session ? session.arn : (principal.invokedBy ?? 'AWS Internal');
    // One context, view and refs map serve every call, rebound here: nothing keeps them past it.
    const refs = this.refs;
    // clear() allocates a fresh table even when the map is empty.
    if (refs.size > 0) refs.clear();
    const ctx = this.ctx;
    ctx.region = region;
    ctx.account = fragments.accountRef(account);
    ctx.eventTime = time;
    ctx.principal.arn = arn;
    ctx.principal.accountId = account.id;
    ctx.principal.name = principal.name;
    this.view.rebind(c.state, time, rng, c.change, errorCode === 'ResourceNotFoundException');
    ctx.faker = this.faker.use(rng);
    const rendered = t.render(ctx, rng, refs, c.label);
    // A following page repeats the first page's request with a page token.
    let requestParameters =
      c.page > 0 ? t.nextPage(this.firstPage, ctx, rng, refs) : rendered.requestParameters;
    if (c.page === 0) this.firstPage = requestParameters;
    const responseElements = rendered.responseElements;
    // An invalid request carries the value the service rejects; a denial says which policy denied.
    let broken: InvalidRequest | undefined;
    let cause: string | undefined;
    if (errorCode === INVALID) {
      broken = this.invalid.invalidate(t.eventSource, t.eventName, requestParameters, rng);
      if (broken) {
        requestParameters = broken.request;
        cause = broken.constraint;
      }
    } else if (errorCode === DENIED) {
      cause = this.permissions.denial(principal, account, t.eventName, time) ?? undefined;
    }
    const f = this.fields;
    const out = this.out;
    if (this.times.length > 0) out.byte(COMMA);
    this.starts.push(out.length);
    this.times.push(time);
    out.bytes(this.head);
    out.bytes(session ? session.identityBytes : fragments.serviceIdentity(principal));
    out.bytes(EVENT_TIME);
    const at = out.claim(20);
    isoSecondsInto(out.buffer, at, time);
    out.bytes(fragments.sourceNameAndRegion(t, region));
    if (viaService) {
      out.bytes(fragments.serviceAgentBytes(client));
    } else {
      if (endpoint === null || throughEndpoint) out.bytes(session!.sourceIpBytes);
      else out.text(`"${endpoint.natAddress}"`);
      out.bytes(fragments.userAgentBytes(client, t));
    }
    if (errorCode) {
      const message = errorMessage(
        serviceFor(this.services, t.eventSource),
        errorCode,
        {
          service: fragments.serviceOf(t),
          action: t.eventName,
          callerArn: arn,
          resource: t.resource(ctx, rng, refs),
          request: requestParameters,
          eventTime: time,
          cause,
          invalid: broken,
        },
        rng,
      );
      out.text(`,"errorCode":${JSON.stringify(errorCode)},"errorMessage":${JSON.stringify(message)}`);
    }
    // A quarter of calls have no parameters: a constant, rather than serialising and encoding null.
    if (requestParameters === null) {
      out.bytes(REQUEST_NULL);
    } else {
      out.bytes(REQUEST_PARAMETERS);
      out.text(JSON.stringify(requestParameters));
    }
    if (errorCode || t.readOnly) {
      out.bytes(RESPONSE_NULL);
    } else {
      out.bytes(RESPONSE_ELEMENTS);
      out.text(JSON.stringify(responseElements));
    }
    if (f.requestAndEventId) {
      out.bytes(REQUEST_ID);
      const requestId = out.claim(36);
      rng.uuidInto(out.buffer, requestId);
      out.bytes(EVENT_ID);
      const eventId = out.claim(36);
      rng.uuidInto(out.buffer, eventId);
    }
    const tails = fragments.tailsOf(account);
    const ro = t.readOnly ? 1 : 0;
    if (f.vpcEndpointId && throughEndpoint && !viaService) {
      out.bytes(tails.bare[ro]);
      out.text(`,"vpcEndpointId":${JSON.stringify(endpoint.id)}`);
      if (f.vpcEndpointAccountId) out.text(`,"vpcEndpointAccountId":${JSON.stringify(account.id)}`);
      if (f.eventCategory) out.bytes(EVENT_CATEGORY);
    } else {
      out.bytes(tails.withCategory[ro]);
    }
    // The record's closing brace comes with its last fragment. A session is a console session
    // exactly when the client is the console, so a record gets tlsDetails or
    // sessionCredentialFromConsole, never both. The handshake is the installation's own.
    if (f.tlsAndConsole && !viaService && client.kind !== 'console') {
      out.bytes(fragments.tlsBytes(t.eventSource, region, client.tls ?? TLS_CHOICES[0]!));
    } else if (f.tlsAndConsole && session?.console) {
      out.bytes(FROM_CONSOLE_CLOSE);
    } else {
      out.byte(CLOSE_BRACE);
    }
    this.ends.push(out.length);
  }
}
