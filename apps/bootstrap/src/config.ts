import type { EnvironmentConfig } from "@platform/core";

/**
 * Account-wide choices, made once per AWS account: where every environment keeps its state.
 * The staging and prod configs read the state location from here.
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
 * In an AWS account shared by several environments, the environment that owns it: its apply role
 * keeps the whole account, and every other environment's apply role (and every role its stacks
 * create) runs under a permissions boundary confining it to its own resources. The policy pack
 * reports a shared account as a finding that needs a waiver. To drop both, give each environment
 * its own `accountId` and `state` in its config: bootstrap then makes one stack per account.
 */
export const sharedAccountOwner = "prod";

/**
 * The repository whose GitHub Actions workflows plan and apply the environments (see
 * .github/workflows). Only its pull requests may assume the read-only plan roles, and only
 * its jobs running in the named GitHub environment may assume an environment's apply role.
 */
export const github = {
  // Replace with your repository (github.com/<owner>/<repository>).
  owner: "bookmark-manager",
  repository: "infrastructure",
  /**
   * Platform environment → the GitHub environment its deploy job runs in. Give `production`
   * required reviewers and limit both to the branch `main` in the repository settings.
   */
  deployEnvironments: {
    staging: "staging",
    prod: "production",
  },
  /**
   * An account holds one OIDC provider per URL: if yours already has GitHub's
   * (`aws iam list-open-id-connect-providers`), put its ARN here instead of creating one.
   */
  existingOidcProviderArn: undefined as string | undefined,
} as const;
