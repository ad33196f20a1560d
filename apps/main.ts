/**
 * The cdktf app: every stack of every environment. `cdktf synth` (via cdktf.json) and
 * `pnpm synth` both run this file and write cdktf.out/.
 */
import { pathToFileURL } from "node:url";
import { synthesizeApp, type SynthesizeOptions } from "@platform/core";
import type { App } from "cdktf";
import { assertValidEnvironments, type EnvironmentLayersConfig } from "@platform/layers";
import { account } from "@platform/accounts";
import { github } from "./bootstrap/src/config";
import { bootstrapConfigIssues } from "./bootstrap/src/config-schema";
import { buildBootstrap } from "./bootstrap/src/main";
import { policyGate } from "@platform/policy";
import { policyTargets } from "./policy";
import { prod } from "./prod/src/config";
import { buildProd } from "./prod/src/main";
import { staging } from "./staging/src/config";
import { buildStaging } from "./staging/src/main";
import { withImports } from "./adopt-imports";

/** Every environment the app deploys (the bootstrap's push roles and `pnpm release` read them from here). */
export const appEnvironments: readonly EnvironmentLayersConfig[] = [staging, prod];

/**
 * Checks every config of the app at once, before anything is built: each environment, the
 * bootstrap config, and the rules across them (distinct VPC blocks, one GitHub environment per
 * platform environment). Throws one ConfigError listing every problem.
 */
export function assertValidApp(
  environments: readonly EnvironmentLayersConfig[] = appEnvironments,
  bootstrap: { readonly account: unknown; readonly github: unknown } = { account, github },
): void {
  const names = environments.map((e) => e.environment.name);
  assertValidEnvironments(environments, bootstrapConfigIssues(bootstrap.account, bootstrap.github, names));
}

/** Adds every environment's stacks to `app`, once every config has been checked. */
export function buildAll(app: App): void {
  assertValidApp();
  buildBootstrap(app, undefined, Object.fromEntries(appEnvironments.map((e) => [e.environment.name, e.registry])));
  buildStaging(app);
  buildProd(app);
  withImports(app);
}

/** Synthesizes every environment; the policy pack runs first, so a finding writes nothing. */
export function synthesizeAll(options: Omit<SynthesizeOptions, "beforeWrite"> = {}): App {
  return synthesizeApp(buildAll, { ...options, beforeWrite: policyGate(policyTargets) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  synthesizeAll();
}
