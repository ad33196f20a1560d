import { z } from "zod";

/**
 * The shape of an environment's config: every field typed, every object strict (an unknown or
 * misspelt key is an error, never ignored). Rules that compare fields or need tables live in
 * `rules.ts`; both run in one pass (`validate.ts`).
 */

/** Marks the message of a strict object so that unknown-key issues can list the known keys. */
export const KNOWN_KEYS_MARK = "known keys: ";

function strict<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).strict(`${KNOWN_KEYS_MARK}${Object.keys(shape).join(", ")}`);
}

const whole = (min: number, max?: number) => {
  const n = z.number().int().min(min);
  return max === undefined ? n : n.max(max);
};
const text = z.string();
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).readonly();
const record = <T extends z.ZodTypeAny>(item: T) => z.record(z.string(), item).readonly();

const environment = strict({
  project: text,
  name: text,
  region: text,
  accountId: text,
  state: strict({ bucket: text, lockTable: text, region: text.optional() }),
  tags: record(text).optional(),
  // Set by apps/bootstrap's withAccountBoundary in a shared account, not by hand.
  permissionsBoundaryArn: text.optional(),
});

const network = strict({
  vpcCidr: text,
  availabilityZoneCount: whole(1),
  natMode: z.enum(["none", "single", "perAz"]),
  publicSubnetCidrs: list(text).optional(),
  privateSubnetCidrs: list(text).optional(),
  interfaceEndpoints: list(z.enum(["ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "sts"])).optional(),
  interfaceEndpointAzCount: whole(1).optional(),
  flowLogs: strict({
    logRetentionDays: z.number().optional(),
    trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).optional(),
    maxAggregationIntervalSeconds: z.union([z.literal(60), z.literal(600)]).optional(),
    kmsKeyArn: text.optional(),
  }).optional(),
  ipv6: z.boolean().optional(),
});

const registry = strict({
  repositories: list(text),
  keepLastImages: whole(1, 10000),
  imageTagMutability: z.enum(["IMMUTABLE", "MUTABLE"]).optional(),
  forceDelete: z.boolean().optional(),
  repositoryNames: record(text).optional(),
});

const security = strict({
  albIngress: z.union([z.literal("allowlist-variable"), z.literal("public"), strict({ allowedCidrs: list(text) })], {
    errorMap: () => ({ message: 'must be "public", "allowlist-variable" or { allowedCidrs: ["203.0.113.0/24", ...] }.' }),
  }),
});

const storage = strict({
  versioned: z.boolean(),
  lifecycle: strict({
    transitionToInfrequentAccessDays: whole(30).optional(),
    expirationDays: whole(1).optional(),
    noncurrentTransitionToInfrequentAccessDays: whole(30).optional(),
    noncurrentExpirationDays: whole(1).optional(),
  }).optional(),
  corsOrigins: list(text).optional(),
  albAccessLogs: strict({ retentionDays: whole(1), bucketName: text.optional() }).optional(),
  assetsBucketName: text.optional(),
});

const databaseCommon = {
  engineVersion: text,
  identifier: text.optional(),
  databaseName: text,
  masterUsername: text.optional(),
  backupRetentionDays: whole(1, 35),
  deletionProtection: z.boolean().optional(),
  performanceInsightsRetentionDays: z.number().optional(),
  logRetentionDays: z.number().optional(),
  restoreFrom: z
    .union([
      strict({ snapshotIdentifier: text }),
      strict({ pointInTime: strict({ sourceIdentifier: text, restoreTime: text.optional(), latestRestorable: z.boolean().optional() }) }),
    ], { errorMap: () => ({ message: 'must be { snapshotIdentifier: "..." } or { pointInTime: { sourceIdentifier: "...", restoreTime: "2026-11-30T01:23:00Z" | latestRestorable: true } }.' }) })
    .optional(),
  awsBackup: strict({ retentionDays: whole(1, 35000), copyRegion: text.optional(), copyRetentionDays: whole(1, 35000).optional() }).optional(),
};

const database = z.discriminatedUnion("kind", [
  strict({
    kind: z.literal("rds-postgres"),
    ...databaseCommon,
    instanceClass: text,
    allocatedStorageGiB: whole(20, 65536),
    maxAllocatedStorageGiB: whole(20, 65536).optional(),
    multiAz: z.boolean().optional(),
  }),
  strict({
    kind: z.literal("aurora-serverless-v2"),
    ...databaseCommon,
    minAcu: z.number().min(0).max(256),
    maxAcu: z.number().min(1).max(256),
    reader: z.boolean(),
    instanceIdentifiers: strict({ writer: text.optional(), reader: text.optional() }).optional(),
  }),
]);

const healthCheck = strict({
  path: text.optional(),
  intervalSeconds: z.number().optional(),
  timeoutSeconds: z.number().optional(),
  healthyThreshold: z.number().optional(),
  unhealthyThreshold: z.number().optional(),
  matcher: text.optional(),
});

const autoScaling = strict({
  minCapacity: z.number(),
  maxCapacity: z.number(),
  cpuTargetPercent: z.union([z.number(), z.literal(false)]).optional(),
  memoryTargetPercent: z.union([z.number(), z.literal(false)]).optional(),
  scaleOutCooldownSeconds: z.number().optional(),
  scaleInCooldownSeconds: z.number().optional(),
});

const egressDestination = strict({
  cidrs: list(text).optional(),
  prefixListIds: list(text).optional(),
  protocol: z.enum(["tcp", "udp"]).optional(),
  port: z.number(),
  toPort: z.number().optional(),
});
const egress = record(egressDestination);
const startCondition = z.enum(["START", "HEALTHY", "COMPLETE", "SUCCESS"]);

const sidecar = strict({
  image: text,
  essential: z.boolean().optional(),
  dependsOn: record(startCondition).optional(),
  environment: record(text).optional(),
  secrets: record(text).optional(),
  healthCheck: list(text).optional(),
});

const service = strict({
  cpu: z.number(),
  memoryMiB: z.number(),
  cpuArchitecture: z.enum(["X86_64", "ARM64"]).optional(),
  port: whole(1, 65535),
  imageTag: text,
  route: z.union([z.literal("default"), strict({ priority: z.number(), pathPatterns: list(text) })], {
    errorMap: () => ({ message: 'must be "default" or { priority: 10, pathPatterns: ["/api/*"] }.' }),
  }),
  healthCheck,
  healthCheckGraceSeconds: whole(0).optional(),
  desiredCount: whole(0).optional(),
  autoScaling: z.union([autoScaling, z.literal(false)]).optional(),
  environment: record(text).optional(),
  parameters: record(text).optional(),
  databaseUrl: z.boolean().optional(),
  readonlyRootFilesystem: z.boolean().optional(),
  capacityProviderStrategy: list(
    strict({ capacityProvider: z.enum(["FARGATE", "FARGATE_SPOT"]), weight: whole(0, 1000), base: whole(0, 100000).optional() }),
  ).optional(),
  grants: strict({
    assets: z.enum(["read", "read-write"]).optional(),
    parameters: list(text).optional(),
    secrets: list(text).optional(),
  }).optional(),
  calls: list(text).optional(),
  egress: egress.optional(),
  datadog: strict({ apiKeySecret: text, site: text.optional(), logs: z.boolean().optional(), agentImageTag: text.optional() }).optional(),
  sentry: strict({ dsnSecret: text }).optional(),
  sidecars: record(sidecar).optional(),
  essential: z.boolean().optional(),
  dependsOn: record(startCondition).optional(),
});

const compute = strict({
  containerInsights: z.boolean(),
  taskSubnets: z.enum(["public", "private"]),
  ecsExec: z.boolean(),
  logRetentionDays: z.number(),
  albDeletionProtection: z.boolean(),
  services: record(service),
  egress: egress.optional(),
});

const scheduler = strict({
  start: text,
  stop: text,
  timeZone: text.optional(),
  stopDatabase: z.boolean().optional(),
  skipStartOnJapanesePublicHolidays: z.boolean().optional(),
});

const edge = strict({
  domain: text,
  wafRateLimitPer5Minutes: whole(10, 2_000_000_000),
  wafLogRetentionDays: z.number(),
});

const monitoring = strict({
  alarmEmails: list(text),
  dashboard: z.boolean().optional(),
  databaseMaxConnections: whole(1).optional(),
  alarmSet: z.enum(["full", "essential"]).optional(),
  thresholds: strict({
    serviceCpuPercent: z.number().optional(),
    serviceMemoryPercent: z.number().optional(),
    target4xxPercent: z.number().optional(),
    databaseReadLatencyMs: z.number().optional(),
    databaseWriteLatencyMs: z.number().optional(),
    databaseFreeStorageGiB: z.number().optional(),
    natGbPerHour: z.number().optional(),
  }).optional(),
  monthlyBudgetUsd: z.number().optional(),
  runbookUrl: text.optional(),
});

const bastion = strict({ instanceType: text.optional() });

/** Every setting of one environment (`EnvironmentLayersConfig`). */
export const environmentConfigSchema = strict({
  environment,
  network,
  registry,
  security,
  storage,
  database,
  compute,
  scheduler: scheduler.optional(),
  edge: edge.optional(),
  monitoring: monitoring.optional(),
  bastion: bastion.optional(),
  teardown: z.enum(["allowed", "protected"]).optional(),
});

export type EnvironmentConfigInput = z.input<typeof environmentConfigSchema>;
