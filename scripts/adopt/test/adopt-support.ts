/** Shared by the adopt unit tests and the adopt terraform tier: the staging fixture and synth. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { synthesizeApp } from "@platform/core";
import { buildEnvironment, type EnvironmentLayersConfig } from "@platform/layers";
import { staging } from "../../../apps/staging/src/config";

export const LEGACY_STAGING = fileURLToPath(new URL("../../../test/fixtures/legacy/staging/states", import.meta.url));
export const LEGACY_PROD = fileURLToPath(new URL("../../../test/fixtures/legacy/prod/states", import.meta.url));

/** The staging environment's place, as the CLI reads it from config. */
export const STAGING_PLACE = { name: staging.environment.name, region: staging.environment.region, accountId: staging.environment.accountId };

/** Synthesizes one environment (config changed by `edit`) into a fresh temporary folder. */
export function synthEnvironment(plan: EnvironmentLayersConfig = staging, edit: (p: EnvironmentLayersConfig) => EnvironmentLayersConfig = (p) => p): string {
  const outdir = mkdtempSync(join(tmpdir(), "adopt-synth-"));
  synthesizeApp((app) => buildEnvironment(app, edit(plan)), { outdir });
  return outdir;
}

/** Staging as it adopts the fixture: the live database identifier kept (what the report asks for). */
export const keepLiveDatabase = (p: EnvironmentLayersConfig): EnvironmentLayersConfig => ({
  ...p,
  database: { ...p.database, identifier: "bookmark-manager-staging-postgres" },
});
