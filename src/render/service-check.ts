import { serviceFor, ServiceError, type ServiceCatalog } from '../world/service.js';
import type { EntityRegistry } from '../world/entity-registry.js';
import { entityPath } from './context-paths.js';
import { TemplateError, type CompiledTemplate } from './template.js';
import type { ServiceDescription } from '../generated/service.js';

/** A grant names a policy the description holds, and its patterns are regular expressions. */
function checkPolicies(file: string, d: ServiceDescription): void {
  const regex = (text: string, path: string): void => {
    try {
      new RegExp(text);
    } catch (err) {
      throw new ServiceError(file, path, `not a regular expression: ${(err as Error).message}`);
    }
  };
  (d.grants ?? []).forEach((g, i) => {
    if (!(g.policy in (d.permissions ?? {})))
      throw new ServiceError(file, `/grants/${i}/policy`, `no policy "${g.policy}" in permissions`);
    if (g.principal !== undefined) regex(g.principal, `/grants/${i}/principal`);
  });
  (d.serviceControlPolicies ?? []).forEach((scp, i) => {
    if (scp.exceptPrincipal !== undefined)
      regex(scp.exceptPrincipal, `/serviceControlPolicies/${i}/exceptPrincipal`);
  });
}

/**
 * Checks the entity paths a template reads: the kind is declared by some service, the field by the
 * kind, and a list where one is needed (`$sample`) or a scalar where one is (a format).
 */
function checkPaths(t: CompiledTemplate, registry: EntityRegistry): void {
  for (const use of t.paths) {
    const e = entityPath(use.path);
    if (!e) continue;
    const kind = registry.byName.get(e.kind);
    if (!kind)
      throw new TemplateError(
        t.file,
        use.where,
        `unknown entity kind "${e.kind}" in "${use.path}" (declared: ${[...registry.byName.keys()].join(', ')})`,
      );
    const field = kind.fieldKinds.get(e.field);
    if (!field)
      throw new TemplateError(
        t.file,
        use.where,
        `${e.kind} has no field "${e.field}" (${kind.file} declares ${kind.fields.join(', ')})`,
      );
    const list = e.all || field === 'list';
    if (use.want === 'list' && !list)
      throw new TemplateError(t.file, use.where, `"${use.path}" is not a list`);
    if (use.want === 'string' && list)
      throw new TemplateError(t.file, use.where, `"${use.path}" is a list, not a string`);
  }
}

/**
 * Checks templates and service descriptions against each other, before anything is written: a
 * template requires and changes only entity kinds (and changes) its service declares, and every
 * operation a service description names (duties, the cast's polls, the console's opening, schedules, IaC tools) has
 * a template, and every entity path a template reads names a declared kind and field. The first
 * problem is thrown as one line naming the file and JSON path.
 *
 * @example checkServices(loadServices([dir]), loadTemplates([dir]), buildEntityRegistry(catalog))
 */
export function checkServices(
  catalog: ServiceCatalog,
  templates: readonly CompiledTemplate[],
  registry: EntityRegistry,
): void {
  for (const t of templates) {
    checkPaths(t, registry);
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
      ...Object.entries(d.cast ?? {}).flatMap(([name, c]) =>
        (['polls', 'workloadPolls'] as const).flatMap((kind) =>
          (c[kind] ?? []).map((p, i): [string, readonly string[]] => [
            `/cast/${name}/${kind}/${i}/operations`,
            p.operations,
          ]),
        ),
      ),
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
    checkPolicies(service.file, d);
    const need = (path: string, op: string): void => {
      if (!own.has(op))
        throw new ServiceError(service.file, path, `operation "${op}" has no template of ${d.eventSource}`);
    };
    for (const [path, ops] of lists) ops.forEach((op, i) => need(`${path}/${i}`, op));
    if (d.examples) {
      need('/examples/operation', d.examples.operation);
      need('/examples/failing/operation', d.examples.failing.operation);
    }
  }
}
