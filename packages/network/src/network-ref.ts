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
}
