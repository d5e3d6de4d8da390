import type { CurveSettings } from '../scenario/curve-settings.js';
import { Behaviour } from '../behaviour/behaviour.js';
import type { CallDescription, CallSink } from '../behaviour/call.js';
import { windowLabel, type Window } from '../plan/window.js';
import { SeededFaker } from '../shared/faker.js';
import { Rng } from '../shared/rng.js';
import type { ScheduledCall } from '../world/lifecycle.js';
import { serviceFor, type ServiceCatalog } from '../world/service.js';
import { Permissions } from '../world/policies.js';
import type { OperationInfo } from '../behaviour/operation.js';
import { InvalidRequests } from './invalid-request.js';
import type { World } from '../world/world.js';
import { SessionCache } from './identity.js';
import { RecordWriter } from './record-writer.js';
import type { RenderedEvent, RenderedRecords } from './rendered.js';
import type { CompiledTemplate } from './template.js';
import { fieldsOf } from './version.js';

/** The settings that shape every record. */
export interface RenderSettings {
  eventVersion: string;
  /** Share of calls that fail, 0..1. */
  errorRate: number;
  /** Per-operation weight overrides, by eventName. */
  operationWeights: Readonly<Record<string, number>>;
  /** How activity rises and falls over the day and the week. */
  curve: CurveSettings;
  /** The run's period, epoch ms: the world's policy changes fall in it. */
  start: number;
  end: number;
}

/**
 * Renders windows of records from the world and the templates: behaviour decides each window's
 * calls, the record writer writes them, on the window's own random stream. Pure: the same window
 * gives the same records, whatever was rendered before, so windows can be rendered in any order or
 * in parallel.
 */
export class Renderer {
  readonly behaviour: Behaviour<CompiledTemplate>;
  /** Who may call what in the world, and the policy changes of the run (world/policies.ts). */
  readonly permissions: Permissions;
  private readonly root: Rng;
  private readonly writer: RecordWriter;

  constructor(
    readonly world: World,
    readonly templates: readonly CompiledTemplate[],
    settings: RenderSettings,
    lifecycles: readonly ScheduledCall[],
    services: ServiceCatalog,
  ) {
    this.root = new Rng(world.seed).fork('render');
    const d = services.primary.description;
    const permissions = (this.permissions = new Permissions(world, templates, d, {
      seed: world.seed,
      start: settings.start,
      end: settings.end,
      errorRate: settings.errorRate,
    }));
    const invalid = new InvalidRequests(
      templates.map((t) => ({
        eventSource: t.eventSource,
        eventName: t.eventName,
        dir: serviceFor(services, t.eventSource).requestSchemaDir,
      })),
    );
    const invalidable = (t: OperationInfo): boolean => invalid.invalidable(t.eventSource, t.eventName);
    this.behaviour = new Behaviour(
      world,
      templates,
      {
        ...settings,
        consoleOpening: d.console.opening,
        infrastructureAsCode: d.infrastructureAsCode,
        settings: d.settings,
        permissions,
        invalidable,
      },
      lifecycles,
    );
    const anyAccount = world.accounts[0]!;
    this.writer = new RecordWriter(
      fieldsOf(settings.eventVersion),
      settings.eventVersion,
      services,
      new SessionCache(this.root),
      new SeededFaker(this.root),
      this.behaviour.state(anyAccount, anyAccount.homeRegion),
      this.root,
      permissions,
      invalid,
    );
  }

  /** The random stream of a window's calls and records. */
  private streamOf(w: Window): Rng {
    return this.root.fork(`window/${windowLabel(this.world.accounts[w.accountIndex]!.id, w)}`);
  }

  /**
   * Renders every record of a window, in the order the calls were made within each activity, as
   * the text of a log file, `{"Records":[…]}`, in UTF-8.
   */
  renderRecords(w: Window): RenderedRecords {
    this.writer.begin();
    this.behaviour.decideWindow(w, this.streamOf(w), this.writer);
    return this.writer.finish();
  }

  /** A window's records one by one, as JSON text with their times (for line-by-line output). */
  renderWindow(w: Window): RenderedEvent[] {
    const r = this.renderRecords(w);
    return r.times.map((time, i) => ({ time, json: r.body.toString('utf8', r.starts[i], r.ends[i]) }));
  }

  /**
   * A window's calls as behaviour decides them, for tests and tools that read who did what rather
   * than bytes. The records are written too (and dropped): the writer draws from the same stream,
   * so the calls are exactly those `renderRecords` writes.
   */
  decideCalls(w: Window): CallDescription<CompiledTemplate>[] {
    const calls: CallDescription<CompiledTemplate>[] = [];
    const writer = this.writer;
    const tee: CallSink<CompiledTemplate> = {
      call(c, rng) {
        calls.push({ ...c });
        writer.call(c, rng);
      },
    };
    writer.begin();
    this.behaviour.decideWindow(w, this.streamOf(w), tee);
    return calls;
  }

  /**
   * Records of calls decided elsewhere (an incident's), written as a window's are, on a stream
   * forked from the run's by `label`: the window streams are untouched.
   */
  renderCalls(label: string, calls: Iterable<CallDescription<CompiledTemplate>>): RenderedRecords {
    const rng = this.root.fork(`calls/${label}`);
    this.writer.begin();
    for (const c of calls) this.writer.call(c, rng);
    return this.writer.finish();
  }

  /**
   * Renders one record of the named operation in the first account's home Region at `time`,
   * for people eyeballing output and for tests of consumers.
   */
  renderOne(eventName: string, time: number, opts: { fail?: string } = {}): Record<string, unknown> {
    const t = this.templates.find((x) => x.eventName === eventName);
    if (!t) throw new Error(`no template for ${eventName}`);
    this.writer.begin();
    this.behaviour.decideOne(t, time, this.root.fork(`one/${eventName}/${time}`), this.writer, opts.fail);
    return JSON.parse(this.writer.firstRecordText()) as Record<string, unknown>;
  }
}
