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
  /**
   * Application repositories whose CI builds and pushes images (README, "Releasing an application
   * version"). Each gets one role per account, `<project>-<key>-github-ecr-push`, that may push
   * only to the listed ECR repositories (per environment, keys of its `registry.repositories`)
   * and only from the listed release tags or branches. Deploying stays with the release pull
   * request in this repository. Protect the tag pattern with a tag ruleset in the app repository.
   */
  applicationRepositories: {
    app: {
      // Replace with your application repository (github.com/<owner>/<repository>).
      owner: "bookmark-manager",
      repository: "bookmark-manager",
      // Release tags (the `v*` of `pnpm release`'s grammar) and main's CI builds (`sha-*` tags).
      pushFrom: [{ tag: "v*" }, { branch: "main" }],
      ecrRepositories: { staging: ["web", "api"], prod: ["web", "api"] },
    },
  } as Readonly<Record<string, ApplicationRepository>>,
} as const;

/** One application repository whose CI may push images (see `github.applicationRepositories`). */
export interface ApplicationRepository {
  /** GitHub user or organisation. */
  readonly owner: string;
  /** Repository name, without the owner. */
  readonly repository: string;
  /** Workflow runs that may push: a release tag pattern (`{ tag: "v*" }`) and/or a branch (`{ branch: "main" }`). */
  readonly pushFrom: readonly ({ readonly tag: string } | { readonly branch: string })[];
  /** ECR repositories it may push to, by environment: `{ staging: ["web"] }`. */
  readonly ecrRepositories: Readonly<Record<string, readonly string[]>>;
}
