import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/shared/rng.js';
import { isoSeconds } from '../../src/shared/time.js';
import { negotiateTls, tlsDetails, tlsDetailsOf, TLS_CHOICES } from '../../src/render/tls.js';
import { CastCurve } from '../../src/plan/curve.js';
import { DEFAULT_CURVE } from '../../src/scenario/curve-settings.js';
import { prepare } from '../../src/pipeline/generate.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import {
  SessionCache,
  sessionFor,
  sessionLabel,
  userIdentity,
  callerArn,
} from '../../src/render/identity.js';
import { hostIn } from '../../src/world/network.js';
import { RegionState } from '../../src/world/view.js';

// The hot path replaced general code by faster code that must give the same answers; each test
// holds the fast code to the plain version it replaced.

describe('hot-path equivalences', () => {
  it('Rng steps the same Alea sequence as seedrandom', () => {
    for (const seed of ['42', '7/render/window/111122223333/us-east-1/1730419200000', '']) {
      const reference = seedrandom.alea(seed);
      const rng = new Rng(seed);
      for (let i = 0; i < 500; i++) expect(rng.next()).toBe(reference());
    }
  });

  it('uuid is the 32 hex draws and the variant draw, laid out as before', () => {
    const a = new Rng('uuid');
    const b = new Rng('uuid');
    const HEX = '0123456789abcdef';
    for (let i = 0; i < 200; i++) {
      let h = '';
      for (let k = 0; k < 32; k++) h += HEX[Math.floor(b.next() * 16)];
      const variant = HEX[8 + Math.floor(b.next() * 4)];
      const expected = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
      expect(a.uuid()).toBe(expected);
    }
  });

  it('isoSeconds matches Date formatting, leap days and year ends included', () => {
    const rng = new Rng('iso');
    const pad = (n: number) => String(n).padStart(2, '0');
    const viaDate = (ms: number) => {
      const d = new Date(ms);
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
    };
    const edges = [
      '2024-02-29T23:59:59Z',
      '2100-03-01T00:00:00Z',
      '2000-02-29T12:00:00Z',
      '2026-12-31T23:59:59Z',
    ];
    for (const e of edges) expect(isoSeconds(Date.parse(e))).toBe(e);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(rng.next() * 4e12) + 999;
      expect(isoSeconds(ms)).toBe(viaDate(ms));
    }
    // Runs within a day reuse the date part; steps across midnights and a leap day replace it.
    for (let ms = Date.parse('2024-02-27T22:00:00Z'); ms < Date.parse('2024-03-02T02:00:00Z'); ms += 37_123)
      expect(isoSeconds(ms)).toBe(viaDate(ms));
  });

  it('negotiateTls gives the tlsDetails the former code drew, from the same draws', () => {
    for (const kind of ['aws-cli', 'sdk-java-v2', 'terraform', 'sdk-go-v2', 'boto3'] as const) {
      for (const t of [Date.parse('2024-01-01T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z')]) {
        const a = new Rng(`tls/${kind}/${t}`);
        const b = new Rng(`tls/${kind}/${t}`);
        for (let i = 0; i < 50; i++) {
          const choice = negotiateTls(kind, t, a);
          expect(TLS_CHOICES).toContain(choice);
          expect(tlsDetailsOf(choice, 'h')).toEqual(tlsDetails(kind, 'h', t, b));
        }
        expect(a.next()).toBe(b.next());
      }
    }
  });

  it('CastCurve skips old insights by bisection and still pages on-call for every fresh HIGH one', () => {
    const p = prepare(
      resolveScenario({ seed: 5, events: 1000, start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }),
    );
    const HOUR = 3_600_000;
    const STEP = HOUR / 2;
    const flat = new CastCurve(p.world, { ...DEFAULT_CURVE, bursts: false });
    const bursty = new CastCurve(p.world, DEFAULT_CURVE);
    let paged = 0;
    for (const account of p.world.accounts) {
      const onCall = account.principals.findIndex((x) => x.onCall);
      for (const region of p.scenario.regions) {
        const kind = p.world.entities.byName.get('insight')!;
        const insights = (account.resources[region]?.instances[kind.index] ?? []).map(
          (i) => i.open as { startTime: number; severity: string },
        );
        for (const i of insights.slice(0, 20)) {
          for (const t of [
            i.startTime,
            i.startTime + HOUR,
            i.startTime + 2 * HOUR - 1000,
            i.startTime + 2 * HOUR,
          ]) {
            // Weights hold for the half hour that t falls in, computed at its start.
            const at = Math.floor(t / STEP) * STEP;
            let high = 0;
            for (const j of insights)
              if (j.startTime <= at && at - j.startTime < 2 * HOUR && j.severity === 'HIGH') high++;
            const quiet = flat.weights(account, region, t).weights[onCall]!;
            const w = bursty.weights(account, region, t).weights[onCall]!;
            if (high === 0) expect(w).toBeGreaterThanOrEqual(quiet);
            else {
              expect(w).toBeGreaterThan(quiet);
              paged++;
            }
          }
        }
      }
    }
    expect(paged).toBeGreaterThan(0);
  });

  it('SessionCache returns what sessionFor draws for the same label, and forgets without changing it', () => {
    const p = prepare(resolveScenario({ seed: 11, events: 1000 }));
    const root = new Rng(11).fork('render');
    const small = new SessionCache(root, 'aws', 3);
    const big = new SessionCache(root);
    const principals = p.world.accounts.flatMap((a) => a.principals).filter((x) => x.type !== 'AWSService');
    const ip = (pr: (typeof principals)[number]) => (r: Rng) =>
      hostIn(r.pick(pr.sourceRanges.length ? pr.sourceRanges : ['3.3.3']), r);
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const pr = principals[i % principals.length]!;
      const client = pr.clients[i % pr.clients.length]!;
      const time = Date.parse('2026-11-01T00:00:00Z') + i * 611_000;
      const jobStart = i % 3 === 0 ? time - 5000 : undefined;
      const s = sessionFor(root, pr, client, time, ip(pr), jobStart);
      const expected = {
        arn: callerArn(pr, s, 'aws'),
        identityBytes: Buffer.from(JSON.stringify(userIdentity(pr, s, 'aws'))),
        sourceIpBytes: Buffer.from(JSON.stringify(s.sourceIp)),
        console: s.console,
      };
      expect(big.get(pr, client, time, ip(pr), jobStart), sessionLabel(pr, client, time, jobStart)).toEqual(
        expected,
      );
      expect(small.get(pr, client, time, ip(pr), jobStart)).toEqual(expected);
      checked++;
    }
    expect(checked).toBe(400);
  });

  it('RegionState.at answers from its kept span as a fresh state would, in any order of times', () => {
    const p = prepare(
      resolveScenario({
        seed: 8,
        events: 40_000,
        start: '2026-10-01T00:00:00Z',
        end: '2026-10-15T00:00:00Z',
      }),
    );
    const deletes = p.lifecycles.filter((c) => c.change.entity === 'insight');
    expect(deletes.length).toBeGreaterThan(0);
    const kind = p.world.entities.byName.get('insight')!.index;
    const rng = new Rng('insights-at');
    let compared = 0;
    for (const call of deletes.slice(0, 10)) {
      const account = p.world.accounts.find((a) => a.id === call.accountId)!;
      const kept = new RegionState(p.world, account, call.region, p.lifecycles);
      const times = [call.time - 1, call.time, call.time + 1];
      for (let i = 0; i < 300; i++)
        times.push(p.scenario.start + Math.floor(rng.next() * (p.scenario.end - p.scenario.start)));
      for (const t of times) {
        const fresh = new RegionState(p.world, account, call.region, p.lifecycles);
        expect(kept.at(kind, t).map((x) => x.key)).toEqual(fresh.at(kind, t).map((x) => x.key));
        compared++;
      }
      expect(kept.at(kind, call.time).some((x) => x.key === call.change.instance.key)).toBe(false);
    }
    expect(compared).toBeGreaterThan(300);
  });
});
