import type { Rng } from '../shared/rng.js';
import { awsRange, hostIn } from './network.js';

/**
 * An interface VPC endpoint through which a principal's hosts reach the service. Interface
 * endpoints are regional: calls to the endpoint's Region carry its ID and a private source
 * address; calls from the same VPC to another Region leave through the VPC's NAT gateway, from its
 * public address, with no endpoint ID.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
 */
export interface VpcEndpoint {
  /** `vpce-` and 17 hex digits. */
  id: string;
  region: string;
  /** The NAT gateway's public (Elastic IP) address. */
  natAddress: string;
}

/** Draws an endpoint in `region` for one VPC. */
export function vpcEndpointIn(region: string, rng: Rng): VpcEndpoint {
  return { id: `vpce-${rng.hex(17)}`, region, natAddress: hostIn(awsRange(rng), rng) };
}
