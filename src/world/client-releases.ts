import type { Rng } from '../shared/rng.js';

/**
 * When the programs that call DevOps Guru released which versions, and the runtimes and systems
 * they run on: what `makeClient` (clients.ts) draws a plausible user agent for a date from.
 */
/** A release line: version components grow linearly between dated anchors (epoch ms, major, minor, patch). */
export interface ReleaseLine {
  anchors: readonly (readonly [number, number, number, number])[];
  /** False for lines that publish every release as a new minor (`3.632.0`), never a patch. */
  patches?: boolean;
}

export const day = 86_400_000;
export const at = (iso: string): number => Date.parse(iso);

/**
 * Roughly how each client's version advanced; enough to keep versions plausible for a date. An
 * anchor is a release and its date, so a version drawn for a date is never above the version of a
 * later anchor. Anchors after today extrapolate the release pace.
 */
export const RELEASE_LINES: Readonly<Record<string, ReleaseLine>> = {
  awscli: {
    anchors: [
      [at('2021-01-05'), 2, 1, 17],
      [at('2022-01-04'), 2, 4, 9],
      [at('2023-07-19'), 2, 13, 0],
      [at('2024-12-20'), 2, 22, 18],
      [at('2025-11-19'), 2, 32, 0],
      [at('2027-06-01'), 2, 42, 0],
    ],
  },
  botocore: {
    anchors: [
      [at('2021-01-05'), 1, 19, 47],
      [at('2022-01-04'), 1, 23, 29],
      [at('2023-07-19'), 1, 31, 0],
      [at('2024-12-20'), 1, 35, 85],
      [at('2025-11-19'), 1, 41, 0],
      [at('2027-06-01'), 1, 46, 0],
    ],
  },
  jsv3: {
    patches: false,
    anchors: [
      [at('2021-01-05'), 3, 2, 0],
      [at('2022-01-04'), 3, 45, 0],
      [at('2023-07-19'), 3, 370, 0],
      [at('2024-08-20'), 3, 632, 0],
      [at('2025-11-19'), 3, 930, 0],
      [at('2027-06-01'), 3, 1250, 0],
    ],
  },
  javav2: {
    anchors: [
      [at('2021-01-05'), 2, 15, 58],
      [at('2022-01-04'), 2, 17, 102],
      [at('2023-07-19'), 2, 20, 100],
      [at('2024-12-20'), 2, 29, 40],
      [at('2025-10-20'), 2, 34, 3],
      [at('2027-06-01'), 2, 40, 0],
    ],
  },
  terraform: {
    anchors: [
      [at('2021-01-06'), 0, 14, 4],
      [at('2021-06-08'), 1, 0, 0],
      [at('2022-01-05'), 1, 1, 3],
      [at('2023-07-19'), 1, 5, 3],
      [at('2024-12-20'), 1, 10, 3],
      [at('2025-11-19'), 1, 14, 0],
      [at('2027-06-01'), 1, 16, 0],
    ],
  },
  tfaws: {
    anchors: [
      [at('2021-01-07'), 3, 23, 0],
      [at('2022-01-06'), 3, 71, 0],
      [at('2022-02-10'), 4, 0, 0],
      [at('2023-05-25'), 5, 0, 0],
      [at('2023-07-19'), 5, 9, 0],
      [at('2024-12-20'), 5, 82, 0],
      [at('2025-06-18'), 6, 0, 0],
      [at('2025-11-19'), 6, 22, 0],
      [at('2027-06-01'), 6, 60, 0],
    ],
  },
  gov2: {
    anchors: [
      [at('2021-01-19'), 1, 0, 0],
      [at('2022-01-07'), 1, 11, 2],
      [at('2023-07-19'), 1, 19, 0],
      [at('2024-12-20'), 1, 32, 7],
      [at('2025-11-19'), 1, 39, 6],
      [at('2027-06-01'), 1, 45, 0],
    ],
  },
  consoleSdk: {
    anchors: [
      [at('2020-12-01'), 1, 11, 901],
      [at('2023-07-19'), 1, 12, 500],
      [at('2025-11-19'), 1, 12, 790],
      [at('2027-06-01'), 1, 12, 800],
    ],
  },
};

/**
 * The version of a release line that was current `lagDays` before `ms`. Before the first anchor it
 * is the first anchor's version (the line's oldest known release).
 */
export function versionAt(line: ReleaseLine, ms: number, lagDays: number): [number, number, number] {
  const version = versionOnLine(line, ms, lagDays);
  if (line.patches === false) version[2] = 0;
  return version;
}

function versionOnLine(line: ReleaseLine, ms: number, lagDays: number): [number, number, number] {
  const t = ms - lagDays * day;
  const a = line.anchors;
  let i = 0;
  while (i < a.length - 2 && t >= (a[i + 1] as readonly number[])[0]!) i++;
  const [t0, M0, m0, p0] = a[i]!;
  const [t1, M1, m1, p1] = a[i + 1]!;
  const f = Math.max(0, Math.min(1, (t - t0) / (t1 - t0)));
  if (t >= t1) return [M1, m1, p1];
  // A new major version exists only from its anchor on: until then, patches of the old line.
  if (M1 !== M0) return [M0, m0, p0 + Math.floor(f * 7)];
  // Minors advance evenly between anchors; patches advance within each minor.
  const x = m0 + (m1 - m0) * f;
  const minor = Math.min(m1, Math.floor(x));
  const within = x - Math.floor(x);
  if (minor === m0) return [M0, minor, p0 + Math.floor((m1 === m0 ? f : within) * 7)];
  const patch = Math.floor(within * 30);
  return [M0, minor, minor === m1 ? Math.min(p1, patch) : patch];
}

/** A version as its dotted string. */
export const v = (x: [number, number, number]): string => x.join('.');

/** A value of a client's environment (an OS, a language runtime) and when it was released. */
export type Dated = readonly [string, number];

/** Runtime and OS versions by release date, so a 2023 record never shows a 2025 Python. */
export const RUNTIMES: Readonly<Record<string, readonly Dated[]>> = {
  kernel: [
    ['4.14.214-160.339.amzn2.x86_64', at('2021-01-06')],
    ['5.10.75-79.358.amzn2.x86_64', at('2021-11-04')],
    ['5.10.184-175.731.amzn2.x86_64', at('2023-06-22')],
    ['6.1.34-59.116.amzn2023.x86_64', at('2023-07-03')],
    ['5.15.0-1068-aws', at('2024-08-12')],
    ['6.8.0-1019-aws', at('2024-11-12')],
    ['5.10.227-239.884.amzn2.x86_64', at('2024-11-18')],
    ['6.1.119-129.201.amzn2023.x86_64', at('2024-12-10')],
    ['6.1.141-155.222.amzn2023.x86_64', at('2025-06-24')],
  ],
  darwin: [
    ['20.2.0', at('2020-12-14')],
    ['21.2.0', at('2021-12-13')],
    ['22.5.0', at('2023-05-18')],
    ['23.6.0', at('2024-07-29')],
    ['24.5.0', at('2025-05-12')],
    ['24.6.0', at('2025-07-29')],
    ['25.0.0', at('2025-09-15')],
  ],
  python: [
    ['3.8.6', at('2020-09-24')],
    ['3.9.1', at('2020-12-07')],
    ['3.9.9', at('2021-11-15')],
    ['3.11.4', at('2023-06-06')],
    ['3.12.0', at('2023-10-02')],
    ['3.11.9', at('2024-04-02')],
    ['3.12.6', at('2024-09-06')],
    ['3.13.0', at('2024-10-07')],
    ['3.12.9', at('2025-02-04')],
    ['3.13.7', at('2025-08-14')],
  ],
  node: [
    ['14.15.4', at('2021-01-04')],
    ['16.13.1', at('2021-12-01')],
    ['18.12.1', at('2022-11-04')],
    ['18.16.1', at('2023-06-20')],
    ['20.9.0', at('2023-10-24')],
    ['20.11.1', at('2024-02-14')],
    ['20.18.0', at('2024-10-03')],
    ['22.11.0', at('2024-10-29')],
    ['22.14.0', at('2025-02-11')],
    ['20.19.5', at('2025-09-03')],
    ['22.20.0', at('2025-09-24')],
  ],
  java: [
    ['11.0.9', at('2020-10-20')],
    ['11.0.13', at('2021-10-19')],
    ['17.0.7', at('2023-04-18')],
    ['17.0.13', at('2024-10-15')],
    ['17.0.16', at('2025-07-15')],
    ['21.0.8', at('2025-07-15')],
  ],
  go: [
    ['1.15.6', at('2020-12-03')],
    ['1.17.5', at('2021-12-09')],
    ['1.20.6', at('2023-07-11')],
    ['1.22.10', at('2024-12-03')],
    ['1.23.6', at('2025-02-04')],
    ['1.24.5', at('2025-07-08')],
  ],
  /** Java 8 builds of the console back end. */
  consoleJdk: [
    ['25.275-b01', at('2020-11-04')],
    ['25.312-b07', at('2021-10-19')],
    ['25.372-b07', at('2023-04-18')],
    ['25.402-b06', at('2024-01-16')],
    ['25.412-b08', at('2024-04-16')],
    ['25.432-b06', at('2024-10-15')],
  ],
  lambdaPython: [
    ['3.8', at('2019-11-18')],
    ['3.9', at('2021-08-16')],
    ['3.11', at('2023-07-27')],
    ['3.12', at('2023-12-14')],
    ['3.13', at('2024-11-13')],
  ],
  lambdaNode: [
    ['14', at('2021-02-03')],
    ['16', at('2022-05-12')],
    ['18', at('2022-11-18')],
    ['20', at('2023-11-15')],
    ['22', at('2024-11-22')],
  ],
};

/** One of the latest few values released by `ms`: people update, but not on release day. */
export function recent(rng: Rng, list: readonly Dated[], ms: number, keep = 3): string {
  const released = list.filter(([, t]) => t <= ms);
  const pool = released.length > 0 ? released.slice(-keep) : list.slice(0, 1);
  return rng.pick(pool)[0];
}

/**
 * The latest release of a language line (`3.13`, `22`) out by `ms`, as a Lambda runtime of that
 * line runs it: a `python3.13` function reports Python 3.13.x. A line with no release listed by
 * then reports its first listed one, or its first patch.
 */
export function releaseOf(list: readonly Dated[], line: string, ms: number): string {
  let found: string | undefined;
  for (const [version, t] of list) if (version.startsWith(`${line}.`) && (t <= ms || !found)) found = version;
  return found ?? `${line}.0`;
}
