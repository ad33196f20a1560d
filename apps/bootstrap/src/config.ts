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
} as const;
