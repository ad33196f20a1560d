import type { EnvironmentLayersConfig, ServiceConfig } from "@platform/layers";
import type { Waiver } from "@platform/policy";
import { placements, runbookUrl } from "@platform/accounts";
// The image tag each service runs: written by `pnpm release` (scripts/release), one line per service.
import releases from "./releases.json";

/** Seed 002's health-check tuning: slow starters are not killed in a loop (the NAT-bill incident). */
const tolerantHealthCheck = { intervalSeconds: 60, unhealthyThreshold: 10 } as const;

/**
 * 0.25 vCPU / 512 MiB, one task: the smallest Fargate size. On Fargate Spot (`pnpm cost`: $4.36 →
 * $1.31 a month per service in office hours, plus its IPv4 address either way): a staging task may
 * be stopped with two minutes' notice and ECS starts another; the deployment circuit breaker and
 * health checks are unchanged.
 */
const smallService = {
  cpu: 256,
  memoryMiB: 512,
  desiredCount: 1,
  healthCheckGraceSeconds: 120,
  capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
  // Relaxed (the default is read-only): ECS Exec, the DB tunnel path (compute.ecsExec), needs a
  // writable root filesystem for its agent, and the Next.js / NestJS images write caches there.
  readonlyRootFilesystem: false,
} as const;

const web: ServiceConfig = {
  ...smallService,
  port: 3000, // Next.js
  imageTag: releases.web,
  route: "default",
  healthCheck: { ...tolerantHealthCheck, path: "/health" },
  // Seed 002: the apps read the static assets bucket (name in ASSETS_BUCKET); they never write it.
  grants: { assets: "read" },
};

const api: ServiceConfig = {
  ...smallService,
  port: 3000, // NestJS
  imageTag: releases.api,
  route: { priority: 10, pathPatterns: ["/api/*"] },
  healthCheck: { ...tolerantHealthCheck, path: "/api/health" },
  grants: { assets: "read" },
};

/**
 * Staging (seed 002): cost first. Every relaxation of the secure defaults is written here,
 * where a reviewer sees it.
 */
export const staging: EnvironmentLayersConfig = {
  environment: placements.staging,
  network: {
    vpcCidr: "10.0.0.0/16",
    // Two AZs because the ALB and the RDS subnet group require two.
    availabilityZoneCount: 2,
    // No NAT (saves ~$45/month): tasks run in public subnets with public IPs instead (compute below).
    natMode: "none",
    // No interface endpoints (seed 002 had ECR api/dkr and Logs; `pnpm cost`: $30.72/month for three
    // in one AZ). They bought nothing here: the tasks have public IPs and reach ECR and CloudWatch Logs
    // through the internet gateway, where same-region ECR pulls and log delivery carry no transfer
    // charge and no NAT bills per GB. The S3 gateway endpoint (free) stays.
    // No flowLogs (off by default; about $10/month of ingestion): staging holds no customer data
    // (waived as PLAT-NET-002 below).
  },
  registry: { repositories: ["web", "api"], keepLastImages: 10 },
  // Office and home IPs come from a git-ignored tfvars file (alb_allowed_cidrs), never from git.
  security: { albIngress: "allowlist-variable" },
  storage: {
    // Staging choice: no versioning (assets are rebuilt from git).
    versioned: false,
    lifecycle: { transitionToInfrequentAccessDays: 30, expirationDays: 180 },
  },
  database: {
    kind: "rds-postgres",
    instanceClass: "db.t4g.micro",
    engineVersion: "17",
    allocatedStorageGiB: 20,
    databaseName: "bookmarkdb",
    masterUsername: "dbadmin",
    backupRetentionDays: 7,
    // Staging choice: staging is rebuilt freely; a final snapshot is still taken on destroy.
    deletionProtection: false,
    logRetentionDays: 7,
  },
  compute: {
    containerInsights: false,
    // Staging choice (no NAT): tasks get public IPs in public subnets; their security group
    // admits only the ALB, so nothing else can reach them.
    taskSubnets: "public",
    // ECS Exec on: the DB tunnel goes through a running task (scripts/tunnel/main.ts).
    ecsExec: true,
    logRetentionDays: 7,
    albDeletionProtection: false,
    services: { web, api },
  },
  // No edge (no domain): the ALB serves HTTP on its own DNS name, without WAF; only the
  // allowlist above reaches it (PLAT-EDGE-002, PLAT-EDGE-004). No storage.albAccessLogs
  // (PLAT-EDGE-006), no monitoring (no alarms) and no bastion (the tunnel goes through a task).
  // Seed 002: run Monday-Friday 9:00-22:00 JST only (~65 % fewer task hours).
  scheduler: {
    start: "cron(0 9 ? * MON-FRI *)",
    stop: "cron(0 22 ? * MON-FRI *)",
    timeZone: "Asia/Tokyo",
    // The database stops with the services (seed 001's dev auto-stop): nothing uses it while they are
    // stopped. `pnpm cost`: db.t4g.micro 730 h → 282.75 h, $18.25 → $7.07 a month; storage still bills.
    stopDatabase: true,
    // Nobody works on Japanese public holidays (substitute holidays included): start stays off, stop still runs.
    skipStartOnJapanesePublicHolidays: true,
  },
  // The essential set only (deployment failures and rollbacks, ALB 5xx, the Lambdas' errors) and a budget:
  // staging has no Container Insights and no NAT, and its scheduler makes quiet nights normal.
  monitoring: {
    alarmEmails: ["alerts@tidilyspace.app"],
    alarmSet: "essential",
    // `pnpm cost`: base $46.56, peak $54.72 a month; 80 % of $80 ($64) is already above the peak.
    monthlyBudgetUsd: 80,
    runbookUrl: runbookUrl("alarms.md"),
  },
  // Seed 002: "destroy when not in use". `pnpm destroy staging` takes it to $0 (repositories and buckets
  // with their contents, a final snapshot named per create) and the deploy builds it again
  // (docs/runbooks/teardown.md). No AWS Backup plan: automated backups and final snapshots suffice here.
  teardown: "allowed",
};

/**
 * Staging's reviewed relaxations of the policy pack (`pnpm policy --env staging`). Each names
 * the rule, the stack (and resource), why it is acceptable, and the day it must be reviewed again.
 */
export const stagingWaivers: readonly Waiver[] = [
  {
    rule: "PLAT-ACCT-001",
    stack: "staging",
    reason: "Staging shares the prod account to save a second account baseline; its apply role runs under a permissions boundary (issue 10). Move staging to its own account before it holds customer data.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-NET-002",
    stack: "staging-network",
    reason: "No flow logs in staging (about $10/month of log ingestion); it holds no customer data.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-EDGE-002",
    stack: "staging-compute",
    reason: "Staging has no domain, so the ALB has no certificate and serves HTTP; ingress is the office/home allowlist only (albIngress allowlist-variable).",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-EDGE-004",
    stack: "staging-compute",
    reason: "No WAF in staging (about $10/month); the ALB admits only allowlisted addresses.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-EDGE-006",
    stack: "staging-compute",
    reason: "No ALB access logs in staging; the allowlist limits callers to the team.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-EDGE-007",
    stack: "staging-compute",
    reason: "Staging is rebuilt freely; ALB deletion protection would block that.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-ECS-002",
    stack: "staging-compute",
    reason: "ECS Exec (the DB tunnel path) needs a writable root filesystem for its agent; the images also write caches there.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-ECS-004",
    stack: "staging-compute",
    reason: "No NAT in staging (saves about $45/month): tasks need public IPs to pull images; their security group admits only the ALB.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-ECS-005",
    stack: "staging-compute",
    reason: "No NAT in staging: tasks run in public subnets; their security group admits only the ALB.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-ECS-006",
    stack: "staging-compute",
    reason: "Container Insights off in staging (about $3/month per service); basic ECS metrics remain.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-LOG-003",
    stack: "staging-compute",
    reason: "ECS Exec session logs use the CloudWatch default encryption; sessions reach only staging data.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-RDS-002",
    stack: "staging-database",
    reason: "Staging is rebuilt freely; a final snapshot is still taken on destroy.",
    expires: "2027-05-31",
  },
  {
    rule: "PLAT-RDS-006",
    stack: "staging-database",
    reason: "The apps authenticate with the password in DATABASE_URL; IAM auth needs token refresh in their connection pools first.",
    expires: "2027-05-31",
  },
];
