import type { EnvironmentLayersConfig, ServiceConfig } from "@platform/layers";
import type { Waiver } from "@platform/policy";
import { placements, runbookUrl } from "@platform/accounts";
// The image tag each service runs: written by `pnpm release` (scripts/release), one line per service.
import releases from "./releases.json";

/** Seeds 003 and 000: 1 vCPU / 2 GiB, 1-10 tasks on CPU 70 % and memory 80 %. */
const scaledService = {
  cpu: 1024,
  memoryMiB: 2048,
  healthCheckGraceSeconds: 120,
  // Relaxed (the default is read-only): the web (Next.js) and api (NestJS) images write caches and
  // temp files under their root filesystem. Waived as PLAT-ECS-002 until the images mount a scratch
  // volume for them; then drop this line.
  readonlyRootFilesystem: false,
  autoScaling: {
    minCapacity: 1,
    maxCapacity: 10,
    cpuTargetPercent: 70,
    memoryTargetPercent: 80,
    scaleOutCooldownSeconds: 60,
    scaleInCooldownSeconds: 300,
  },
} as const;

/**
 * Seed 003's monitoring, as AWS resources only (no Datadog or Sentry provider): a Datadog agent
 * sidecar in every task (APM and DogStatsD on localhost; logs stay in CloudWatch, 30 days) and
 * Sentry's DSN injected from Secrets Manager. Both secrets are created outside Terraform:
 * `aws secretsmanager create-secret --name /bookmark-manager/prod/DATADOG_API_KEY --secret-string …`.
 */
const monitored = {
  // Seed 003: the apps read the static assets bucket (name in ASSETS_BUCKET); uploads go through the api later.
  grants: { assets: "read" },
  datadog: { apiKeySecret: "/bookmark-manager/prod/DATADOG_API_KEY" },
  sentry: { dsnSecret: "/bookmark-manager/prod/SENTRY_DSN" },
} as const;

const web: ServiceConfig = {
  ...scaledService,
  ...monitored,
  port: 3000, // Next.js
  imageTag: releases.web,
  route: "default",
  healthCheck: { path: "/health" },
};

const api: ServiceConfig = {
  ...scaledService,
  ...monitored,
  port: 3000, // NestJS
  imageTag: releases.api,
  route: { priority: 10, pathPatterns: ["/api/*"] },
  healthCheck: { path: "/api/health" },
};

const domain = "tidilyspace.app";

/** The alarm runbook on the default branch: every alarm's description links to its section. */
const alarmRunbookUrl = runbookUrl("alarms.md");

/**
 * `pnpm cost` (2026-11-30): prod's base month is $389 (1 task each, 0.5 ACU), its peak $1,627 (10 tasks,
 * 2 ACU all month). 80 % of $600 ($480) is a month running a quarter above base: worth a look, not routine.
 */
const PROD_MONTHLY_BUDGET_USD = 600;

/** Production (seeds 003, 000, 001): two AZs, secure defaults, monitored. */
export const prod: EnvironmentLayersConfig = {
  environment: placements.prod,
  network: {
    vpcCidr: "10.1.0.0/16",
    availabilityZoneCount: 2,
    // Seed 003's cost choice: one NAT gateway (~$45/month) instead of one per AZ (~$90).
    // It is a single point of failure for egress: if its AZ fails, tasks in the other AZ
    // lose internet access (ECR, logs and S3 still work through the endpoints). For HA egress
    // change this one line to "perAz".
    natMode: "single",
    // Kept at equal function (`pnpm cost`): 3 endpoints × 2 AZs cost $61.32/month; through the NAT the
    // same ECR and Logs traffic would cost $0.062/GB, so dropping them pays only under ~990 GB/month,
    // but they are what keeps image pulls and logs working when the single NAT's AZ fails (above).
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
    flowLogs: { logRetentionDays: 30 },
    ipv6: true, // AAAA for the apex and www answer through the dual-stack ALB; tasks and private subnets stay IPv4.
  },
  registry: { repositories: ["web", "api"], keepLastImages: 30, forceDelete: false },
  // The whole internet, behind the WAF (edge below).
  security: { albIngress: "public" },
  storage: {
    versioned: true,
    lifecycle: {
      transitionToInfrequentAccessDays: 180,
      expirationDays: 730,
      noncurrentTransitionToInfrequentAccessDays: 180,
      noncurrentExpirationDays: 730,
    },
    corsOrigins: [`https://${domain}`, `https://www.${domain}`],
    albAccessLogs: { retentionDays: 90 },
  },
  database: {
    kind: "aurora-serverless-v2",
    // Seed 003 names 17.6, a community release Aurora skipped: the Aurora PostgreSQL 17 minors
    // AWS documents are 17.4, 17.5, 17.7 (Dec 2025) and 17.9 (Apr 2026). Terraform cannot check
    // this offline; confirm with `aws rds describe-db-engine-versions --engine aurora-postgresql`.
    engineVersion: "17.7",
    minAcu: 0.5,
    maxAcu: 2,
    reader: true,
    databaseName: "bookmarkdb",
    masterUsername: "dbadmin",
    backupRetentionDays: 30,
    deletionProtection: true,
    performanceInsightsRetentionDays: 7,
    logRetentionDays: 30,
    // Seed 001's Aurora backups, beyond RDS's own 30 days of point-in-time recovery: a daily AWS Backup
    // recovery point in a CMK-encrypted vault, copied to Osaka so a Tokyo region outage or a deleted
    // cluster still leaves a restorable copy (docs/runbooks/restore.md).
    awsBackup: { retentionDays: 35, copyRegion: "ap-northeast-3" },
  },
  compute: {
    containerInsights: true,
    taskSubnets: "private",
    // DB access goes through the bastion; no shells into production tasks.
    ecsExec: false,
    logRetentionDays: 30,
    albDeletionProtection: true,
    services: { web, api },
  },
  edge: { domain, wafRateLimitPer5Minutes: 2000, wafLogRetentionDays: 30 },
  monitoring: {
    alarmEmails: [`alerts@${domain}`],
    // Aurora PostgreSQL: LEAST(DBInstanceClassMemory / 9531392, 5000) at the 2 ACU (4 GiB) ceiling.
    databaseMaxConnections: 450,
    // Every threshold keeps its default (ALARM_THRESHOLD_DEFAULTS): memory alarms at 85 %, above the 80 % scaling target.
    monthlyBudgetUsd: PROD_MONTHLY_BUDGET_USD,
    runbookUrl: alarmRunbookUrl,
  },
  // Seed 003's t3.nano as its Graviton twin: same 2 vCPU / 0.5 GiB for SSM sessions and the DB tunnel,
  // the arm64 Amazon Linux 2023 image is chosen from the type. `pnpm cost`: $4.96 → $3.94 a month.
  bastion: { instanceType: "t4g.nano" },
};

/**
 * Production is strict: a waiver here names a reason a reviewer accepted and expires early
 * (`pnpm policy --env prod`).
 */
export const prodWaivers: readonly Waiver[] = [
  {
    rule: "PLAT-ECS-002",
    stack: "prod-compute",
    reason: "The web (Next.js) and api (NestJS) images write caches and temp files under their root filesystem; set readonlyRootFilesystem per service once the images mount a volume for them. The Datadog agent sidecar (seed 003) writes its run files and check state under its own root filesystem, as Datadog's Fargate setup does.",
    expires: "2027-02-28",
  },
  {
    rule: "PLAT-RDS-006",
    stack: "prod-database",
    reason: "The apps authenticate with the password in DATABASE_URL; IAM auth needs token refresh in their connection pools first.",
    expires: "2027-02-28",
  },
];
