/**
 * What other stacks need from a network. Plain strings so a consumer's props stay typed;
 * cdktf turns the ID tokens into outputs and remote-state lookups.
 */
export interface NetworkRef {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly availabilityZones: string[];
  /**
   * True when the public subnets are dual-stack (`ipv6: true`), so a load balancer in them may
   * be `dualstack`. A literal, not an output. Absent means IPv4 only.
   */
  readonly ipv6Enabled?: boolean;
}
