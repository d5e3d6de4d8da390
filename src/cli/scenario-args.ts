import { resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { defaultTemplateDir, loadTemplates } from '../render/template.js';
import { loadPlaybooks } from '../incidents/playbooks.js';
import type { LoadedScenarioFile } from '../scenario/scenario-file.js';
import { resolveScenario, type Scenario, type ScenarioInput } from '../scenario/scenario.js';

/** The flags that decide a run's scenario and output, as yargs hands them over. */
export interface ScenarioFlags {
  scenario?: string;
  seed?: number;
  start?: string;
  end?: string;
  events?: number;
  accounts?: number;
  regions?: string;
  out?: string;
  force?: boolean;
  'event-version'?: string;
  'identity-mix'?: string;
  'error-rate'?: number;
  organization?: boolean;
  'key-prefix'?: string;
  'trail-name'?: string;
  bucket?: string;
  'home-region'?: string;
  digests?: boolean;
  templates?: string[];
  'edge-cases'?: string;
  incidents?: string;
}

/** A run's scenario and where it goes, from a scenario file and the flags that override it. */
export interface RunRequest {
  scenario: Scenario;
  out: string;
  force: boolean;
}

/** The flag that sets a scenario field, for messages about a value that came from a flag. */
const FLAG_OF: Record<string, string> = {
  eventVersion: '--event-version',
  identityMix: '--identity-mix',
  errorRate: '--error-rate',
  organizationTrail: '--organization',
  'trail.name': '--trail-name',
  'trail.prefix': '--key-prefix',
  'trail.bucket': '--bucket',
  'trail.homeRegion': '--home-region',
  edgeCases: '--edge-cases',
  incidents: '--incidents',
};

function flagOf(field: string): string {
  const top = field.split('.')[0]!;
  return FLAG_OF[field] ?? FLAG_OF[top] ?? `--${top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Maps flags onto the scenario input; flags a user did not give stay absent. */
export function scenarioInputFromFlags(f: ScenarioFlags): ScenarioInput {
  const input: ScenarioInput = {
    seed: f.seed,
    start: f.start,
    end: f.end,
    events: f.events,
    accounts: f.accounts,
    regions: f.regions,
    eventVersion: f['event-version'],
    identityMix: f['identity-mix'],
    errorRate: f['error-rate'],
    organizationTrail: f.organization,
    digests: f.digests,
    // Absolute, so that the manifest's scenario reruns from any folder.
    templates: f.templates?.map((t) => resolve(t)),
    trail: { name: f['trail-name'], prefix: f['key-prefix'], bucket: f.bucket, homeRegion: f['home-region'] },
  };
  return withoutUndefined(input) as ScenarioInput;
}

/** Drops absent values (NaN stays, to be reported), nested objects included. */
function withoutUndefined(o: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? withoutUndefined(v as object) : v;
  }
  return out;
}

function given(input: ScenarioInput, field: string): boolean {
  let v: unknown = input;
  for (const s of field.split('.').slice(0, 2)) {
    if (typeof v !== 'object' || v === null) return false;
    v = (v as Record<string, unknown>)[s];
  }
  return v !== undefined;
}

/** What the user asked for, before it is checked: the combined input and where each field came from. */
export interface GatheredInput {
  input: ScenarioInput;
  /** Names a field as the user gave it: a flag, or the scenario file's line and JSON path. */
  where: (field: string) => string;
  out: string;
  force: boolean;
}

/**
 * Reads the scenario file if any and lays the flags the user gave over it. Nothing is checked
 * beyond the file's schema; `resolveGathered` does the rest.
 *
 * @example (await gatherInput({ scenario: 'examples/ci-fixture.yaml', seed: 7 })).input.seed // 7
 */
export async function gatherInput(flags: ScenarioFlags): Promise<GatheredInput> {
  const fromFlags = scenarioInputFromFlags(flags);
  if (flags['edge-cases'] !== undefined) {
    // A profile file is read (YAML parser, schema validator) only when one is named.
    const { edgeCasesFromFlag } = await import('../scenario/edge-case-file.js');
    fromFlags.edgeCases = edgeCasesFromFlag(flags['edge-cases']);
  }
  if (flags.incidents !== undefined) {
    const { incidentsFromFlag } = await import('../scenario/incident-file.js');
    fromFlags.incidents = incidentsFromFlag(flags.incidents);
  }
  let file: LoadedScenarioFile | undefined;
  let input = fromFlags;
  if (flags.scenario !== undefined) {
    // The YAML parser and the schema validator load only for a scenario file (start-up time).
    const { combineInputs, loadScenarioFile } = await import('../scenario/scenario-file.js');
    file = loadScenarioFile(flags.scenario);
    input = combineInputs(file.input, fromFlags);
  }
  const where = (field: string): string =>
    !file || given(fromFlags, field) || (field.startsWith('regions.') && given(fromFlags, 'regions'))
      ? flagOf(field)
      : file.where(field);
  const output = file?.output;
  return {
    input,
    where,
    out: flags.out ?? output?.out ?? 'out',
    force: flags.force ?? output?.force ?? false,
  };
}

/**
 * Checks the input down to the operation names (which need the templates).
 *
 * @throws UsageError naming the flag, or the file and JSON path, of the first problem
 */
export function resolveGathered(input: ScenarioInput, where: (field: string) => string): Scenario {
  const scenario = resolveScenario(input, where);
  checkOperations(scenario, where);
  if (scenario.incidents) checkIncidents(scenario, where);
  return scenario;
}

/**
 * Resolves what a generating command was asked for: the scenario file if any, overridden by the
 * flags the user gave, checked.
 *
 * @example (await requestFromFlags({ scenario: 'examples/ci-fixture.yaml', seed: 7 })).scenario.seed // 7
 */
export async function requestFromFlags(flags: ScenarioFlags): Promise<RunRequest> {
  const g = await gatherInput(flags);
  return { scenario: resolveGathered(g.input, g.where), out: g.out, force: g.force };
}

/** Loads the playbooks up front: a bad playbook or an unknown name fails before any write. */
function checkIncidents(scenario: Scenario, where: (field: string) => string): void {
  const dirs = [defaultTemplateDir(), ...scenario.templates];
  const names = new Set(loadPlaybooks(dirs, loadTemplates(dirs)).map((p) => p.name));
  if (scenario.incidents === 'default') return;
  scenario.incidents?.forEach((r, i) => {
    if (!names.has(r.playbook))
      throw new UsageError(
        where(`incidents.${i}.playbook`),
        `no playbook "${r.playbook}" (there are: ${[...names].join(', ')})`,
      );
  });
}

/** Loads the templates once up front: a bad template or an unknown operation name fails before any write. */
function checkOperations(scenario: Scenario, where: (field: string) => string): void {
  // Built-in templates at their own weights: nothing the user gave to check, and the run loads
  // the templates anyway (a second load here would only cost start-up time).
  if (scenario.templates.length === 0 && Object.keys(scenario.operationWeights).length === 0) return;
  const templates = loadTemplates([defaultTemplateDir(), ...scenario.templates]);
  const names = new Set(templates.map((t) => t.eventName));
  for (const op of Object.keys(scenario.operationWeights)) {
    if (!names.has(op))
      throw new UsageError(
        where(`operationWeights.${op}`),
        `no template for an operation "${op}" (see trailsim operations)`,
      );
  }
  if (!templates.some((t) => !t.scheduledOnly && (scenario.operationWeights[t.eventName] ?? t.weight) > 0))
    throw new UsageError(where('operationWeights'), 'every operation has weight 0: nothing to generate');
}
