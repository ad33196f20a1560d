import type { NetworkRef } from "@platform/network";
import type { SecurityGroupsRef } from "@platform/security";
import { ConfigError } from "@platform/core";
import { type SynthesizedStack, resourceAt } from "@platform/core/testing";
import type { Construct } from "constructs";
import { EcsCluster } from "../src/ecs-cluster";
import { FargateService } from "../src/fargate-service";
import type { FargateServiceProps } from "../src/fargate-service-props";

export const ACCOUNT = "123456789012";
export const REGION = "ap-northeast-1";

export const NETWORK: NetworkRef = {
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.0.0.0/16",
  publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0ccccccccccccccc1"],
  privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa2", "subnet-0ccccccccccccccc2"],
  availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
};

export const SECURITY_GROUPS: SecurityGroupsRef = {
  albSecurityGroupId: "sg-0a1b0000000000001",
  serviceSecurityGroupId: "sg-0a1b0000000000002",
  databaseSecurityGroupId: "sg-0a1b0000000000003",
};

export const CERTIFICATE_ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0f0e0d0c-1111-2222-3333-444455556666`;

export function repository(name: string): { repositoryUrl: string; repositoryArn: string } {
  return {
    repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
    repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
  };
}

export function parameterArn(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
}

export function secretArn(name: string): string {
  return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
}

/** Refs for the two-service fixture (web-and-api-fixture.ts). */
export const WEB_AND_API_REFS = {
  namePrefix: "bookmark-manager",
  network: NETWORK,
  securityGroups: SECURITY_GROUPS,
  images: {
    web: { ...repository("bookmark-manager-web"), tag: "v1.0.1" },
    api: { ...repository("bookmark-manager-api"), tag: "v1.0.1" },
  },
  databaseUrlParameterArn: parameterArn("/bookmark-manager/DATABASE_URL"),
};

/** The parsed `container_definitions` of the task definition under a construct path, e.g. `"web/task-definition"`. */
export function containerDefinitions(json: SynthesizedStack, path: string): Record<string, any>[] {
  return JSON.parse(resourceAt(json, "aws_ecs_task_definition", path).container_definitions as string);
}

/** A minimal valid service; tests override one thing to prove one rule. */
export function serviceProps(overrides: Partial<FargateServiceProps> = {}): FargateServiceProps {
  return {
    namePrefix: "acme-test",
    name: "web",
    cluster: { clusterName: "acme-test-cluster", clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/acme-test-cluster` },
    network: {
      vpcId: NETWORK.vpcId,
      subnetIds: NETWORK.privateSubnetIds,
      securityGroupIds: [SECURITY_GROUPS.serviceSecurityGroupId],
    },
    cpu: 256,
    memoryMiB: 512,
    containers: { web: { image: { ...repository("acme-web"), tag: "v1.0.0" }, ports: { http: 3000 } } },
    logRetentionDays: 7,
    loadBalancing: { containerPort: 3000 },
    ...overrides,
  };
}

/** Runs `build` and returns the ConfigError's message; fails when nothing or something else is thrown. */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
  throw new Error("expected the construct to throw");
}

export function cluster(scope: Construct, props: Partial<ConstructorParameters<typeof EcsCluster>[2]> = {}): EcsCluster {
  return new EcsCluster(scope, "cluster", { namePrefix: "acme-test", ...props });
}

export { FargateService };
