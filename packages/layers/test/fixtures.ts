import type { EnvironmentLayersConfig } from "../src/index";

/** The smallest complete config: one service, an RDS instance, no domain. */
export const minimalConfig: EnvironmentLayersConfig = {
  environment: {
    project: "acme",
    name: "staging",
    region: "ap-northeast-1",
    accountId: "123456789012",
    state: { bucket: "acme-terraform-state", lockTable: "acme-terraform-locks" },
  },
  network: { vpcCidr: "10.0.0.0/16", availabilityZoneCount: 2, natMode: "none" },
  registry: { repositories: ["web"], keepLastImages: 5 },
  security: { albIngress: { allowedCidrs: ["203.0.113.0/24"] } },
  storage: { versioned: false },
  database: {
    kind: "rds-postgres",
    instanceClass: "db.t4g.micro",
    engineVersion: "17",
    allocatedStorageGiB: 20,
    databaseName: "app",
    backupRetentionDays: 1,
  },
  compute: {
    containerInsights: false,
    taskSubnets: "public",
    ecsExec: false,
    logRetentionDays: 7,
    albDeletionProtection: false,
    services: {
      web: { cpu: 256, memoryMiB: 512, port: 3000, imageTag: "v1", route: "default", healthCheck: { path: "/" } },
    },
  },
};

/** `minimalConfig` with some fields replaced. */
export function configWith(overrides: Partial<EnvironmentLayersConfig>): EnvironmentLayersConfig {
  return { ...minimalConfig, ...overrides };
}
