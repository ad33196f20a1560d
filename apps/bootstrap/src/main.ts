import { ConfigError, EnvironmentStack, defineEnvironment } from "@platform/core";
import { GithubOidcProvider, TerraformCiRoles } from "@platform/github-oidc";
import { StateStore } from "@platform/state";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { account, github } from "./config";
import { bootstrapConfigIssues } from "./config-schema";

/**
 * The `bootstrap` stack: the state bucket and lock table every other stack uses, and the
 * GitHub Actions identity (OIDC provider, a plan and an apply role per environment). It keeps
 * its own state locally until the bucket exists (see the README to move it in), and CI never
 * applies it: a workflow must not be able to change the roles it runs with.
 */
export function buildBootstrap(scope: Construct): EnvironmentStack {
  const issues = bootstrapConfigIssues(account, github);
  if (issues.length > 0) throw new ConfigError(issues);
  const environment = defineEnvironment({ ...account, name: "account" });
  const stack = new EnvironmentStack(scope, {
    environment,
    layer: "bootstrap",
    stackName: "bootstrap",
    stateBackend: "local",
  });
  const store = new StateStore(stack, "state", {
    bucketName: account.state.bucket,
    lockTableName: account.state.lockTable,
  });
  new TerraformOutput(stack, "state_bucket", { value: store.bucket.bucket.bucket, description: "S3 bucket holding Terraform state" });
  new TerraformOutput(stack, "lock_table", { value: store.lockTable.name, description: "DynamoDB table for state locks" });
  addGithubRoles(stack, store);
  return stack;
}

/** Variable-name suffix of an environment, as `pnpm changed-stacks` writes it (`STAGING`). */
function variableSuffix(environment: string): string {
  return environment.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

function addGithubRoles(stack: EnvironmentStack, store: StateStore): void {
  const providerArn = github.existingOidcProviderArn ?? new GithubOidcProvider(stack, "github-oidc").arn;
  const environments = Object.keys(github.deployEnvironments);
  const variables: Record<string, string> = { AWS_REGION: account.region };
  for (const [environment, githubEnvironment] of Object.entries(github.deployEnvironments)) {
    const roles = new TerraformCiRoles(stack, `github-${environment}`, {
      namePrefix: `${account.project}-${environment}`,
      providerArn,
      repository: { owner: github.owner, name: github.repository },
      githubEnvironment,
      // Pull requests plan; main's deploy previews and daily drift runs plan too, without an
      // environment (no reviewer prompt for a read-only plan; main is a protected branch).
      planSubjects: [{ pullRequest: true }, { branch: "main" }],
      state: {
        bucketName: account.state.bucket,
        lockTableArn: store.lockTable.arn,
        keyPrefix: `${environment}/`,
        // Other environments' state, and this stack's own once it moves into the bucket.
        deniedKeyPrefixes: [...environments.filter((e) => e !== environment).map((e) => `${e}/`), "account/"],
      },
    });
    variables[`AWS_PLAN_ROLE_ARN_${variableSuffix(environment)}`] = roles.plan.arn;
    variables[`AWS_APPLY_ROLE_ARN_${variableSuffix(environment)}`] = roles.apply.arn;
  }
  new TerraformOutput(stack, "github_variables", {
    value: variables,
    description: "Repository variables .github/workflows read: set each with `gh variable set NAME --body VALUE`",
  });
}
