import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Playbook, Step } from '../generated/playbook.js';
import { PLAYBOOK_SUFFIX, type CompiledTemplate } from '../render/template.js';
import { UsageError } from '../shared/errors.js';
import { schemaValidator } from '../shared/schema-validator.js';
import { templateFolderFiles } from '../world/service.js';

export type { Playbook, Step };

/** A playbook as loaded: its file, for messages. */
export interface LoadedPlaybook extends Playbook {
  file: string;
}

/** A playbook that cannot be used; one line: `<file>: <json path>: <problem>`. */
export class PlaybookError extends UsageError {
  constructor(file: string, jsonPath: string, message: string) {
    super(`${file}: ${jsonPath || '/'}`, message);
  }
}

/**
 * Loads every `*.playbook.json` under the template folders (recursively), checks each against
 * schemas/playbook.schema.json and against the templates (operations that exist, outcomes they can
 * return, changes they carry out). A later folder's playbook replaces an earlier one of the same
 * name. Sorted by name.
 *
 * @example loadPlaybooks([defaultTemplateDir()], templates).map((p) => p.name) // ['channel-to-foreign-topic', …]
 * @throws PlaybookError for the first bad playbook
 */
export function loadPlaybooks(
  dirs: readonly string[],
  templates: readonly CompiledTemplate[],
): LoadedPlaybook[] {
  const byName = new Map<string, LoadedPlaybook>();
  for (const dir of dirs) {
    const inThisDir = new Map<string, string>();
    for (const file of templateFolderFiles(dir, (n) => n.endsWith(PLAYBOOK_SUFFIX))) {
      const p = loadPlaybookFile(file, templates);
      const other = inThisDir.get(p.name);
      if (other !== undefined)
        throw new PlaybookError(file, '/name', `"${p.name}" already names ${relative(dir, other)}`);
      inThisDir.set(p.name, file);
      byName.set(p.name, p);
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function loadPlaybookFile(file: string, templates: readonly CompiledTemplate[]): LoadedPlaybook {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PlaybookError(file, '/', `not valid JSON: ${(err as Error).message}`);
  }
  const problem = schemaValidator('playbook')(json)[0];
  if (problem !== undefined) {
    const cut = problem.indexOf(': ');
    const pointer = problem.slice(0, cut);
    const message = problem.slice(cut + 2);
    throw new PlaybookError(
      file,
      pointer,
      message === 'is not allowed here' ? `unknown key "${pointer.split('/').at(-1) ?? ''}"` : message,
    );
  }
  const p = json as Playbook;
  checkPlaybook(p, file, templates);
  return { ...p, file };
}

/** What the schema cannot say: names that must exist, ranges in order, outcomes a call can have. */
function checkPlaybook(p: Playbook, file: string, templates: readonly CompiledTemplate[]): void {
  for (const [role, a] of Object.entries(p.actors)) {
    if (a.from === 'new-role' && a.type !== undefined && a.type !== 'AssumedRole')
      throw new PlaybookError(file, `/actors/${role}/type`, 'a new role is an AssumedRole');
    if (a.from === 'new-role' && a.roleName === undefined)
      throw new PlaybookError(file, `/actors/${role}`, 'a new role needs a roleName');
  }
  p.steps.forEach((s, i) => {
    const at = `/steps/${i}`;
    if (!(s.actor in p.actors))
      throw new PlaybookError(
        file,
        `${at}/actor`,
        `"${s.actor}" is not one of the actors (${Object.keys(p.actors).join(', ')})`,
      );
    for (const key of ['after', 'calls', 'gap'] as const) {
      const r = s[key];
      if (r && r[0]! > r[1]!)
        throw new PlaybookError(file, `${at}/${key}`, `min ${r[0]} is above max ${r[1]}`);
    }
    s.operations.forEach((op, k) => {
      const t = templates.find((x) => x.eventName === op);
      if (!t) throw new PlaybookError(file, `${at}/operations/${k}`, `no template for an operation "${op}"`);
      const codes = typeof s.outcome === 'string' ? [s.outcome] : Object.keys(s.outcome ?? {});
      for (const code of codes) {
        if (code !== 'success' && !t.errors.some((e) => e.code === code))
          throw new PlaybookError(file, `${at}/outcome`, `${op} does not return ${code}`);
      }
      if (s.change && !t.lifecycle.includes(s.change))
        throw new PlaybookError(file, `${at}/change`, `${op} does not carry out "${s.change}"`);
    });
    if (s.change && s.request)
      throw new PlaybookError(
        file,
        `${at}/request`,
        'a step that changes the world sends what the change says',
      );
  });
}
