import { EnvironmentStack, Validator, availabilityZones, type Environment } from "@platform/core";
import { Network, type NetworkRef } from "@platform/network";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { NetworkPlan } from "./plan";

/** `<env>-network`: the VPC, subnets, routing, NAT and endpoints. */
export class NetworkStack extends EnvironmentStack {
  readonly network: Network;
  readonly ref: NetworkRef;

  constructor(scope: Construct, environment: Environment, plan: NetworkPlan) {
    super(scope, { environment, layer: "network" });
    const usable = availabilityZones(environment.region);
    const v = new Validator(`${environment.name}.network`);
    v.check(
      Number.isInteger(plan.availabilityZoneCount) && plan.availabilityZoneCount >= 1 && plan.availabilityZoneCount <= usable.length,
      "availabilityZoneCount",
      plan.availabilityZoneCount,
      `must be between 1 and ${usable.length}: ${environment.region} offers ${usable.join(", ")}.`,
    );
    v.throwIfAny();
    this.network = new Network(this, "network", {
      namePrefix: `${environment.project}-${environment.name}`,
      region: environment.region,
      availabilityZones: environment.availabilityZones(plan.availabilityZoneCount),
      vpcCidr: plan.vpcCidr,
      natMode: plan.natMode,
      publicSubnetCidrs: plan.publicSubnetCidrs,
      privateSubnetCidrs: plan.privateSubnetCidrs,
      interfaceEndpoints: plan.interfaceEndpoints,
      interfaceEndpointAzCount: plan.interfaceEndpointAzCount,
      flowLogs: plan.flowLogs,
      ipv6: plan.ipv6,
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
