import type { EnvironmentLayersConfig } from "@platform/layers";
import { appEnvironments } from "../../apps/main";

/** The environments a release can target, by name (each reads `apps/<env>/src/releases.json`). */
export const releaseEnvironments: Readonly<Record<string, EnvironmentLayersConfig>> = Object.fromEntries(
  appEnvironments.map((config) => [config.environment.name, config]),
);

/** The file of an environment's image tags, relative to the repository root. */
export function releasesFile(environment: string): string {
  return `apps/${environment}/src/releases.json`;
}
