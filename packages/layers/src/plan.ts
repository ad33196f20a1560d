import type { EnvironmentConfig } from "@platform/core";
import type { FlowLogsOptions, InterfaceEndpointService, NatMode } from "@platform/network";
import type { AutoScalingProps, TargetHealthCheckProps } from "@platform/compute";
import type { ImageTagMutability } from "@platform/registry";
import type { AssetLifecycle } from "@platform/storage";
import type { RestoreSource } from "@platform/database";

/** Network choices of one environment. */
export interface NetworkPlan {
  /** VPC block inside the RFC 1918 ranges, /16 to /28, e.g. `10.0.0.0/16`; environments' blocks must not overlap. */
  readonly vpcCidr: string;
  /** How many AZs of the region to span (from the region's AZ table, in order), at least 2: ALB and RDS need 2. */
  readonly availabilityZoneCount: number;
  readonly natMode: NatMode;
  /** Explicit public subnet CIDRs, one per AZ. @default derived from `vpcCidr` */
  readonly publicSubnetCidrs?: readonly string[];
  /** Explicit private subnet CIDRs, one per AZ. @default derived from `vpcCidr` */
  readonly privateSubnetCidrs?: readonly string[];
  /** Interface endpoints (each bills per AZ-hour). @default none */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /** Place interface endpoints in the first N AZs only. @default every AZ */
  readonly interfaceEndpointAzCount?: number;
  /** VPC flow logs. @default off */
  readonly flowLogs?: FlowLogsOptions;
  /**
   * Dual-stack public subnets, a dual-stack ALB, `::/0` listener rules for a public ALB and
   * AAAA alias records in the edge layer. Private subnets and tasks stay IPv4-only.
   * @default false (IPv4 only: no AAAA records, no `::/0` rules)
   */
  readonly ipv6?: boolean;
}

/** Container image repositories. */
export interface RegistryPlan {
  /** One repository per name, e.g. `["web", "api"]`; repositories are `<project>-<env>-<name>`. */
  readonly repositories: readonly string[];
  /** Images kept per repository (older ones expire). */
  readonly keepLastImages: number;
  /** @default "IMMUTABLE": a pushed tag can never point at other code */
  readonly imageTagMutability?: ImageTagMutability;
  /** Delete a repository even when it still holds images. @default false */
  readonly forceDelete?: boolean;
  /**
   * Live repository names to keep, by repository (`{ web: "legacy-web" }`), when adopting
   * repositories another tool created (`pnpm adopt` names them). @default `<project>-<env>-<name>`
   */
  readonly repositoryNames?: Readonly<Record<string, string>>;
}

/** Who may reach the load balancer. */
export interface SecurityPlan {
  /**
   * - `"allowlist-variable"`: CIDRs from the sensitive Terraform variable `alb_allowed_cidrs`, set in a
   *   git-ignored `*.auto.tfvars` file next to the stack (office and home IPs never enter git);
   * - `{ allowedCidrs }`: literal public CIDRs of offices and VPNs. Refused at synth: 0.0.0.0/0 and ::/0,
   *   lists that together cover the whole internet, blocks wider than /16 (IPv4) or /48 (IPv6), and
   *   private, CGNAT or link-local ranges (they never reach an internet-facing ALB);
   * - `"public"`: the whole internet (production behind WAF).
   */
  readonly albIngress: "allowlist-variable" | "public" | { readonly allowedCidrs: readonly string[] };
}

/** Buckets. */
export interface StoragePlan {
  /** Keep previous versions of overwritten and deleted assets. */
  readonly versioned: boolean;
  /** Transitions and expirations of assets. */
  readonly lifecycle?: AssetLifecycle;
  /** Origins allowed to call the bucket from browsers, e.g. `["https://example.com"]`. @default no CORS */
  readonly corsOrigins?: readonly string[];
  /**
   * A bucket for ALB access logs, expiring after `retentionDays`; `bucketName` keeps a live
   * bucket's name when adopting one. @default no access logs
   */
  readonly albAccessLogs?: { readonly retentionDays: number; readonly bucketName?: string };
  /**
   * The asset bucket's name, to keep a live bucket's when adopting one (`pnpm adopt` names it).
   * @default `<project>-<env>-assets-<accountId>`
   */
  readonly assetsBucketName?: string;
}

/** Settings both database kinds share. */
interface DatabaseCommonPlan {
  /** PostgreSQL version, major (`"17"`) or major.minor (`"17.6"`). */
  readonly engineVersion: string;
  /**
   * The instance or cluster identifier, to keep a live database's when adopting one (`pnpm adopt`
   * names it). @default `<project>-<env>-db` (RDS) or `<project>-<env>-aurora` (Aurora)
   */
  readonly identifier?: string;
  /** Database created at launch, e.g. `bookmarkdb`. */
  readonly databaseName: string;
  /** @default "dbadmin" */
  readonly masterUsername?: string;
  /** Days of automated backups (point-in-time recovery), 1-35. */
  readonly backupRetentionDays: number;
  /** Refuse deletion through the API. @default true */
  readonly deletionProtection?: boolean;
  /** Performance Insights retention (7 is free). @default off */
  readonly performanceInsightsRetentionDays?: number;
  /** Retention of the PostgreSQL log group. @default 30 */
  readonly logRetentionDays?: number;
  /**
   * Create the database from a snapshot or a point in time of another one (docs/runbooks/restore.md).
   * Needs a new `identifier`: the restore is a NEW database for a cut-over, never the source replaced.
   * @default a new, empty database
   */
  readonly restoreFrom?: RestoreSource;
  /** A daily AWS Backup plan of the database, besides RDS's automated backups. @default none */
  readonly awsBackup?: DatabaseBackupPlan;
}

/** AWS Backup of the database: daily, a CMK-encrypted vault, optionally copied to a second region. */
export interface DatabaseBackupPlan {
  /** Days each daily recovery point is kept. */
  readonly retentionDays: number;
  /** Second region for a copy of every recovery point, e.g. `ap-northeast-3` (Osaka). @default no copy */
  readonly copyRegion?: string;
  /** Days the copies are kept. @default retentionDays */
  readonly copyRetentionDays?: number;
}

/** A single RDS PostgreSQL instance (staging: cheap, stoppable). */
export interface RdsPostgresPlan extends DatabaseCommonPlan {
  readonly kind: "rds-postgres";
  /** e.g. `db.t4g.micro`. */
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling. @default twice allocatedStorageGiB */
  readonly maxAllocatedStorageGiB?: number;
  /** @default false */
  readonly multiAz?: boolean;
}

/** Aurora PostgreSQL Serverless v2 (prod): a writer and optionally a reader in the second AZ. */
export interface AuroraServerlessPlan extends DatabaseCommonPlan {
  readonly kind: "aurora-serverless-v2";
  /** Capacity range of every instance, ACU (0.5 steps, 0-256). */
  readonly minAcu: number;
  readonly maxAcu: number;
  /** A reader instance in the network's second AZ (failover target, read endpoint). */
  readonly reader: boolean;
  /**
   * Live instance identifiers to keep when adopting a cluster (`pnpm adopt` names them).
   * @default `<identifier>-writer` and `<identifier>-reader`
   */
  readonly instanceIdentifiers?: { readonly writer?: string; readonly reader?: string };
}

export type DatabasePlan = RdsPostgresPlan | AuroraServerlessPlan;

/** One web-facing service (a container behind the ALB). */
export interface ServicePlan {
  /** Task CPU units (256 = 0.25 vCPU). */
  readonly cpu: number;
  /** Task memory; must be a size Fargate offers for `cpu`. */
  readonly memoryMiB: number;
  /** @default "X86_64" */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  /** Port the container listens on. */
  readonly port: number;
  /** Image tag to run (a version or git SHA). Moving tags (`latest`, `main`, `stable`, `dev`, … in any case) are refused. */
  readonly imageTag: string;
  /** `"default"` for the service answering every unmatched path, else path patterns with a rule priority. */
  readonly route: "default" | { readonly priority: number; readonly pathPatterns: readonly string[] };
  /** Target group health check. */
  readonly healthCheck: TargetHealthCheckProps;
  /** Seconds after start during which failed health checks are ignored. @default 60 */
  readonly healthCheckGraceSeconds?: number;
  /** Tasks to run (the initial count when auto scaled), at most 5000 (ECS quota). @default 1 or the scaling minimum */
  readonly desiredCount?: number;
  /** Target tracking on CPU and memory; `false` turns it off and Terraform owns desired_count again. @default off */
  readonly autoScaling?: AutoScalingProps | false;
  /**
   * Plain, non-secret environment variables. Refused at synth: names that announce a credential
   * (`*_TOKEN`, `*_KEY`, `*_DSN`, `*_PASSWORD`, `*_SECRET`, …) and values that look like one (known
   * key prefixes such as `sk_live_`, `AKIA`, `ghp_`, `xox…`, URLs with a password, long random strings).
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets from SSM Parameter Store: env var name → parameter name (e.g. `/myapp/prod/JWT_SECRET`).
   * Names must lie under `/<project>/<env>/`: an environment never reads another's secrets.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Inject DATABASE_URL from the database layer. @default true */
  readonly databaseUrl?: boolean;
  /**
   * Mount the image read-only. Safer, but Next.js and NestJS write to their working directories
   * (`.next/cache`, uploads) at runtime, so turn it on only for images built for it.
   * Ignored (writable) when ECS Exec is on: its agent needs to write.
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Where tasks are placed, e.g. `[{ capacityProvider: "FARGATE_SPOT", weight: 1 }]` for an
   * interruptible service (~70 % cheaper; a task may be stopped with two minutes' notice).
   * @default all tasks on FARGATE
   */
  readonly capacityProviderStrategy?: readonly { readonly capacityProvider: "FARGATE" | "FARGATE_SPOT"; readonly weight: number; readonly base?: number }[];
}

/** The ECS cluster, the ALB and the services. */
export interface ComputePlan {
  /** CloudWatch Container Insights (per-task metrics; billed per metric). */
  readonly containerInsights: boolean;
  /**
   * Where tasks run. `"public"` gives each task a public IP in the public subnets: the
   * NAT-less staging choice (its security group still admits only the ALB).
   */
  readonly taskSubnets: "public" | "private";
  /** ECS Exec (shell and DB tunnel through tasks). */
  readonly ecsExec: boolean;
  /** Retention of every service log group (a CloudWatch value: 1, 3, 5, 7, 14, 30, …). */
  readonly logRetentionDays: number;
  readonly albDeletionProtection: boolean;
  /** Services keyed by name; each needs a registry repository of the same name. */
  readonly services: Readonly<Record<string, ServicePlan>>;
}

/** Weekday start/stop of every service (seed 002). */
export interface SchedulerPlan {
  /** EventBridge Scheduler cron for start, e.g. `cron(0 9 ? * MON-FRI *)`. */
  readonly start: string;
  /** Cron for stop, e.g. `cron(0 22 ? * MON-FRI *)`. */
  readonly stop: string;
  /** @default "Asia/Tokyo" */
  readonly timeZone?: string;
  /** Also stop and start the RDS instance. Refused with Aurora (use `minAcu: 0` to let it pause). @default false */
  readonly stopDatabase?: boolean;
}

/** Public DNS, certificate and web application firewall. */
export interface EdgePlan {
  /** Apex domain with a Route 53 public zone, e.g. `example.com`. */
  readonly domain: string;
  /** Requests per IP per 5 minutes above which WAF blocks. */
  readonly wafRateLimitPer5Minutes: number;
  /** WAF log retention (a CloudWatch value). */
  readonly wafLogRetentionDays: number;
}

/** Alarms (to e-mail through an encrypted SNS topic) and a dashboard. */
export interface MonitoringPlan {
  /** Addresses that get every alarm; each must confirm AWS's subscription e-mail. */
  readonly alarmEmails: readonly string[];
  /** @default true */
  readonly dashboard?: boolean;
  /** Database `max_connections`, for the connections alarm. @default no connections alarm */
  readonly databaseMaxConnections?: number;
}

/** An SSM-only bastion for DB tunnels. */
export interface BastionPlan {
  /** @default "t3.nano" */
  readonly instanceType?: string;
}

/**
 * Every choice of one environment. Apps hold exactly one of these; `buildEnvironment`
 * turns it into `<env>-<layer>` stacks joined by typed cross-stack references.
 */
export interface EnvironmentPlan {
  readonly environment: EnvironmentConfig;
  readonly network: NetworkPlan;
  readonly registry: RegistryPlan;
  readonly security: SecurityPlan;
  readonly storage: StoragePlan;
  readonly database: DatabasePlan;
  readonly compute: ComputePlan;
  /** @default services run around the clock */
  readonly scheduler?: SchedulerPlan;
  /** @default no domain: HTTP on the ALB's DNS name */
  readonly edge?: EdgePlan;
  /** @default no alarms */
  readonly monitoring?: MonitoringPlan;
  /** @default no bastion (tunnel through an ECS task with ECS Exec) */
  readonly bastion?: BastionPlan;
  /**
   * `"allowed"`: the environment is torn down to $0 and rebuilt at will (`pnpm destroy <env>`):
   * ECR repositories and buckets are deleted with their contents (`force_delete`/`force_destroy`),
   * the database's final snapshot is named per create (repeat destroys never collide), and the
   * secrets key may be deleted (7-day scheduled deletion instead of `prevent_destroy`). Requires
   * database and ALB deletion protection off. See docs/runbooks/teardown.md.
   * @default "protected"
   */
  readonly teardown?: "allowed" | "protected";
}
