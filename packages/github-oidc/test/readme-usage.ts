import { GithubActionsRole, GithubOidcProvider } from "@platform/github-oidc";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
const provider = new GithubOidcProvider(stack, "github");
new GithubActionsRole(stack, "plan", {
  providerArn: provider.arn,
  repository: { owner: "acme", name: "infra" },
  subjects: [{ pullRequest: true }],
  roleName: "acme-terraform-plan",
});
