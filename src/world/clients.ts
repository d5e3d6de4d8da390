import type { Rng } from '../random/rng.js';

/**
 * The programs that call DevOps Guru, and the user agents CloudTrail records for them. Versions
 * follow the simulated date: a client is never newer than its release, and people run a version
 * released a little before the day of the call.
 */
export type ClientKind =
  | 'console'
  | 'aws-cli'
  | 'boto3'
  | 'sdk-js-v3'
  | 'sdk-java-v2'
  | 'terraform'
  | 'cloudformation'
  | 'sdk-go-v2';

/** A release line: version components grow linearly between dated anchors (epoch ms, [major, minor, patch]). */
interface ReleaseLine {
  anchors: readonly (readonly [number, number, number, number])[];
}

const day = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

/** Roughly how each client's version advanced; enough to keep versions plausible for a date. */
const LINES: Record<string, ReleaseLine> = {
  awscli: {
    anchors: [
      [at('2023-07-19'), 2, 13, 0],
      [at('2024-12-20'), 2, 22, 18],
      [at('2025-11-19'), 2, 32, 0],
      [at('2027-06-01'), 2, 42, 0],
    ],
  },
  botocore: {
    anchors: [
      [at('2023-07-19'), 1, 31, 0],
      [at('2024-12-20'), 1, 35, 85],
      [at('2025-11-19'), 1, 41, 0],
      [at('2027-06-01'), 1, 46, 0],
    ],
  },
  jsv3: {
    anchors: [
      [at('2023-07-19'), 3, 370, 0],
      [at('2024-08-20'), 3, 632, 0],
      [at('2025-11-19'), 3, 930, 0],
      [at('2027-06-01'), 3, 1250, 0],
    ],
  },
  javav2: {
    anchors: [
      [at('2023-07-19'), 2, 20, 100],
      [at('2024-12-20'), 2, 29, 40],
      [at('2025-10-20'), 2, 34, 3],
      [at('2027-06-01'), 2, 40, 0],
    ],
  },
  terraform: {
    anchors: [
      [at('2023-07-19'), 1, 5, 3],
      [at('2024-12-20'), 1, 10, 3],
      [at('2025-11-19'), 1, 14, 0],
      [at('2027-06-01'), 1, 16, 0],
    ],
  },
  tfaws: {
    anchors: [
      [at('2023-07-19'), 5, 9, 0],
      [at('2024-12-20'), 5, 82, 0],
      [at('2025-06-18'), 6, 0, 0],
      [at('2025-11-19'), 6, 22, 0],
      [at('2027-06-01'), 6, 60, 0],
    ],
  },
  gov2: {
    anchors: [
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

/** The version of a release line that was current `lagDays` before `ms`. */
function versionAt(line: ReleaseLine, ms: number, lagDays: number): [number, number, number] {
  const t = ms - lagDays * day;
  const a = line.anchors;
  let i = 0;
  while (i < a.length - 2 && t > (a[i + 1] as readonly number[])[0]!) i++;
  const [t0, M0, m0, p0] = a[i]!;
  const [t1, M1, m1, p1] = a[i + 1]!;
  const f = Math.max(0, Math.min(1, (t - t0) / (t1 - t0)));
  if (M1 !== M0) return f < 0.5 ? [M0, m0, p0] : [M1, m1, Math.round(p1 * f)];
  const minor = Math.floor(m0 + (m1 - m0) * f);
  const patch = minor === m0 ? p0 + Math.floor(f * 7) : Math.floor(((m1 - m0) * f * 13) % 40);
  return [M0, minor, patch];
}

const v = (x: [number, number, number]): string => x.join('.');

const KERNELS = [
  '5.10.227-239.884.amzn2.x86_64',
  '6.1.119-129.201.amzn2023.x86_64',
  '6.1.141-155.222.amzn2023.x86_64',
  '5.15.0-1068-aws',
  '6.8.0-1019-aws',
];
const MAC_OS = ['23.6.0', '24.5.0', '24.6.0', '25.0.0'];
const PYTHONS = ['3.11.9', '3.12.6', '3.12.9', '3.13.7'];
const NODES = ['20.18.0', '20.19.5', '22.14.0', '22.20.0'];
const JAVAS = ['17.0.16', '21.0.8', '17.0.13'];
const GOS = ['1.22.10', '1.23.6', '1.24.5'];

/** A client as one principal uses it: its kind and a fixed user-agent string. */
export interface Client {
  kind: ClientKind;
  userAgent: string;
  /** True when CloudTrail sees the call come from an AWS service rather than the caller's machine. */
  viaService: boolean;
}

/**
 * Builds the user agent a principal's client sends, fixed for the principal, plausible for the
 * date `ms` (the start of the simulated period).
 */
export function makeClient(kind: ClientKind, ms: number, rng: Rng, opts: { lambda?: boolean } = {}): Client {
  const lag = rng.int(10, 120);
  const kernel = rng.pick(KERNELS);
  switch (kind) {
    case 'console': {
      // The DevOps Guru console reaches the service through the console back end.
      const [, , p] = versionAt(LINES.consoleSdk!, ms, lag);
      const jdkBuild = rng.pick(['25.372-b07', '25.402-b06', '25.412-b08', '25.432-b06']);
      const jdk = `1.8.0_${jdkBuild.slice(3, 6)}`;
      const ua =
        `aws-internal/3 aws-sdk-java/1.12.${p} Linux/5.10.${rng.int(220, 240)}-${rng.int(200, 260)}.${rng.int(800, 990)}.amzn2int.x86_64 ` +
        `OpenJDK_64-Bit_Server_VM/${jdkBuild} java/${jdk} vendor/Oracle_Corporation cfg/retry-mode/standard`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'aws-cli': {
      const cli = v(versionAt(LINES.awscli!, ms, lag));
      const crt = `0.${rng.int(23, 28)}.${rng.int(0, 6)}`;
      const mac = rng.chance(0.45);
      const os = mac ? `os/macos#${rng.pick(MAC_OS)} md/arch#arm64` : `os/linux#${kernel} md/arch#x86_64`;
      const ua =
        `aws-cli/${cli} md/awscrt#${crt} ua/2.1 ${os} lang/python#${rng.pick(PYTHONS)} md/pyimpl#CPython ` +
        `m/${rng.pick(['E,Z', 'b,E,Z', 'E', 'Z,E'])} cfg/retry-mode#standard md/installer#${mac ? 'source' : 'exe'}` +
        `${mac ? '' : ' md/distrib#amzn.2023'} md/prompt#off md/command#devops-guru.{command}`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'boto3': {
      const core = versionAt(LINES.botocore!, ms, lag);
      const boto = `1.${core[1] - 6}.${core[2]}`;
      const lambdaEnv = opts.lambda ? ` exec-env/AWS_Lambda_python${rng.pick(['3.12', '3.13'])}` : '';
      const ua =
        `Boto3/${boto} md/Botocore#${v(core)} ua/2.1 os/linux#${kernel} md/arch#x86_64 ` +
        `lang/python#${rng.pick(PYTHONS)} md/pyimpl#CPython${lambdaEnv} m/Z,b cfg/retry-mode#legacy Botocore/${v(core)}`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'sdk-js-v3': {
      const js = v(versionAt(LINES.jsv3!, ms, lag));
      const lambdaEnv = opts.lambda ? ` exec-env/AWS_Lambda_nodejs${rng.pick(['20', '22'])}.x` : '';
      const ua =
        `aws-sdk-js/${js} ua/2.1 os/linux#${kernel} lang/js md/nodejs#${rng.pick(NODES)} ` +
        `api/devops-guru#${js}${lambdaEnv} m/N,E,e`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'sdk-java-v2': {
      const jv = v(versionAt(LINES.javav2!, ms, lag));
      const java = rng.pick(JAVAS);
      const ua =
        `aws-sdk-java/${jv} md/io#sync md/http#Apache ua/2.1 api/DevOps_Guru#${jv} os/Linux#${kernel} ` +
        `lang/java#${java} md/OpenJDK_64-Bit_Server_VM#${java}+${rng.int(6, 11)}-LTS md/vendor#Amazon.com_Inc. md/en_US m/D,N`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'terraform': {
      const tf = v(versionAt(LINES.terraform!, ms, lag));
      const prov = v(versionAt(LINES.tfaws!, ms, lag));
      const sdk = versionAt(LINES.gov2!, ms, lag);
      const ua =
        `APN/1.0 HashiCorp/1.0 Terraform/${tf} (+https://www.terraform.io) terraform-provider-aws/${prov} ` +
        `(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/${v(sdk)} ua/2.1 os/linux lang/go#${rng.pick(GOS)} ` +
        `md/GOOS#linux md/GOARCH#amd64 api/devopsguru#1.${sdk[1] + 3}.${rng.int(0, 9)} m/E,g`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'sdk-go-v2': {
      const sdk = versionAt(LINES.gov2!, ms, lag);
      const ua =
        `aws-sdk-go-v2/${v(sdk)} ua/2.1 os/linux lang/go#${rng.pick(GOS)} md/GOOS#linux md/GOARCH#amd64 ` +
        `api/devopsguru#1.${sdk[1] + 3}.${rng.int(0, 9)} m/E`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'cloudformation':
      return { kind, userAgent: 'cloudformation.amazonaws.com', viaService: true };
  }
}

/** The AWS CLI writes the command it ran into its user agent: `devops-guru.list-insights`. */
export function cliCommandName(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
