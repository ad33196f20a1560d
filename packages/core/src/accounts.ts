import { arn, awsContextOf } from "./aws-shapes";
import { NAME_LIMITS, boundedName } from "./naming";

/** IAM path of every role and policy made for CI (GitHub Actions), so one policy can protect them all. */
export const CI_IAM_PATH = "/github-actions/";

/** What identifies an environment's place in AWS: enough to group environments by account. */
export interface EnvironmentAccount {
  /** Environment name, e.g. `staging`. */
  readonly name: string;
  /** 12-digit AWS account ID. */
  readonly accountId: string;
}

/**
 * Accounts that hold more than one environment, with the environments each holds (in the given
 * order). An empty result means every environment has its own account. A shared account is a
 * finding the policy pack reports: it needs a waiver with a reason.
 */
export function sharedAccounts(environments: readonly EnvironmentAccount[]): Record<string, string[]> {
  const byAccount = environmentsByAccount(environments);
  return Object.fromEntries(Object.entries(byAccount).filter(([, names]) => names.length > 1));
}

/** Every account with the environments it holds, in first-seen order. */
export function environmentsByAccount(environments: readonly EnvironmentAccount[]): Record<string, string[]> {
  const byAccount: Record<string, string[]> = {};
  for (const e of environments) (byAccount[e.accountId] ??= []).push(e.name);
  return byAccount;
}

/**
 * Environments whose CI apply role (and every role their stacks create) runs under a permissions
 * boundary: those in an account shared with another environment, except the account's owner
 * (normally prod), which keeps the whole account.
 */
export function confinedEnvironments(environments: readonly EnvironmentAccount[], owner: string | undefined): string[] {
  return Object.values(sharedAccounts(environments))
    .flat()
    .filter((name) => name !== owner);
}


/** Name of the permissions boundary that confines one environment's CI apply role. */
export function applyBoundaryPolicyName(project: string, environment: string): string {
  return boundedName([project, environment, "apply-boundary"], NAME_LIMITS.iamPolicyName);
}

/** ARN of that boundary, known at synth (the bootstrap stack creates it under {@link CI_IAM_PATH}). */
export function applyBoundaryArn(e: { readonly project: string; readonly name: string; readonly accountId: string; readonly region: string }): string {
  return arn(awsContextOf(e), { service: "iam", region: "", resource: `policy${CI_IAM_PATH}${applyBoundaryPolicyName(e.project, e.name)}` });
}
