import { serviceFor, ServiceError, type ServiceCatalog } from '../world/service.js';
import { TemplateError, type CompiledTemplate } from './template.js';

/**
 * Checks templates and service descriptions against each other, before anything is written: a
 * template requires and changes only entity kinds (and changes) its service declares, and every
 * operation a service description names (duties, the console's opening, schedules, IaC tools) has
 * a template. The first problem is thrown as one line naming the file and JSON path.
 *
 * @example checkServices(loadServices([dir]), loadTemplates([dir]))
 */
export function checkServices(catalog: ServiceCatalog, templates: readonly CompiledTemplate[]): void {
  for (const t of templates) {
    const service = serviceFor(catalog, t.eventSource);
    const kinds = [...service.entityKinds].join(', ');
    t.requires.forEach((kind, i) => {
      if (!service.entityKinds.has(kind))
        throw new TemplateError(
          t.file,
          `/requires/${i}`,
          `unknown entity kind "${kind}" (${service.file} declares ${kinds})`,
        );
    });
    for (const change of t.lifecycle) {
      if (!service.changes.has(change))
        throw new TemplateError(
          t.file,
          `/lifecycle/${change}`,
          `unknown change "${change}" (${service.file} declares ${[...service.changes].join(', ')})`,
        );
    }
  }
  for (const service of catalog.bySource.values()) {
    const d = service.description;
    const own = new Set(templates.filter((t) => t.eventSource === d.eventSource).map((t) => t.eventName));
    const lists: [string, readonly string[]][] = [
      ...Object.entries(d.duties).map(([name, ops]): [string, readonly string[]] => [`/duties/${name}`, ops]),
      ['/console/opening', d.console.opening],
      ...(d.schedules ?? []).map((s, i): [string, readonly string[]] => [
        `/schedules/${i}/operations`,
        s.operations,
      ]),
      ...(d.settings?.changes ?? []).map((c, i): [string, readonly string[]] => [
        `/settings/changes/${i}/operations`,
        c.operations,
      ]),
      ...Object.entries(d.infrastructureAsCode ?? {}).flatMap(([tool, iac]) =>
        Object.entries(iac.resources).flatMap(([type, r]) =>
          (['read', 'create', 'update', 'delete'] as const).map((verb): [string, readonly string[]] => [
            `/infrastructureAsCode/${tool}/resources/${type}/${verb}`,
            r[verb] ?? [],
          ]),
        ),
      ),
    ];
    for (const [path, ops] of lists)
      ops.forEach((op, i) => {
        if (!own.has(op))
          throw new ServiceError(
            service.file,
            `${path}/${i}`,
            `operation "${op}" has no template of ${d.eventSource}`,
          );
      });
  }
}
