import { describe, expect, it } from 'vitest';
import { addCaller, emptyCallerStats, formatCallers, isPerson } from '../../src/stats/callers.js';
import { generatedWeek } from '../helpers/week.js';

describe('stats: callers', () => {
  it('tells people from automation as the world made them, on a generated week', () => {
    const week = generatedWeek();
    const byArn = new Map<string, boolean>();
    for (const a of week.prepared.world.accounts)
      for (const p of a.principals) byArn.set(`${a.id}/${p.name}`, p.actor === 'human');
    let agree = 0;
    let all = 0;
    for (const r of week.records) {
      const u = r.userIdentity;
      const name =
        u.type === 'Root'
          ? 'root'
          : (u.userName ??
            u.sessionContext?.sessionIssuer?.userName ??
            u.arn?.split('/').pop() ??
            u.invokedBy);
      const human = byArn.get(`${r.recipientAccountId}/${name}`);
      if (human === undefined) continue;
      all++;
      if (isPerson(r) === human) agree++;
    }
    expect(all).toBeGreaterThan(10_000);
    // A person's own scripts (an IAM user with an SDK) read as automation, as they would to an analyst.
    expect(agree / all).toBeGreaterThan(0.93);
  });

  it('counts by hour of the day and by caller, and shows hours in the zone asked for', () => {
    const s = emptyCallerStats();
    const root = { type: 'Root', arn: 'arn:aws:iam::111122223333:root' };
    const job = { type: 'AWSService', invokedBy: 'ssm.amazonaws.com' };
    addCaller(s, { eventTime: '2026-11-02T15:04:05Z', userIdentity: root });
    addCaller(s, { eventTime: '2026-11-02T15:30:00Z', userIdentity: root });
    addCaller(s, { eventTime: '2026-11-02T03:00:00Z', userIdentity: job });
    expect(s.peopleByHour[15]).toBe(2);
    expect(s.automationByHour[3]).toBe(1);
    expect(s.byCaller).toEqual({ 'arn:aws:iam::111122223333:root': 2, 'ssm.amazonaws.com': 1 });
    const lines = formatCallers(s, -5);
    expect(lines[0]).toContain('UTC-5');
    // 15:00 UTC is 10:00 at UTC-5.
    expect(lines.find((l) => l.startsWith('  10:00'))).toMatch(/^ {2}10:00 +2 +0 /);
    expect(lines.at(-2)).toMatch(/2 {2}arn:aws:iam::111122223333:root$/);
  });
});
