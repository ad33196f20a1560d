import type { BastionProps } from "@platform/bastion";
import type {
  BucketAccess,
  ContainerProps,
  ContainerStartCondition,
  DatadogSidecarProps,
  FargateServiceProps,
  ServiceLoadBalancingProps,
  ServiceTrafficEntry,
} from "@platform/compute";
import type { EnvironmentConfig } from "@platform/core";
import type { AuroraServerlessScaling, PostgresCommonProps, PostgresInstanceProps } from "@platform/database";
import type { MonitoringProps } from "@platform/monitoring";
import type { NetworkProps } from "@platform/network";
import type { ContainerRepositoriesProps } from "@platform/registry";
import type { EgressDestination } from "@platform/security";
import type { ServiceSchedulerSchedule } from "@platform/scheduler";
import type { AssetBucketProps } from "@platform/storage";

/*
 * The config of an environment is derived from the props of the constructs it feeds: a field
 * that passes straight to a construct is picked from its props, so its documentation and its
 * `@default` live once, on the construct. Fields here are only those the layers translate
 * (names, keys, choices between constructs). `config/schema.ts` validates the same shape;
 * test/config-types.test.ts fails the type check when the two drift apart.
 */

/**
 * Props an environment must decide (a cost or safety choice the config does not default): picked
 * from `T` and required, with `T`'s documentation.
 */
type Decide<T, K extends keyof T> = { readonly [P in K]-?: Exclude<T[P], undefined> };

/**
 * Network choices of one environment: the `Network` construct's props (their docs and defaults are
 * the construct's), less what the environment fixes (name prefix, region, AZ names). The config
 * validator adds: `vpcCidr` inside the RFC 1918 ranges and not overlapping another environment's.
 */
export interface NetworkConfig
  extends Pick<
    NetworkProps,
    "vpcCidr" | "natMode" | "publicSubnetCidrs" | "privateSubnetCidrs" | "interfaceEndpoints" | "interfaceEndpointAzCount" | "flowLogs" | "ipv6"
  > {
  /** How many AZs of the region to span (from the region's AZ table, in order), at least 2: ALB and RDS need 2. */
  readonly availabilityZoneCount: number;
}

/** Container image repositories: the `ContainerRepositories` construct's settings, one repository per name. */
export interface RegistryConfig
  extends Decide<ContainerRepositoriesProps, "keepLastImages">,
    Pick<ContainerRepositoriesProps, "imageTagMutability" | "forceDelete"> {
  /** One repository per name, e.g. `["web", "api"]`; repositories are `<project>-<env>-<name>`. */
  readonly repositories: readonly string[];
  /**
   * Live repository names to keep, by repository (`{ web: "legacy-web" }`), when adopting
   * repositories another tool created (`pnpm adopt` names them). @default `<project>-<env>-<name>`
   */
  readonly repositoryNames?: Readonly<Record<string, string>>;
}

/** Who may reach the load balancer. */
export interface SecurityConfig {
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

/** Buckets: the asset bucket's settings (`AssetBucket` props), CORS and ALB access logs. */
export interface StorageConfig extends Decide<AssetBucketProps, "versioned">, Pick<AssetBucketProps, "lifecycle"> {
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

/** Settings both database kinds share: the database constructs' common props. */
type DatabaseCommonConfig = Pick<
  PostgresCommonProps,
  | "engineVersion"
  | "identifier"
  | "databaseName"
  | "masterUsername"
  | "backupRetentionDays"
  | "deletionProtection"
  | "performanceInsightsRetentionDays"
  | "logRetentionDays"
  | "restoreFrom"
> & {
  /** A daily AWS Backup plan of the database, besides RDS's automated backups. @default none */
  readonly awsBackup?: DatabaseBackupConfig;
};

/** AWS Backup of the database: daily, a CMK-encrypted vault, optionally copied to a second region. */
export interface DatabaseBackupConfig {
  /** Days each daily recovery point is kept. */
  readonly retentionDays: number;
  /** Second region for a copy of every recovery point, e.g. `ap-northeast-3` (Osaka). @default no copy */
  readonly copyRegion?: string;
  /** Days the copies are kept. @default retentionDays */
  readonly copyRetentionDays?: number;
}

/** A single RDS PostgreSQL instance (staging: cheap, stoppable): `PostgresInstance` props. */
export interface RdsPostgresConfig
  extends DatabaseCommonConfig,
    Pick<PostgresInstanceProps, "instanceClass" | "allocatedStorageGiB" | "maxAllocatedStorageGiB" | "multiAz"> {
  readonly kind: "rds-postgres";
}

/** Aurora PostgreSQL Serverless v2 (prod): a writer and optionally a reader in the second AZ. */
export interface AuroraServerlessConfig extends DatabaseCommonConfig, Pick<AuroraServerlessScaling, "minAcu" | "maxAcu"> {
  readonly kind: "aurora-serverless-v2";
  /** A reader instance in the network's second AZ (failover target, read endpoint). */
  readonly reader: boolean;
  /**
   * Live instance identifiers to keep when adopting a cluster (`pnpm adopt` names them).
   * @default `<identifier>-writer` and `<identifier>-reader`
   */
  readonly instanceIdentifiers?: { readonly writer?: string; readonly reader?: string };
}

export type DatabaseConfig = RdsPostgresConfig | AuroraServerlessConfig;

/**
 * One web-facing service: a `FargateService` with one container (`app`) behind the ALB. The
 * sizing, scaling and placement fields are the construct's props; `environment` and
 * `readonlyRootFilesystem` are the container's. The config validator adds: `desiredCount` and the
 * scaling maximum at most the ECS quota (5000); plain `environment` refuses names that announce a
 * credential (`*_TOKEN`, `*_KEY`, `*_DSN`, `*_PASSWORD`, `*_SECRET`, …) and values that look like one
 * (known key prefixes such as `sk_live_`, `AKIA`, `ghp_`, `xox…`, URLs with a password, long random
 * strings); `readonlyRootFilesystem: false` is required with ECS Exec.
 */
export interface ServiceConfig
  extends Pick<
      FargateServiceProps,
      "cpu" | "memoryMiB" | "cpuArchitecture" | "healthCheckGraceSeconds" | "desiredCount" | "autoScaling" | "capacityProviderStrategy"
    >,
    Pick<ContainerProps, "environment" | "readonlyRootFilesystem">,
    Decide<ServiceLoadBalancingProps, "healthCheck"> {
  /** Port the container listens on (the ALB's target port). */
  readonly port: number;
  /** Image tag to run (a version or git SHA). Moving tags (`latest`, `main`, `stable`, `dev`, … in any case) are refused. */
  readonly imageTag: string;
  /** `"default"` for the service answering every unmatched path, else path patterns with a rule priority. */
  readonly route: "default" | { readonly priority: number; readonly pathPatterns: readonly string[] };
  /**
   * Secrets from SSM Parameter Store: env var name → parameter name (e.g. `/myapp/prod/JWT_SECRET`).
   * Names must lie under `/<project>/<env>/`: an environment never reads another's secrets.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Inject DATABASE_URL from the database layer. @default true */
  readonly databaseUrl?: boolean;
  /** Bucket, parameters and secrets the application uses at runtime. @default nothing: no task role unless ECS Exec needs one */
  readonly grants?: ServiceGrantsConfig;
  /**
   * Services (keys of `compute.services`) this one calls as `http://<key>:<port>` through ECS
   * Service Connect; each call opens exactly this service → that one on its port.
   * @default calls nobody
   */
  readonly calls?: ServiceTrafficEntry["calls"];
  /**
   * Destinations only this service may reach besides 443, the database and `compute.egress`, keyed
   * by name, e.g. `{ atlas: { cidrs: ["192.0.2.0/24"], port: 27017 } }`.
   * @default none
   */
  readonly egress?: ServiceTrafficEntry["egress"];
  /** Datadog agent sidecar. @default off */
  readonly datadog?: DatadogConfig;
  /** Sentry settings for the application. @default off */
  readonly sentry?: SentryConfig;
  /** Extra containers keyed by name (not `app`, `datadog-agent` or `log-router`). @default none */
  readonly sidecars?: Readonly<Record<string, SidecarConfig>>;
  /**
   * The application container is essential (its exit stops the task). `false` only when an
   * essential sidecar is the task's main process.
   * @default true
   */
  readonly essential?: boolean;
  /** Containers (sidecar names) the application waits for. @default none (Datadog's agent: START) */
  readonly dependsOn?: Readonly<Record<string, ContainerStartCondition>>;
}

/**
 * What a service's application may use at runtime (its task role). Names must lie under
 * `/<project>/<env>/`: a staging service can never read prod's.
 */
export interface ServiceGrantsConfig {
  /**
   * The environment's asset bucket, its name in `ASSETS_BUCKET`: `read` (list, get objects) or
   * `read-write` (also put and delete objects). Never the bucket's configuration or policy.
   * @default no access
   */
  readonly assets?: BucketAccess;
  /**
   * SSM parameter names the application reads itself (e.g. `/myapp/prod/feature-flags`); a name
   * ending in `/*` grants the path below it. Values injected at start belong in `parameters`.
   * @default none
   */
  readonly parameters?: readonly string[];
  /** Secrets Manager secret names the application reads itself. @default none */
  readonly secrets?: readonly string[];
}

/** The Datadog agent sidecar (seed 003): APM on 8126, DogStatsD on 8125/udp, optional log routing. */
export interface DatadogConfig extends Pick<DatadogSidecarProps, "site" | "logs"> {
  /** Secrets Manager secret name holding the API key, under `/<project>/<env>/`. */
  readonly apiKeySecret: string;
  /** Agent image tag on public.ecr.aws/datadog/agent. @default the platform's pinned DATADOG_AGENT_IMAGE tag */
  readonly agentImageTag?: string;
}

/** Sentry (seed 003): `SENTRY_DSN` from Secrets Manager, `SENTRY_ENVIRONMENT` = the env, `SENTRY_RELEASE` = the image tag. */
export interface SentryConfig {
  /** Secrets Manager secret name holding the DSN, under `/<project>/<env>/`. */
  readonly dsnSecret: string;
}

/** An extra container of the service's task, next to its application container `app`. */
export interface SidecarConfig {
  /** Full image reference with a pinned tag, e.g. `public.ecr.aws/nginx/nginx:1.27.3`. */
  readonly image: string;
  /** The task stops when an essential container stops. @default false */
  readonly essential?: boolean;
  /** Containers (`app` or other sidecars) to wait for. @default none */
  readonly dependsOn?: Readonly<Record<string, ContainerStartCondition>>;
  /** Plain environment variables. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Secret environment variables: name → Secrets Manager secret name under `/<project>/<env>/`. @default none */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Command Docker runs to decide the container is healthy (needed for `dependsOn: HEALTHY`). @default none */
  readonly healthCheck?: readonly string[];
}

/** The ECS cluster, the ALB and the services. */
export interface ComputeConfig extends Pick<FargateServiceProps, "logRetentionDays"> {
  /** CloudWatch Container Insights (per-task metrics; billed per metric). */
  readonly containerInsights: boolean;
  /**
   * Where tasks run. `"public"` gives each task a public IP in the public subnets: the
   * NAT-less staging choice (its security group still admits only the ALB).
   */
  readonly taskSubnets: "public" | "private";
  /** ECS Exec (shell and DB tunnel through tasks); every service then needs `readonlyRootFilesystem: false`. */
  readonly ecsExec: boolean;
  readonly albDeletionProtection: boolean;
  /** Services keyed by name; each needs a registry repository of the same name. */
  readonly services: Readonly<Record<string, ServiceConfig>>;
  /**
   * Destinations every service may reach besides 443 and the database, keyed by name.
   * @default none
   */
  readonly egress?: Readonly<Record<string, EgressDestination>>;
}

/** Weekday start/stop of every service (seed 002): the `ServiceScheduler` schedule. */
export interface SchedulerConfig extends Pick<ServiceSchedulerSchedule, "start" | "stop" | "timeZone" | "skipStartOnJapanesePublicHolidays"> {
  /** Also stop and start the RDS instance. Refused with Aurora (use `minAcu: 0` to let it pause). @default false */
  readonly stopDatabase?: boolean;
}

/** Public DNS, certificate and web application firewall. */
export interface EdgeConfig {
  /** Apex domain with a Route 53 public zone, e.g. `example.com`. */
  readonly domain: string;
  /** Requests per IP per 5 minutes above which WAF blocks. */
  readonly wafRateLimitPer5Minutes: number;
  /** WAF log retention (a CloudWatch value). */
  readonly wafLogRetentionDays: number;
}

/** Alarms (to e-mail through an encrypted SNS topic) and a dashboard: `Monitoring` props. */
export interface MonitoringConfig extends Decide<MonitoringProps, "alarmEmails">, Pick<MonitoringProps, "dashboard"> {
  /** Database `max_connections`, for the connections alarm. @default no connections alarm */
  readonly databaseMaxConnections?: number;
  /**
   * `"full"`: every alarm the environment's resources allow. `"essential"`: deployment failures
   * and rollbacks, ALB 5xx and the platform Lambdas' errors only (a cheap staging), no dashboard.
   * @default "full"
   */
  readonly alarmSet?: "full" | "essential";
  /** Alarm thresholds; each default is in `ALARM_THRESHOLD_DEFAULTS` (monitoring-defaults.ts). */
  readonly thresholds?: AlarmThresholdsConfig;
  /**
   * Monthly AWS Budgets cost limit in USD for this environment's tagged costs (80 % actual and
   * 100 % forecast notify the alarm topic). @default no budget
   */
  readonly monthlyBudgetUsd?: number;
  /**
   * The alarm runbook page (`docs/runbooks/alarms.md` on the default branch); every alarm's
   * description links to its section. @default no links
   */
  readonly runbookUrl?: string;
}

/** Alarm thresholds an environment may change; every field is optional. */
export interface AlarmThresholdsConfig {
  /** ECS service CPU %, above every service's auto scaling CPU target. */
  readonly serviceCpuPercent?: number;
  /** ECS service memory %, above every service's auto scaling memory target. */
  readonly serviceMemoryPercent?: number;
  /** Share of requests the targets answer 4xx, %. */
  readonly target4xxPercent?: number;
  /** Average database read latency, ms. */
  readonly databaseReadLatencyMs?: number;
  /** Average database write latency, ms. */
  readonly databaseWriteLatencyMs?: number;
  /** Free storage of an RDS instance, GiB. */
  readonly databaseFreeStorageGiB?: number;
  /** Data a NAT gateway sends per hour, GB. */
  readonly natGbPerHour?: number;
}

/** An SSM-only bastion for DB tunnels: `Bastion` props. */
export type BastionConfig = Pick<BastionProps, "instanceType">;

/**
 * Every choice of one environment. Apps hold exactly one of these; `buildEnvironment`
 * turns it into `<env>-<layer>` stacks joined by typed cross-stack references.
 */
export interface EnvironmentLayersConfig {
  readonly environment: EnvironmentConfig;
  readonly network: NetworkConfig;
  readonly registry: RegistryConfig;
  readonly security: SecurityConfig;
  readonly storage: StorageConfig;
  readonly database: DatabaseConfig;
  readonly compute: ComputeConfig;
  /** @default services run around the clock */
  readonly scheduler?: SchedulerConfig;
  /** @default no domain: HTTP on the ALB's DNS name */
  readonly edge?: EdgeConfig;
  /** @default no alarms */
  readonly monitoring?: MonitoringConfig;
  /** @default no bastion (tunnel through an ECS task with ECS Exec) */
  readonly bastion?: BastionConfig;
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
