import { applyBoundaryArn, confinedEnvironments, type EnvironmentConfig } from "@platform/core";
import type { RegistryPlan } from "@platform/layers";
import { prod } from "../../prod/src/config";
import { staging } from "../../staging/src/config";
import { sharedAccountOwner } from "./config";

/** Every environment the app deploys, as its config names it (account, region, state). */
export const environmentConfigs: readonly EnvironmentConfig[] = [staging.environment, prod.environment];

/** Each environment's image repositories (application push roles are scoped to them). */
export const environmentRegistries: Readonly<Record<string, RegistryPlan>> = { staging: staging.registry, prod: prod.registry };

/**
 * The plan of an environment with the permissions boundary its roles must carry, when it shares
 * its account and does not own it (see `sharedAccountOwner`); unchanged otherwise.
 */
export function withAccountBoundary<T extends { readonly environment: EnvironmentConfig }>(
  plan: T,
  environments: readonly EnvironmentConfig[] = environmentConfigs,
): T {
  if (!confinedEnvironments(environments, sharedAccountOwner).includes(plan.environment.name)) return plan;
  return { ...plan, environment: { ...plan.environment, permissionsBoundaryArn: applyBoundaryArn(plan.environment) } };
}
