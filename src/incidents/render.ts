import { callOf, emptySlot, type CallDescription } from '../behaviour/call.js';
import { encodeRecords } from '../layout/encode.js';
import type { TrailLocation } from '../layout/keys.js';
import type { LogFile } from '../layout/log-file.js';
import { WINDOW_MS } from '../plan/plan.js';
import type { Renderer } from '../render/renderer.js';
import type { CompiledTemplate } from '../render/template.js';
import { Rng } from '../shared/rng.js';
import { isoSeconds } from '../shared/time.js';
import type { IncidentActorLabel, IncidentLabel } from './label.js';
import type { IncidentCall, IncidentPlan, PlannedIncident } from './plan.js';

/** What rendering incidents needs of a prepared run. */
export interface IncidentRun {
  scenario: { seed: number; end: number; gzipLevel: number; digests: boolean };
  location: TrailLocation;
  renderer: Renderer;
}

/** An incident's records: as log files, as lines with their times, and its label. */
export interface RenderedIncident {
  files: LogFile[];
  lines: { time: number; json: string }[];
  label: IncidentLabel;
}

/**
 * Renders each incident's calls with the run's record writer, so its records follow the same
 * envelope and identity rules as every other, and cuts them into log files per account, Region
 * and five-minute window, delivered as the window's would be (on streams of their own).
 */
export function renderIncidents(run: IncidentRun, plan: IncidentPlan): RenderedIncident[] {
  return plan.incidents.map((incident) => renderIncident(run, incident));
}

function renderIncident(run: IncidentRun, incident: PlannedIncident): RenderedIncident {
  const { renderer } = run;
  const account = incident.account;
  const byName = new Map(renderer.templates.map((t) => [t.eventName, t]));
  const actorOf = new Map(incident.actors.map((a) => [a.role, a]));
  const groups = new Map<string, IncidentCall[]>();
  for (const c of incident.calls) {
    const key = `${Math.floor(c.time / WINDOW_MS)}/${c.region}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(c);
  }
  const files: LogFile[] = [];
  const lines: { time: number; json: string; call: IncidentCall }[] = [];
  const deliver = new Rng(run.scenario.seed).fork(`incidents/deliver/${incident.id}`);
  for (const [key, calls] of groups) {
    const region = calls[0]!.region;
    const state = renderer.behaviour.state(account, region);
    const first = actorOf.get(calls[0]!.role)!;
    const slot = emptySlot(renderer.templates[0]!, state, first.principal);
    const start = incident.calls[0]!.time;
    function* descriptions(): Generator<CallDescription<CompiledTemplate>> {
      for (const c of calls) {
        const a = actorOf.get(c.role)!;
        const t = byName.get(c.operation)!;
        const label = c.change ? `${c.change.entity}.${c.change.event}` : undefined;
        yield callOf(slot, {
          template: withRequest(t, c.request),
          account,
          region,
          state,
          principal: a.principal,
          client: a.client,
          time: c.time,
          errorCode: c.errorCode,
          jobStart: start,
          change: c.change,
          label,
          page: 0,
        });
      }
    }
    const r = renderer.renderCalls(`${incident.id}/${key}`, descriptions());
    const records = {
      body: Buffer.from(r.body),
      starts: [...r.starts],
      ends: [...r.ends],
      times: [...r.times],
    };
    calls.forEach((call, i) =>
      lines.push({
        time: records.times[i]!,
        json: records.body.toString('utf8', records.starts[i], records.ends[i]),
        call,
      }),
    );
    const windowEnd = Math.min(run.scenario.end, (Math.floor(calls[0]!.time / WINDOW_MS) + 1) * WINDOW_MS);
    files.push(
      ...encodeRecords(records, { accountId: account.id, region, windowEnd }, deliver.fork(key), {
        location: run.location,
        gzipLevel: run.scenario.gzipLevel,
        hashRaw: run.scenario.digests,
      }),
    );
  }
  lines.sort((a, b) => a.time - b.time);
  return { files, lines: lines.map(({ time, json }) => ({ time, json })), label: labelOf(incident, lines) };
}

/** The template with the playbook's requestParameters in place of its own, when it gives some. */
function withRequest(t: CompiledTemplate, request: Record<string, unknown> | null): CompiledTemplate {
  if (!request) return t;
  return {
    ...t,
    render(ctx, rng, refs, change) {
      const r = t.render(ctx, rng, refs, change);
      return { requestParameters: request, responseElements: r.responseElements };
    },
  };
}

/** The label of an incident, read back from its records: who, from where, when, which eventIDs. */
function labelOf(
  incident: PlannedIncident,
  lines: { time: number; json: string; call: IncidentCall }[],
): IncidentLabel {
  const parsed = lines.map((l) => ({ ...l, r: JSON.parse(l.json) as RecordView }));
  const actors: IncidentActorLabel[] = incident.actors.map((a) => {
    const mine = parsed.filter((p) => p.call.role === a.role).map((p) => p.r);
    return {
      role: a.role,
      type: a.principal.type,
      arn: mine[0]?.userIdentity.arn ?? '',
      accessKeyId: mine[0]?.userIdentity.accessKeyId ?? null,
      sourceIPAddresses: distinct(mine.map((r) => r.sourceIPAddress)),
      userAgents: distinct(mine.map((r) => r.userAgent)),
      brought: a.brought,
    };
  });
  const errors: Record<string, number> = {};
  for (const p of parsed) if (p.r.errorCode) errors[p.r.errorCode] = (errors[p.r.errorCode] ?? 0) + 1;
  const changes = parsed.flatMap(({ call: c }) => (c.change && !c.errorCode ? [changeText(c)] : []));
  return {
    id: incident.id,
    playbook: incident.playbook.name,
    title: incident.playbook.title,
    malicious: incident.playbook.malicious ?? true,
    techniques: incident.playbook.techniques,
    accountId: incident.account.id,
    regions: distinct(parsed.map((p) => p.r.awsRegion)),
    actors,
    start: isoSeconds(lines[0]!.time),
    end: isoSeconds(lines[lines.length - 1]!.time),
    records: lines.length,
    errors,
    changes,
    eventIDs: parsed.map((p) => p.r.eventID),
  };
}

interface RecordView {
  eventID: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  userIdentity: { arn: string; accessKeyId?: string };
}

function changeText(c: IncidentCall): string {
  const ch = c.change!;
  const what = `${ch.entity} ${ch.instance.key}: ${ch.event}`;
  return `${isoSeconds(c.time)} ${c.region}: ${what}`;
}

function distinct(xs: readonly (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => x !== undefined))];
}
