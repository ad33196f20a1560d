import { EnvironmentStack, type Environment } from "@platform/core";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
// The compute package keeps its seed examples next to its sources, outside its public exports.
import { buildSingleContainerExample, type SingleContainerExample } from "./single-container";
import type { SingleContainerConfig } from "./config";
import { buildFoundation, imageOf, type Foundation } from "./foundation";


/**
 * `<env>-single-container`: seed 004 (Streamlit + FastAPI in one task, EFS cache, API keys from
 * Secrets Manager) with its own VPC, security groups and ECR repository.
 */
export class SingleContainerExampleStack extends EnvironmentStack {
  readonly foundation: Foundation;
  readonly example: SingleContainerExample;

  constructor(scope: Construct, environment: Environment, config: SingleContainerConfig) {
    super(scope, { environment, layer: "singlecontainer" });
    const namePrefix = `${environment.project}-single-container`;
    // Only the UI port faces the load balancer: FastAPI on 8000 is called by Streamlit inside
    // the task over localhost (the seed also opened 8000 to the ALB, which nothing used).
    this.foundation = buildFoundation(this, { namePrefix, vpcCidr: config.vpcCidr, servicePorts: [8501], repositories: ["app"] });
    const { network, securityGroups, registry } = this.foundation;
    const image = imageOf(registry.ref, "app", config.imageTag);

    this.example = buildSingleContainerExample(this, {
      namePrefix,
      network: network.ref,
      securityGroups: securityGroups.ref,
      image,
      certificateArn: config.certificateArn,
      apiKeysSecretArn: config.apiKeysSecretArn,
    });

    new TerraformOutput(this, "load_balancer_dns_name", {
      value: this.example.loadBalancer.ref.albDnsName,
      description: "Point the app's host name (the certificate's name) here with a CNAME or alias record",
    });
    new TerraformOutput(this, "repository_url", {
      value: image.repositoryUrl,
      description: "Push the app image here: docker push <url>:<tag>",
    });
    new TerraformOutput(this, "service_name", { value: this.example.service.serviceName, description: "ECS service of the app" });
  }
}
