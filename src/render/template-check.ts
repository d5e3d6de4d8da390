import { relative } from 'node:path';
import { buildEntityRegistry } from '../world/entity-registry.js';
import { loadServices } from '../world/service.js';
import { checkServices } from './service-check.js';
import { defaultTemplateDir, loadTemplates } from './template.js';

/** One template of a checked folder. */
export interface CheckedTemplate {
  file: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  /** Replaces a built-in template of the same event. */
  overrides: boolean;
}

/**
 * Checks a template folder as a run would load it, after the built-in templates: schema, generator
 * names, context paths and references, one template per event, and the folder's service
 * descriptions against its templates (entities, duties, schedules).
 *
 * @example checkTemplateFolder('examples/templates').map((t) => t.eventName) // ['GetFindings']
 * @throws UsageError (a TemplateError) naming the file and JSON path of the first problem
 */
export function checkTemplateFolder(dir: string): CheckedTemplate[] {
  const builtIn = new Set(
    loadTemplates([defaultTemplateDir()]).map((t) => `${t.eventSource} ${t.eventName}`),
  );
  const own = loadTemplates([dir]);
  // Loading both as a run does catches what only shows in combination.
  const dirs = [defaultTemplateDir(), dir];
  const services = loadServices(dirs);
  checkServices(services, loadTemplates(dirs), buildEntityRegistry(services));
  return own.map((t) => ({
    file: relative(dir, t.file),
    eventSource: t.eventSource,
    eventName: t.eventName,
    readOnly: t.readOnly,
    overrides: builtIn.has(`${t.eventSource} ${t.eventName}`),
  }));
}
