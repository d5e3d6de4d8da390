import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceDescription } from '../../src/generated/service.js';
import { generatedWeek, principalOf, type WeekRecord } from '../helpers/week.js';
import { ROOT } from '../helpers/tree.js';

const SERVICE = JSON.parse(
  readFileSync(join(ROOT, 'templates', 'devops-guru', 'service.json'), 'utf8'),
) as ServiceDescription;

/** The IaC tool a record comes from, as its identity and user agent show it. */
function toolOf(r: WeekRecord): string | undefined {
  if (/ Terraform\//.test(` ${r.userAgent}`)) return 'terraform';
  if (r.userIdentity.arn?.endsWith('/AWSCloudFormation')) return 'cloudformation';
  return undefined;
}

describe('infrastructure as code and settings', () => {
  const week = generatedWeek();

  it('Terraform and CloudFormation call only what their resources use', () => {
    const seen = new Map<string, Set<string>>();
    for (const r of week.records) {
      const tool = toolOf(r);
      if (!tool) continue;
      const ops = seen.get(tool) ?? new Set<string>();
      ops.add(r.eventName);
      seen.set(tool, ops);
    }
    expect([...seen.keys()].sort()).toEqual(['cloudformation', 'terraform']);
    for (const [tool, ops] of seen) {
      const allowed = new Set(
        Object.values(SERVICE.infrastructureAsCode![tool]!.resources).flatMap((res) => [
          ...(res.read ?? []),
          ...(res.create ?? []),
          ...(res.update ?? []),
          ...(res.delete ?? []),
        ]),
      );
      for (const op of ops) expect(allowed.has(op), `${tool} calls ${op}`).toBe(true);
    }
  });

  it('a notification channel is removed only by the principal and tool that added it', () => {
    const added = new Map<string, string>();
    let removed = 0;
    const who = (r: WeekRecord): string => `${principalOf(week, r)?.key}/${toolOf(r) ?? 'other'}`;
    for (const r of week.records) {
      const body = r as WeekRecord & { responseElements?: { Id?: string } | null; errorCode?: string };
      if (body.errorCode) continue;
      if (r.eventName === 'AddNotificationChannel' && body.responseElements?.Id)
        added.set(body.responseElements.Id, who(r));
      if (r.eventName === 'RemoveNotificationChannel') {
        const id = r.requestParameters?.Id as string;
        // Channels of the world from before the period have no AddNotificationChannel here.
        if (!added.has(id)) continue;
        expect(who(r), id).toBe(added.get(id));
        removed++;
      }
    }
    expect(removed).toBeGreaterThan(0);
  });

  it('settings change a few times per account per month, and feedback is occasional', () => {
    const changes = new Set(SERVICE.settings!.changes.map((c) => c.operations[c.operations.length - 1]!));
    const accounts = week.prepared.world.accounts.length;
    const updates = week.records.filter((r) => changes.has(r.eventName));
    // A week is a quarter of a month: a few a month per account is at most a couple a week.
    expect(updates.length / accounts).toBeLessThanOrEqual(2);
    for (const r of updates) {
      const p = principalOf(week, r)!;
      expect(p.configures, p.key).toBe(true);
    }
    const feedback = week.records.filter((r) => r.eventName === 'PutFeedback').length;
    expect(feedback / week.records.length).toBeLessThan(0.005);
  });
});
