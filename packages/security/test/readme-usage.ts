import { SecurityGroups, SecretsKey } from "@platform/security";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;
declare const network: { vpcId: string };

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
export const groups = new SecurityGroups(stack, "groups", {
  namePrefix: "acme-staging",
  vpcId: network.vpcId,
  vpcCidr: "10.0.0.0/16",
  albIngress: { allowedCidrs: ["203.0.113.0/24"] },   // an office; or { public: true } behind the WAF
  servicePorts: [3000, 8080],
});
new SecretsKey(stack, "secrets-key", {
  namePrefix: "acme-staging",
  decrypterRoleNames: ["acme-staging-web-execution"],
});
