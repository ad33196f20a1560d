import { applyBoundaryArn, confinedEnvironments, type EnvironmentConfig } from "@platform/core";

/**
 * Account-wide choices, made once per AWS account: where every environment keeps its state.
 * Each environment's placement below starts from it; the bootstrap app makes its state store.
 */
export const account = {
  project: "bookmark-manager",
  region: "ap-northeast-1",
  // Replace with your account: `aws sts get-caller-identity --query Account --output text`.
  // Every stack refuses to touch any other account.
  accountId: "123456789012",
  state: {
    bucket: "bookmark-manager-terraform-state",
    lockTable: "bookmark-manager-terraform-locks",
  },
} as const satisfies Pick<EnvironmentConfig, "project" | "region" | "accountId" | "state">;

/**
 * The repository that holds this infrastructure code (github.com/<owner>/<repository>): its
 * workflows assume the bootstrap's CI roles, and alarm descriptions link to its runbooks.
 */
export const infrastructureRepository = {
  // Replace with your repository.
  owner: "bookmark-manager",
  repository: "infrastructure",
} as const;

/** Link to a runbook page (`docs/runbooks/<page>`) on the repository's default branch. */
export function runbookUrl(page: string): string {
  return `https://github.com/${infrastructureRepository.owner}/${infrastructureRepository.repository}/blob/main/docs/runbooks/${page}`;
}

/**
 * In an AWS account shared by several environments, the environment that owns it: its apply role
 * keeps the whole account, and every other environment's apply role (and every role its stacks
 * create) runs under a permissions boundary confining it to its own resources. The policy pack
 * reports a shared account as a finding that needs a waiver. To drop both, give each environment
 * its own `accountId` and `state` below: bootstrap then makes one stack per account.
 */
export const sharedAccountOwner = "prod";

/**
 * Where each environment lives (project, region, account, state): the `environment` of
 * `apps/<env>/src/config.ts`, and what the bootstrap app needs of every environment, without
 * either app reading the other's sources.
 */
export const placements = {
  staging: { ...account, name: "staging" },
  prod: { ...account, name: "prod" },
} as const satisfies Record<string, EnvironmentConfig>;

/** Every environment the platform deploys, as placed above. */
export const environmentConfigs: readonly EnvironmentConfig[] = Object.values(placements);

/**
 * The config of an environment with the permissions boundary its roles must carry, when it shares
 * its account and does not own it (see `sharedAccountOwner`); unchanged otherwise.
 */
export function withAccountBoundary<T extends { readonly environment: EnvironmentConfig }>(
  config: T,
  environments: readonly EnvironmentConfig[] = environmentConfigs,
): T {
  if (!confinedEnvironments(environments, sharedAccountOwner).includes(config.environment.name)) return config;
  return { ...config, environment: { ...config.environment, permissionsBoundaryArn: applyBoundaryArn(config.environment) } };
}
