/*
 * The bootstrap app's own choices. The account, the environments' placements and the account's
 * owner live in @platform/accounts, which the environment apps read too.
 */
import { infrastructureRepository } from "@platform/accounts";

/**
 * The repository whose GitHub Actions workflows plan and apply the environments (see
 * .github/workflows). Only its pull requests may assume the read-only plan roles, and only
 * its jobs running in the named GitHub environment may assume an environment's apply role.
 */
export const github = {
  // The repository is set once, in @platform/accounts (alarm runbook links use it too).
  ...infrastructureRepository,
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
