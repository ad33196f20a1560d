/**
 * Stacks are named `<env>-<layer>` (`staging-network`, `prod-compute`); neither part has a
 * hyphen (EnvironmentStack enforces it). A name without a hyphen (`bootstrap`) is account-wide.
 */
export const ACCOUNT_ENVIRONMENT = "account";

export function environmentOf(stack: string): string {
  // Per-account bootstrap stacks (`bootstrap-staging`, `bootstrap-prod`) are account-wide too.
  if (stack.startsWith("bootstrap-")) return ACCOUNT_ENVIRONMENT;
  const i = stack.lastIndexOf("-");
  return i > 0 ? stack.slice(0, i) : ACCOUNT_ENVIRONMENT;
}

/** Account-wide first, then from the least to the most critical environment, then by name. */
const ENVIRONMENT_RANK: Readonly<Record<string, number>> = {
  [ACCOUNT_ENVIRONMENT]: 0,
  dev: 1,
  development: 1,
  test: 2,
  qa: 2,
  staging: 3,
  stage: 3,
  preprod: 4,
  prod: 5,
  production: 5,
};

export function compareEnvironments(a: string, b: string): number {
  return (ENVIRONMENT_RANK[a] ?? 4.5) - (ENVIRONMENT_RANK[b] ?? 4.5) || a.localeCompare(b);
}

export function compareStacks(a: string, b: string): number {
  return compareEnvironments(environmentOf(a), environmentOf(b)) || a.localeCompare(b);
}
