import type { NetworkProps } from "../src/index";

export const REGION = "ap-northeast-1";
export const AZS = ["ap-northeast-1a", "ap-northeast-1c"];

/** Seed 002 (staging): no NAT, tasks in public subnets, ECR + Logs interface endpoints, S3 gateway. */
export const STAGING_LIKE: NetworkProps = {
  namePrefix: "acme-staging",
  region: REGION,
  availabilityZones: AZS,
  vpcCidr: "10.0.0.0/16",
  natMode: "none",
  interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
  interfaceEndpointAzCount: 1,
};

/** Seed 003 (prod): two AZs, a single NAT gateway, endpoints, flow logs. */
export const PROD_LIKE: NetworkProps = {
  namePrefix: "acme-prod",
  region: REGION,
  availabilityZones: AZS,
  vpcCidr: "10.1.0.0/16",
  natMode: "single",
  interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
  flowLogs: { logRetentionDays: 30 },
};
