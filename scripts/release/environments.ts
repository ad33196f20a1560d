import type { EnvironmentLayersConfig } from "@platform/layers";
import { prod } from "../../apps/prod/src/config";
import { staging } from "../../apps/staging/src/config";

/** The environments a release can target, by name (each reads `apps/<env>/src/releases.json`). */
export const releaseEnvironments: Readonly<Record<string, EnvironmentLayersConfig>> = Object.fromEntries(
  [staging, prod].map((plan) => [plan.environment.name, plan]),
);

/** The file of an environment's image tags, relative to the repository root. */
export function releasesFile(environment: string): string {
  return `apps/${environment}/src/releases.json`;
}
