import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { NAME_LIMITS, type Validator, accountResourceArnPattern, awsContext, awsManagedPolicyArn, boundedName, checkLogRetention, checkNamePrefix } from "@platform/core";
import type { Construct } from "constructs";
import {
  checkBackupRetention,
  checkIdentifier,
  checkMonitoringInterval,
  checkPerformanceInsightsRetention,
  checkPort,
  checkPostgresNames,
  checkSecurityGroups,
  checkSubnets,
  checkWindows,
} from "./validation";
import { type FinalSnapshotNaming, type RestoreSource, checkRestore } from "./restore";

/** Props shared by {@link PostgresInstance} and {@link AuroraPostgresServerless}. */
export interface PostgresCommonProps {
  /** Prefix of every name, e.g. `acme-staging`; the database is `<namePrefix>-db` or `<namePrefix>-aurora`. */
  readonly namePrefix: string;
  /**
   * The instance or cluster identifier, for adopting a live database whose identifier another
   * tool chose (an identifier cannot change without a replace). Names derived from it (log
   * group, parameter group, instances, final snapshot) follow.
   * @default `<namePrefix>-db` (instance) or `<namePrefix>-aurora` (cluster)
   */
  readonly identifier?: string;
  /** Private subnets (at least two AZs) for the DB subnet group. */
  readonly subnetIds: string[];
  /** Security groups of the database (usually only `SecurityGroups.ref.databaseSecurityGroupId`). */
  readonly securityGroupIds: string[];
  /** PostgreSQL version: major (`"17"`, minor upgrades then follow AWS) or major.minor (`"17.6"`). */
  readonly engineVersion: string;
  /** Database created at launch, e.g. `appdb`. */
  readonly databaseName: string;
  /**
   * Master user name. Its password is generated and rotated by RDS in Secrets Manager.
   * @default "dbadmin"
   */
  readonly masterUsername?: string;
  /**
   * Listener port.
   * @default 5432
   */
  readonly port?: number;
  /** Days of automated backups (point-in-time recovery), 1-35. */
  readonly backupRetentionDays: number;
  /**
   * Daily backup window, UTC.
   * @default "17:00-17:30" (02:00-02:30 JST)
   */
  readonly preferredBackupWindow?: string;
  /**
   * Weekly maintenance window, UTC; must not overlap the backup window.
   * @default "sun:15:00-sun:16:00" (Monday 00:00-01:00 JST)
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Refuse `terraform destroy` and API deletes. A cheap staging turns it off explicitly.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Apply the minor versions AWS marks as preferred during the maintenance window. With a
   * pinned minor (`17.6`) Terraform then shows a downgrade diff once AWS upgrades: update the
   * version in config, or pin only the major.
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;
  /**
   * Apply changes immediately instead of in the next maintenance window (may restart the database).
   * @default false
   */
  readonly applyImmediately?: boolean;
  /**
   * Performance Insights retention in days (7 is free); undefined turns it off.
   * @default off
   */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Enhanced Monitoring (OS metrics) interval; 0 turns it off. Creates the monitoring role.
   * @default 0
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Retention of the exported `postgresql` log group (created here, so RDS does not create one
   * that never expires).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Customer managed KMS key for storage (and the master secret). Changing it replaces the database.
   * @default the AWS managed aws/rds key (and aws/secretsmanager for the secret)
   */
  readonly kmsKeyArn?: string;
  /**
   * Customer managed KMS key of the environment's secrets (SecretsKey): encrypts the RDS-managed
   * master secret and the DATABASE_URL parameter, so only the principals its key policy names can
   * read them. Unlike `kmsKeyArn` it never touches storage, so setting it does not replace the database.
   * @default `kmsKeyArn` for the master secret, the AWS managed aws/ssm key for the parameter
   */
  readonly secretsKmsKeyArn?: string;
  /** SSM SecureString the applications read, e.g. `/acme/staging/DATABASE_URL` (see {@link DatabaseUrlPublisher}). */
  readonly databaseUrlParameterName: string;
  /**
   * Account ID, used for the DATABASE_URL parameter ARN.
   * @default parsed from the master secret ARN
   */
  readonly accountId?: string;
  /**
   * Create the database from a snapshot or a point in time instead of empty. Needs an explicit,
   * new `identifier`: the source is never replaced (docs/runbooks/restore.md).
   * @default a new, empty database
   */
  readonly restoreFrom?: RestoreSource;
  /**
   * How the final snapshot on delete is named (see {@link FinalSnapshotNaming}).
   * @default "fixed"
   */
  readonly finalSnapshotNaming?: FinalSnapshotNaming;
}

export interface ResolvedCommon {
  readonly masterUsername: string;
  readonly port: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly deletionProtection: boolean;
  readonly autoMinorVersionUpgrade: boolean;
  readonly monitoringIntervalSeconds: number;
  readonly logRetentionDays: number;
}

export function resolveCommon(props: PostgresCommonProps): ResolvedCommon {
  return {
    masterUsername: props.masterUsername ?? "dbadmin",
    port: props.port ?? 5432,
    backupWindow: props.preferredBackupWindow ?? "17:00-17:30",
    maintenanceWindow: props.preferredMaintenanceWindow ?? "sun:15:00-sun:16:00",
    deletionProtection: props.deletionProtection ?? true,
    autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
    monitoringIntervalSeconds: props.monitoringIntervalSeconds ?? 0,
    logRetentionDays: props.logRetentionDays ?? 30,
  };
}

export function checkCommon(v: Validator, props: PostgresCommonProps, r: ResolvedCommon): void {
  checkNamePrefix(v, props.namePrefix);
  checkIdentifier(v, props.identifier);
  checkSubnets(v, props.subnetIds);
  checkSecurityGroups(v, props.securityGroupIds);
  checkPostgresNames(v, props.databaseName, r.masterUsername);
  checkPort(v, r.port);
  checkBackupRetention(v, props.backupRetentionDays);
  checkWindows(v, r.backupWindow, r.maintenanceWindow);
  checkPerformanceInsightsRetention(v, props.performanceInsightsRetentionDays);
  checkMonitoringInterval(v, r.monitoringIntervalSeconds);
  checkLogRetention(v, "logRetentionDays", r.logRetentionDays);
  checkRestore(v, props.restoreFrom, props.identifier);
}

/** The log group RDS exports `postgresql` logs to, created first so it has a retention. */
export function postgresLogGroup(scope: Construct, kind: "instance" | "cluster", identifier: string, days: number): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, "postgresql-logs", {
    name: `/aws/rds/${kind}/${identifier}/postgresql`,
    retentionInDays: days,
  });
}

/** Role RDS Enhanced Monitoring uses to publish OS metrics (AWS managed policy, the documented way). */
export function enhancedMonitoringRole(scope: Construct, namePrefix: string, suffix: string, accountId?: string): IamRole {
  // Confused-deputy guard AWS documents for Enhanced Monitoring: RDS acting for this account's
  // databases only (aws:SourceArn of an RDS resource of the account).
  const trust = new DataAwsIamPolicyDocument(scope, "monitoring-trust", {
    statement: [
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
        condition: accountId
          ? [
              { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
              { test: "ArnLike", variable: "aws:SourceArn", values: [accountResourceArnPattern("rds", accountId)] },
            ]
          : undefined,
      },
    ],
  });
  const role = new IamRole(scope, "monitoring-role", {
    name: boundedName([namePrefix, suffix, "monitoring"], NAME_LIMITS.iamRoleName),
    description: "RDS Enhanced Monitoring: publishes OS metrics to CloudWatch Logs (RDSOSMetrics)",
    assumeRolePolicy: trust.json,
  });
  new IamRolePolicyAttachment(scope, "monitoring-policy", {
    role: role.name,
    policyArn: awsManagedPolicyArn(awsContext(scope), "service-role/AmazonRDSEnhancedMonitoringRole"),
  });
  return role;
}
