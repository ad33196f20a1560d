import { StateStore } from "@platform/state";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
new StateStore(stack, "state", { bucketName: "acme-terraform-state", lockTableName: "acme-terraform-locks" });
