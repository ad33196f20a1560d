import { EnvironmentStack, type Environment } from "@platform/core";
import { Network, type NetworkRef } from "@platform/network";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { NetworkConfig } from "./environment-config";

/** `<env>-network`: the VPC, subnets, routing, NAT and endpoints. */
export class NetworkStack extends EnvironmentStack {
  readonly network: Network;
  readonly ref: NetworkRef;

  constructor(scope: Construct, environment: Environment, config: NetworkConfig) {
    super(scope, { environment, layer: "network" });
    this.network = new Network(this, "network", {
      namePrefix: `${environment.project}-${environment.name}`,
      region: environment.region,
      availabilityZones: environment.availabilityZones(config.availabilityZoneCount),
      vpcCidr: config.vpcCidr,
      natMode: config.natMode,
      publicSubnetCidrs: config.publicSubnetCidrs,
      privateSubnetCidrs: config.privateSubnetCidrs,
      interfaceEndpoints: config.interfaceEndpoints,
      interfaceEndpointAzCount: config.interfaceEndpointAzCount,
      flowLogs: config.flowLogs,
      ipv6: config.ipv6,
    });
    this.ref = this.network.ref;

    new TerraformOutput(this, "vpc_id", { value: this.network.vpc.id, description: "VPC ID" });
    new TerraformOutput(this, "availability_zones", {
      value: this.network.availabilityZones,
      description: "Availability zones the subnets span",
    });
    if (this.network.natEips.length > 0) {
      new TerraformOutput(this, "nat_public_ips", {
        value: this.network.natEips.map((eip) => eip.publicIp),
        description: "Egress IPs of the NAT gateways (for third-party allowlists)",
      });
    }
  }
}
