import { ContainerRepositories } from "@platform/registry";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
new ContainerRepositories(stack, "repositories", {
  namePrefix: "acme-prod",
  repositories: { web: {}, api: {} },
  keepLastImages: 30,
});
