import type { ContainerImage } from "@platform/compute";
import type { EnvironmentStack } from "@platform/core";
import { Network } from "@platform/network";
import { ContainerRepositories, type RegistryRef } from "@platform/registry";
import { SecurityGroups } from "@platform/security";

export interface FoundationProps {
  /** Prefix of every name in the example, e.g. `example-single-container`. */
  readonly namePrefix: string;
  /** IPv4 block of the example's VPC. */
  readonly vpcCidr: string;
  /** Container ports the load balancer forwards to. */
  readonly servicePorts: number[];
  /** One ECR repository per key. */
  readonly repositories: readonly string[];
}

/** What every example runs on: its own VPC, the security group chain and its ECR repositories. */
export interface Foundation {
  readonly network: Network;
  readonly securityGroups: SecurityGroups;
  readonly registry: ContainerRepositories;
}

/**
 * Builds an example's foundation inside its stack. Each example is self-contained (one stack,
 * one state file) so it can be planned, deployed and destroyed on its own.
 */
export function buildFoundation(stack: EnvironmentStack, props: FoundationProps): Foundation {
  const env = stack.environment;
  const network = new Network(stack, "network", {
    namePrefix: props.namePrefix,
    region: env.region,
    availabilityZones: env.availabilityZones(2),
    vpcCidr: props.vpcCidr,
    // Tasks run in private subnets and call external APIs (weather, LLMs): one NAT gateway is
    // the cheapest egress; perAz only pays off when an AZ outage must not cut egress.
    natMode: "single",
  });
  const securityGroups = new SecurityGroups(stack, "security-groups", {
    namePrefix: props.namePrefix,
    vpcId: network.ref.vpcId,
    vpcCidr: network.ref.vpcCidr,
    // Both seeds serve the public internet over HTTPS (80 only redirects).
    albIngress: { public: true },
    servicePorts: props.servicePorts,
  });
  const registry = new ContainerRepositories(stack, "repositories", {
    namePrefix: props.namePrefix,
    repositories: Object.fromEntries(props.repositories.map((key) => [key, {}])),
  });
  return { network, securityGroups, registry };
}

/** The image `key` of `registry`, pinned to `tag`. */
export function imageOf(registry: RegistryRef, key: string, tag: string): ContainerImage {
  const repositoryUrl = registry.repositoryUrls[key];
  const repositoryArn = registry.repositoryArns[key];
  if (repositoryUrl === undefined || repositoryArn === undefined) {
    throw new Error(`no repository "${key}" in the registry (have: ${Object.keys(registry.repositoryUrls).join(", ")})`);
  }
  return { repositoryUrl, repositoryArn, tag };
}
