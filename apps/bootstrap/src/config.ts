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
