import { existsSync } from 'node:fs';
import { incidentsFlagText, type Incidents } from './incidents.js';
import { readSectionFile } from './section-file.js';

/**
 * What `--incidents` names: `default`, playbook names separated by commas, or a YAML or JSON file
 * holding an incidents section (schemas/incidents.schema.json). A file of that name wins.
 *
 * @example incidentsFromFlag('default') // 'default'
 */
export function incidentsFromFlag(value: string): Incidents {
  const text = existsSync(value) ? undefined : incidentsFlagText(value);
  if (text !== undefined) return text;
  const names = 'default, a list of playbook names (a,b)';
  return readSectionFile(value, '--incidents', 'incidents', names) as Incidents;
}
