import { Bastion } from "@platform/bastion";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;
declare const privateSubnetId: string;
declare const bastionSgId: string;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
new Bastion(stack, "bastion", { namePrefix: "acme-prod", subnetId: privateSubnetId, securityGroupIds: [bastionSgId], instanceType: "t4g.nano" });
