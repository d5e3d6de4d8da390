import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { listLogFiles } from '../stats/collect.js';
import { gunzipSingleMember } from '../validate/gunzip.js';
import { chainOf, parseTreeKey, type DigestKey } from '../validate/tree-key.js';
import { HOUR, type DigestChain } from './report-data.js';

/** The digest fields coverage needs. */
interface DigestFields {
  digestStartTime?: unknown;
  digestEndTime?: unknown;
  previousDigestS3Object?: unknown;
}

export interface DigestCoverage {
  digestFiles: number;
  digestHours: number[];
  chains: DigestChain[];
}

/**
 * How far the signed digests of a tree reach, per account and Region: which hours they cover and
 * where the chain breaks (a digest that starts a new chain, links to another than the one before
 * it, starts later than that one ended, or cannot be read). Reads one digest at a time; keeps each
 * chain's keys and spans, a few per hour of the period. `trailsim validate` checks digests in full;
 * this only draws them.
 *
 * @example digestCoverage('out').chains[0] // { account: '4831…', region: 'ap-south-1', digests: 24, breaks: 0, … }
 */
export function digestCoverage(root: string): DigestCoverage {
  const chains = new Map<string, DigestKey[]>();
  let digestFiles = 0;
  for (const path of listLogFiles(root, 'CloudTrail-Digest')) {
    const key = parseTreeKey(relative(root, path).split(sep).join('/'));
    if (typeof key === 'string' || key.kind !== 'digest') continue;
    digestFiles++;
    const id = `${chainOf(key)}|${key.trailName}|${key.backfill}`;
    const list = chains.get(id) ?? chains.set(id, []).get(id)!;
    list.push(key);
  }
  const spans: { chain: DigestChain; start: number; end: number; broken: boolean; read: boolean }[] = [];
  const out: DigestChain[] = [];
  for (const list of chains.values()) {
    list.sort((a, b) => a.end - b.end || (a.key < b.key ? -1 : 1));
    const first = list[0]!;
    const chain: DigestChain = {
      account: first.accountId,
      region: first.region + (first.backfill ? ' (backfill)' : ''),
      digests: list.length,
      hoursCovered: 0,
      breaks: 0,
      covered: [],
      breakAt: [],
    };
    out.push(chain);
    let before: { key: string; end: number } | undefined;
    for (const k of list) {
      const d = readDigest(join(root, k.key));
      const start = typeof d?.digestStartTime === 'string' ? Date.parse(d.digestStartTime) : NaN;
      const end = typeof d?.digestEndTime === 'string' ? Date.parse(d.digestEndTime) : k.end;
      const linked =
        before === undefined ||
        (d?.previousDigestS3Object === before.key && !Number.isNaN(start) && start <= before.end);
      const broken = !linked || d === undefined;
      if (broken) chain.breaks++;
      const from = Number.isNaN(start) ? end - HOUR : start;
      chain.hoursCovered += d === undefined ? 0 : (end - from) / HOUR;
      spans.push({ chain, start: from, end, broken, read: d !== undefined });
      before = { key: k.key, end };
    }
    chain.hoursCovered = Math.round(chain.hoursCovered * 10) / 10;
  }
  out.sort((a, b) => (a.account + a.region < b.account + b.region ? -1 : 1));
  if (spans.length === 0) return { digestFiles, digestHours: [], chains: out };
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of spans) {
    lo = Math.min(lo, Math.floor(s.start / HOUR) * HOUR);
    hi = Math.max(hi, s.end);
  }
  const digestHours: number[] = [];
  for (let t = lo; t < hi; t += HOUR) digestHours.push(t);
  for (const s of spans) {
    const a = Math.floor((s.start - lo) / HOUR);
    const b = Math.ceil((s.end - lo) / HOUR);
    if (s.read) for (let i = a; i < b; i++) s.chain.covered.push(i);
    if (s.broken) s.chain.breakAt.push(a);
  }
  for (const c of out) c.covered = [...new Set(c.covered)].sort((x, y) => x - y);
  return { digestFiles, digestHours, chains: out };
}

function readDigest(path: string): DigestFields | undefined {
  try {
    const body = JSON.parse(gunzipSingleMember(readFileSync(path)).toString('utf8')) as unknown;
    return typeof body === 'object' && body !== null ? (body as DigestFields) : undefined;
  } catch {
    return undefined;
  }
}
