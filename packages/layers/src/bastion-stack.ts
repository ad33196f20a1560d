import { Bastion } from "@platform/bastion";
import { EnvironmentStack, type Environment } from "@platform/core";
import type { NetworkRef } from "@platform/network";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { BastionConfig } from "./environment-config";

/** `<env>-bastion`: an SSM-only instance in a private subnet, for DB tunnels. */
export class BastionStack extends EnvironmentStack {
  readonly bastion: Bastion;

  constructor(
    scope: Construct,
    environment: Environment,
    config: BastionConfig,
    deps: { readonly network: NetworkRef; readonly securityGroupId: string; readonly databaseEndpoint: string },
  ) {
    super(scope, { environment, layer: "bastion" });
    this.bastion = new Bastion(this, "bastion", {
      namePrefix: `${environment.project}-${environment.name}`,
      subnetId: deps.network.privateSubnetIds[0]!,
      securityGroupIds: [deps.securityGroupId],
      instanceType: config.instanceType,
      // DATABASE_URL and every other parameter of the product.
      protectedParameterPaths: [`/${environment.project}/`],
    });
    new TerraformOutput(this, "bastion_instance_id", { value: this.bastion.instanceId, description: "SSM target of the bastion" });
    new TerraformOutput(this, "db_tunnel_command", {
      value: this.bastion.tunnelCommand(deps.databaseEndpoint),
      description: "Forward localhost:15432 to the database through the bastion",
    });
  }
}
