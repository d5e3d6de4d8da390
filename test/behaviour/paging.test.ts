import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedWeek, type WeekRecord } from '../helpers/week.js';

/** What makes two calls pages of one listing: caller and session, operation, Region, request. */
function listingOf(r: WeekRecord): string {
  const id = r.userIdentity as WeekRecord['userIdentity'] & { accessKeyId?: string };
  const { NextToken: _token, ...filters } = r.requestParameters ?? {};
  return JSON.stringify([id.arn ?? id.invokedBy, id.accessKeyId, r.eventName, r.awsRegion, filters]);
}

const hasToken = (r: WeekRecord): boolean => r.requestParameters?.NextToken !== undefined;

// Paging read as an analyst reads it: a page after the first follows the page before it.
describe('paging looks like paging', () => {
  const week = generatedWeek();

  it('every call with a NextToken follows, within 2 s, a run of pages of the same listing that starts without one', () => {
    const byListing = new Map<string, WeekRecord[]>();
    for (const r of week.records) {
      const list = byListing.get(listingOf(r)) ?? [];
      list.push(r);
      byListing.set(listingOf(r), list);
    }
    let pages = 0;
    for (const list of byListing.values()) {
      // Stable: records of one second keep the order they were written in.
      const calls = [...list].sort((a, b) => a.time - b.time);
      calls.forEach((r, i) => {
        if (!hasToken(r)) return;
        pages++;
        // Back through the pages before it, each at most 2 s before the next, to a first page.
        let j = i;
        while (j > 0 && hasToken(calls[j]!) && calls[j]!.time - calls[j - 1]!.time <= 2000) j--;
        expect(hasToken(calls[j]!), `${r.eventTime} ${r.eventName} ${listingOf(r)}`).toBe(false);
        expect(j, `${r.eventTime} ${r.eventName}`).toBeLessThan(i);
      });
    }
    // The week pages at all: a share of its listings read on.
    expect(pages).toBeGreaterThan(week.records.length / 100);
  });

  it('the operations paged are those whose request schema takes a NextToken', () => {
    const dir = week.prepared.services.primary.requestSchemaDir!;
    const takesToken = (name: string): boolean => {
      const file = join(dir, `${name}.schema.json`);
      if (!existsSync(file)) return false;
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties?: Record<string, unknown> };
      return 'NextToken' in (schema.properties ?? {});
    };
    const paged = new Set(week.records.filter(hasToken).map((r) => r.eventName));
    expect(paged.size).toBeGreaterThan(1);
    for (const name of paged) expect(takesToken(name), name).toBe(true);
    for (const t of week.prepared.templates) expect(t.paginated, t.eventName).toBe(takesToken(t.eventName));
  });
});
