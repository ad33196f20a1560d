import { buildEnvironment, type EnvironmentLayersConfig, type EnvironmentStacks } from "@platform/layers";
import type { Construct } from "constructs";
import { prod } from "../../apps/prod/src/config";
import { staging } from "../../apps/staging/src/config";
import { examples } from "../../apps/examples/src/config";

/**
 * Seeds 002 and 003 as whole environments in the example account: the real staging and prod
 * configs (apps/<env>/src/config.ts), renamed, on their own address ranges, with what each seed's
 * application needs on top. Built by `buildEnvironment` like the real environments, so they
 * exercise the same config validation; the terraform tier plans their compute stacks.
 */

/** MongoDB Atlas's addresses for this project: its IP access list / peering ranges (documentation ranges here). */
const ATLAS_CIDRS = ["192.0.2.0/24", "198.51.100.0/24"];

/**
 * Seed 002 (staging, cost-optimised): web + api read the asset bucket; the api also reads
 * `MONGODB_URI` from SSM and reaches MongoDB Atlas on 27017 (one line: `egress.atlas`).
 */
export const seed002: EnvironmentLayersConfig = {
  ...staging,
  environment: { ...examples.environment, name: "seed002" },
  network: { ...staging.network, vpcCidr: "10.40.0.0/16" },
  // Its alarms are the staging environment's own concern; the example is about the applications.
  monitoring: undefined,
  compute: {
    ...staging.compute,
    services: {
      web: { ...staging.compute.services.web!, grants: { assets: "read" } },
      api: {
        ...staging.compute.services.api!,
        grants: { assets: "read" },
        parameters: { MONGODB_URI: "/example/seed002/MONGODB_URI" },
        egress: { atlas: { cidrs: ATLAS_CIDRS, port: 27017 } },
      },
    },
  },
};

/**
 * Seed 003 (production): web + api with the Datadog agent sidecar (the api also ships its logs
 * to Datadog through FireLens) and Sentry, both reading the asset bucket. The app part of prod
 * only: no domain, alarms or bastion, which the prod environment itself covers.
 */
export const seed003: EnvironmentLayersConfig = {
  ...prod,
  environment: { ...examples.environment, name: "seed003" },
  network: { ...prod.network, vpcCidr: "10.41.0.0/16", flowLogs: undefined },
  storage: { ...prod.storage, corsOrigins: undefined, albAccessLogs: undefined },
  compute: {
    ...prod.compute,
    albDeletionProtection: false,
    services: Object.fromEntries(
      Object.entries(prod.compute.services).map(([name, service]) => [
        name,
        {
          ...service,
          grants: { assets: "read" },
          datadog: { apiKeySecret: "/example/seed003/DATADOG_API_KEY", logs: name === "api" },
          sentry: { dsnSecret: "/example/seed003/SENTRY_DSN" },
        },
      ]),
    ),
  },
  edge: undefined,
  monitoring: undefined,
  bastion: undefined,
};

export interface SeedEnvironments {
  readonly seed002: EnvironmentStacks;
  readonly seed003: EnvironmentStacks;
}

/** Adds the seed 002 and 003 environments (`seed002-<layer>`, `seed003-<layer>`) to the app. */
export function buildSeedEnvironments(scope: Construct, plans: { seed002: EnvironmentLayersConfig; seed003: EnvironmentLayersConfig } = { seed002, seed003 }): SeedEnvironments {
  return { seed002: buildEnvironment(scope, plans.seed002), seed003: buildEnvironment(scope, plans.seed003) };
}
