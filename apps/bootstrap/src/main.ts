import {
  ConfigError,
  EnvironmentStack,
  Validator,
  confinedEnvironments,
  defineEnvironment,
  environmentsByAccount,
  type EnvironmentConfig,
} from "@platform/core";
import { ApplyRoleBoundary, GithubOidcProvider, TerraformCiRoles } from "@platform/github-oidc";
import { StateStore } from "@platform/state";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { account, environmentConfigs, sharedAccountOwner } from "@platform/accounts";
import { github } from "./config";
import { bootstrapConfigIssues } from "./config-schema";
import type { RegistryConfig } from "@platform/layers";
import { addImagePushRoles } from "./image-push";

/**
 * One bootstrap stack per AWS account the environments name: the state bucket and lock table of
 * the environments in that account, and the GitHub Actions identity (OIDC provider, a plan and an
 * apply role per environment). When every environment shares one account the stack is named
 * `bootstrap`, as it always was; with several accounts each is `bootstrap-<environments>`
 * (`bootstrap-staging`, `bootstrap-prod`). Each keeps its own state locally until its bucket
 * exists (see the README to move it in), and CI never applies it: a workflow must not be able to
 * change the roles it runs with.
 */
export function buildBootstrap(
  scope: Construct,
  environments: readonly EnvironmentConfig[] = environmentConfigs,
  registries: Readonly<Record<string, RegistryConfig>> = {},
): EnvironmentStack[] {
  const issues = bootstrapConfigIssues(account, github);
  if (issues.length > 0) throw new ConfigError(issues);
  const byAccount = environmentsByAccount(environments);
  validateAccounts(environments, byAccount);
  const confined = confinedEnvironments(environments, sharedAccountOwner);
  const single = Object.keys(byAccount).length === 1;
  return Object.values(byAccount).map((names) => {
    const group = names.map((n) => environments.find((e) => e.name === n)!);
    return accountStack(scope, single ? "bootstrap" : `bootstrap-${names.join("-")}`, group, confined, registries);
  });
}

function accountStack(
  scope: Construct,
  stackName: string,
  group: readonly EnvironmentConfig[],
  confined: readonly string[],
  registries: Readonly<Record<string, RegistryConfig>>,
): EnvironmentStack {
  const first = group[0]!;
  const environment = defineEnvironment({
    project: first.project,
    region: first.region,
    accountId: first.accountId,
    state: first.state,
    name: "account",
  });
  const stack = new EnvironmentStack(scope, { environment, layer: "bootstrap", stackName, stateBackend: "local" });
  const store = new StateStore(stack, "state", { bucketName: first.state.bucket, lockTableName: first.state.lockTable });
  new TerraformOutput(stack, "state_bucket", { value: store.bucket.bucket.bucket, description: "S3 bucket holding Terraform state" });
  new TerraformOutput(stack, "lock_table", { value: store.lockTable.name, description: "DynamoDB table for state locks" });
  addGithubRoles(stack, store, group, confined, registries);
  return stack;
}

/** Variable-name suffix of an environment, as `pnpm changed-stacks` writes it (`STAGING`). */
function variableSuffix(environment: string): string {
  return environment.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

function addGithubRoles(
  stack: EnvironmentStack,
  store: StateStore,
  group: readonly EnvironmentConfig[],
  confined: readonly string[],
  registries: Readonly<Record<string, RegistryConfig>>,
): void {
  const providerArn = github.existingOidcProviderArn ?? new GithubOidcProvider(stack, "github-oidc").arn;
  const names = group.map((e) => e.name);
  const region = stack.environment.state.region;
  const variables: Record<string, string> = { AWS_REGION: stack.environment.region };
  for (const e of group) {
    const githubEnvironment = (github.deployEnvironments as Readonly<Record<string, string>>)[e.name]!;
    const state = { bucketName: e.state.bucket, keyPrefix: `${e.name}/`, lockTableArn: store.lockTable.arn };
    const boundary = confined.includes(e.name)
      ? new ApplyRoleBoundary(stack, `boundary-${e.name}`, { project: e.project, environment: e.name, accountId: e.accountId, region: e.region, state })
      : undefined;
    const roles = new TerraformCiRoles(stack, `github-${e.name}`, {
      namePrefix: `${e.project}-${e.name}`,
      providerArn,
      repository: { owner: github.owner, name: github.repository },
      githubEnvironment,
      // Pull requests plan; main's deploy previews and daily drift runs plan too, without an
      // environment (no reviewer prompt for a read-only plan; main is a protected branch).
      planSubjects: [{ pullRequest: true }, { branch: "main" }],
      state: {
        ...state,
        region,
        // Other environments' state in this bucket, and this stack's own once it moves into the bucket.
        deniedKeyPrefixes: [...names.filter((n) => n !== e.name).map((n) => `${n}/`), "account/"],
      },
      protectedSecrets: { parameterPaths: [`/${e.project}/`] },
      // The policy's own ARN attribute (not the synth-time string) so the policy exists before the role names it.
      applyPermissionsBoundaryArn: boundary?.policy.arn,
    });
    variables[`AWS_PLAN_ROLE_ARN_${variableSuffix(e.name)}`] = roles.plan.arn;
    variables[`AWS_APPLY_ROLE_ARN_${variableSuffix(e.name)}`] = roles.apply.arn;
  }
  addImagePushRoles(stack, providerArn, group, github.applicationRepositories, registries);
  new TerraformOutput(stack, "github_variables", {
    value: variables,
    description: "Repository variables .github/workflows read: set each with `gh variable set NAME --body VALUE`",
  });
}

/** Environments of one account share its state bucket and lock table; each needs a GitHub environment. */
function validateAccounts(environments: readonly EnvironmentConfig[], byAccount: Record<string, string[]>): void {
  const v = new Validator("bootstrap");
  for (const [accountId, names] of Object.entries(byAccount)) {
    const [first, ...rest] = names.map((n) => environments.find((e) => e.name === n)!);
    for (const e of rest) {
      for (const field of ["bucket", "lockTable"] as const) {
        v.check(
          e.state[field] === first!.state[field],
          `${e.name}.environment.state.${field}`,
          e.state[field],
          `must equal ${first!.name}'s ("${first!.state[field]}"): both are in account ${accountId}, whose bootstrap stack makes one state store.`,
        );
      }
      v.check(
        (e.state.region ?? e.region) === (first!.state.region ?? first!.region),
        `${e.name}.environment.state.region`,
        e.state.region ?? e.region,
        `must equal ${first!.name}'s state region: both are in account ${accountId}.`,
      );
    }
  }
  const buckets = new Map<string, string>();
  for (const [accountId, names] of Object.entries(byAccount)) {
    const bucket = environments.find((e) => e.name === names[0])!.state.bucket;
    v.check(!buckets.has(bucket), `${names[0]}.environment.state.bucket`, bucket, `is also the state bucket of account ${buckets.get(bucket)}; bucket names are global, give each account its own.`);
    buckets.set(bucket, accountId);
  }
  for (const e of environments) {
    v.check(
      (github.deployEnvironments as Readonly<Record<string, string>>)[e.name] !== undefined,
      `github.deployEnvironments.${e.name}`,
      undefined,
      `is missing: name the GitHub environment whose jobs deploy ${e.name} in apps/bootstrap/src/config.ts.`,
    );
  }
  v.throwIfAny();
}
