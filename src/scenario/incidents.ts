import type { IncidentRequest, Incidents } from '../generated/incidents.js';
import { UsageError } from '../shared/errors.js';

export type { IncidentRequest, Incidents };

/**
 * Checks the incidents of a scenario as far as the scenario can (times inside the period, accounts
 * that exist); playbook names are checked against the playbooks when they are loaded.
 *
 * @example resolveIncidents([{ playbook: 'root-console', at: '2026-11-03T02:10:00Z' }], (f) => f, s, e, 3)
 */
export function resolveIncidents(
  input: Incidents,
  where: (field: string) => string,
  start: number,
  end: number,
  accounts: number,
): Incidents {
  if (input === 'default') return input;
  return input.map((r, i) => {
    if (r.at !== undefined) {
      const t = Date.parse(r.at);
      if (!/(Z|[+-]\d\d:\d\d)$/.test(r.at) || Number.isNaN(t))
        throw new UsageError(where(`incidents.${i}.at`), `"${r.at}" is not an ISO 8601 time with a zone`);
      if (t < start || t >= end)
        throw new UsageError(where(`incidents.${i}.at`), `${r.at} is outside the period of the run`);
    }
    if (typeof r.account === 'number' && r.account >= accounts)
      throw new UsageError(
        where(`incidents.${i}.account`),
        `account ${r.account} does not exist: the run has ${accounts} (0 to ${accounts - 1})`,
      );
    return r;
  });
}

/**
 * What `--incidents` names: `default` (every playbook once), playbook names separated by commas,
 * or a YAML or JSON file holding an incidents section (schemas/incidents.schema.json).
 *
 * @example incidentsFlagText('root-console,runaway-automation') // [{ playbook: 'root-console' }, { playbook: 'runaway-automation' }]
 */
export function incidentsFlagText(value: string): Incidents | undefined {
  if (value === 'default') return 'default';
  if (/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(value)) return value.split(',').map((playbook) => ({ playbook }));
  return undefined;
}
