import { EnvironmentStack, type Environment } from "@platform/core";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
// The compute package keeps its seed examples next to its sources, outside its public exports.
import { buildTwoBackendsExample, type TwoBackendsExample } from "./two-backends";
import type { TwoBackendsConfig } from "./config";
import { buildFoundation, imageOf, type Foundation } from "./foundation";

/** Port of the Go API, the only service behind the load balancer. */
const GO_PORT = 8080;

/**
 * `<env>-two-backends`: seed 000 (a Go API and a Python AI backend, each with its own size and
 * target-tracking auto scaling, or the rollback to fixed counts) with its own VPC, security
 * groups and ECR repositories.
 */
export class TwoBackendsExampleStack extends EnvironmentStack {
  readonly foundation: Foundation;
  readonly example: TwoBackendsExample;

  constructor(scope: Construct, environment: Environment, config: TwoBackendsConfig) {
    super(scope, { environment, layer: "twobackends" });
    const namePrefix = `${environment.project}-two-backends`;
    this.foundation = buildFoundation(this, {
      namePrefix,
      vpcCidr: config.vpcCidr,
      servicePorts: [GO_PORT],
      repositories: ["backend-go", "backend-python"],
    });
    const { network, securityGroups, registry } = this.foundation;

    this.example = buildTwoBackendsExample(
      this,
      {
        namePrefix,
        network: network.ref,
        securityGroups: securityGroups.ref,
        images: {
          go: imageOf(registry.ref, "backend-go", config.imageTags.go),
          python: imageOf(registry.ref, "backend-python", config.imageTags.python),
        },
        certificateArn: config.certificateArn,
      },
      { autoScaling: config.autoScaling },
    );

    new TerraformOutput(this, "load_balancer_dns_name", {
      value: this.example.loadBalancer.ref.albDnsName,
      description: "Point the API host name (the certificate's name) here with a CNAME or alias record",
    });
    new TerraformOutput(this, "repository_urls", {
      value: registry.ref.repositoryUrls,
      description: "Push each backend's image here: docker push <url>:<tag>",
    });
    // Seed 000 reads the scaling setup from outputs; in the rollback there is none to show.
    const scaling = Object.entries(this.example.services).flatMap(([key, service]) =>
      service.autoScaling
        ? [[key, { resource_id: service.autoScaling.resourceId, min_capacity: service.autoScaling.target.minCapacity, max_capacity: service.autoScaling.target.maxCapacity }] as const]
        : [],
    );
    if (scaling.length > 0) {
      new TerraformOutput(this, "auto_scaling", {
        value: Object.fromEntries(scaling),
        description: "Scalable target (service/<cluster>/<service>) and task range of each backend",
      });
    }
  }
}
