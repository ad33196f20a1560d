import { applyBoundaryArn, confinedEnvironments, type EnvironmentConfig } from "@platform/core";
import { prod } from "../../prod/src/config";
import { staging } from "../../staging/src/config";
import { sharedAccountOwner } from "./config";

/** Every environment the app deploys, as its config names it (account, region, state). */
export const environmentConfigs: readonly EnvironmentConfig[] = [staging.environment, prod.environment];

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
