import type { Rng } from '../shared/rng.js';

/**
 * Public IPv4 addresses that look like where calls come from: office and VPN egress ranges of a
 * company's ISP, and AWS address space for CI runners and automation on EC2. Reserved, private and
 * documentation ranges are never drawn.
 */

/** First octets of AWS EC2 address space, for CI runners and automation hosts. */
const AWS_FIRST_OCTETS = [3, 13, 18, 34, 35, 44, 52, 54, 99, 100];
/** First octets of ISP space for offices and home networks. */
const ISP_FIRST_OCTETS = [
  24, 50, 62, 67, 71, 73, 77, 81, 82, 84, 86, 88, 90, 92, 95, 98, 104, 108, 151, 176, 185, 188, 193, 195, 203,
  212, 213, 217,
];

/** A /24 range, as its first three octets. */
export type Range24 = string;

export function ispRange(rng: Rng): Range24 {
  return `${rng.pick(ISP_FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}`;
}

export function awsRange(rng: Rng): Range24 {
  const first = rng.pick(AWS_FIRST_OCTETS);
  // 100.64.0.0/10 is carrier-grade NAT, not AWS public space.
  const second = first === 100 ? rng.int(20, 60) : rng.int(0, 255);
  return `${first}.${second}.${rng.int(0, 255)}`;
}

export function hostIn(range: Range24, rng: Rng): string {
  return `${range}.${rng.int(2, 254)}`;
}

/** A private address inside a VPC, as CloudTrail shows for calls through an interface endpoint. */
export function vpcAddress(rng: Rng): string {
  return `10.${rng.int(0, 63)}.${rng.int(0, 255)}.${rng.int(4, 254)}`;
}
