import { EDGE_CASE_PROFILES, type EdgeCases } from './edge-cases.js';
import { readSectionFile } from './section-file.js';

/**
 * What `--edge-cases` names: a built-in profile, or a YAML or JSON file holding an edge-case
 * section (schemas/edge-cases.schema.json), checked here so that a bad one names its field.
 *
 * @example edgeCasesFromFlag('hostile') // { profile: 'hostile' }
 */
export function edgeCasesFromFlag(value: string): EdgeCases {
  if (value in EDGE_CASE_PROFILES) return { profile: value as keyof typeof EDGE_CASE_PROFILES };
  const names = `a profile (${Object.keys(EDGE_CASE_PROFILES).join(', ')})`;
  return readSectionFile(value, '--edge-cases', 'edge-cases', names) as EdgeCases;
}
