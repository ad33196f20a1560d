import { Network } from "@platform/network";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
export const network = new Network(stack, "network", {
  namePrefix: "acme-prod",
  region: "ap-northeast-1",
  availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
  vpcCidr: "10.1.0.0/16",
  natMode: "single",                 // "none" | "single" | "per-az"
  interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
});
// network.ref: { vpcId, vpcCidr, publicSubnetIds, privateSubnetIds } for other stacks
