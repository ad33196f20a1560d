import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { NAME_LIMITS, Validator, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import { type PostgresCommonProps, checkCommon, enhancedMonitoringRole, postgresLogGroup, resolveCommon } from "./common";
import type { DatabaseRef } from "./database-ref";
import { DatabaseUrlPublisher } from "./database-url-publisher";
import { finalSnapshot } from "./restore";
import { checkEngineVersion } from "./validation";

export interface PostgresInstanceProps extends PostgresCommonProps {
  /** DB instance class, e.g. `db.t4g.micro` (Graviton, cheapest) or `db.m7g.large`. */
  readonly instanceClass: string;
  /** Initial gp3 storage in GiB (20-65536). */
  readonly allocatedStorageGiB: number;
  /**
   * Storage autoscaling ceiling in GiB; equal to `allocatedStorageGiB` turns autoscaling off.
   * @default twice `allocatedStorageGiB`
   */
  readonly maxAllocatedStorageGiB?: number;
  /**
   * Standby in a second AZ with automatic failover (doubles the instance cost).
   * @default false
   */
  readonly multiAz?: boolean;
}

const MAX_GP3_GIB = 65536;

/**
 * A single RDS for PostgreSQL instance in private subnets: gp3 storage always encrypted, never
 * publicly accessible, TLS enforced (`rds.force_ssl`), automated backups, a final snapshot on
 * delete, and the master password generated and rotated by RDS in Secrets Manager, so it never
 * appears in Terraform code, plan or state. Applications get `DATABASE_URL` from SSM through a
 * {@link DatabaseUrlPublisher}.
 */
export class PostgresInstance extends Construct {
  readonly instance: DbInstance;
  /** The instance identifier as a plain string (known at synth, unlike `instance.identifier`). */
  readonly identifier: string;
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroup: DbParameterGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly monitoringRole?: IamRole;
  readonly databaseUrl: DatabaseUrlPublisher;
  readonly ref: DatabaseRef;

  constructor(scope: Construct, id: string, props: PostgresInstanceProps) {
    super(scope, id);
    const common = resolveCommon(props);
    const maxStorage = props.maxAllocatedStorageGiB ?? Math.min(props.allocatedStorageGiB * 2, MAX_GP3_GIB);
    const v = new Validator(this.node.path);
    checkCommon(v, props, common);
    const major = checkEngineVersion(v, "engineVersion", props.engineVersion);
    v.check(isKnown(props.engineVersion), "engineVersion", props.engineVersion, "must be a literal: it selects the parameter group family.");
    if (isKnown(props.instanceClass)) {
      v.check(
        /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(props.instanceClass) && props.instanceClass !== "db.serverless",
        "instanceClass",
        props.instanceClass,
        'is not an RDS instance class; write e.g. "db.t4g.micro" (the "db." prefix is required).',
      );
    }
    v.check(
      Number.isInteger(props.allocatedStorageGiB) && props.allocatedStorageGiB >= 20 && props.allocatedStorageGiB <= MAX_GP3_GIB,
      "allocatedStorageGiB",
      props.allocatedStorageGiB,
      `must be a whole number of GiB from 20 (gp3 minimum) to ${MAX_GP3_GIB}.`,
    );
    v.check(
      Number.isInteger(maxStorage) && maxStorage >= props.allocatedStorageGiB && maxStorage <= MAX_GP3_GIB,
      "maxAllocatedStorageGiB",
      maxStorage,
      `must be a whole number of GiB from allocatedStorageGiB (${props.allocatedStorageGiB}) to ${MAX_GP3_GIB}; equal turns autoscaling off.`,
    );
    v.throwIfAny();

    const identifier = props.identifier ?? boundedName([props.namePrefix, "db"], NAME_LIMITS.rdsIdentifier);
    this.identifier = identifier;
    this.subnetGroup = new DbSubnetGroup(this, "subnets", {
      name: boundedName([props.namePrefix, "db"], NAME_LIMITS.dbSubnetGroupName),
      description: `Private subnets of ${identifier}`,
      subnetIds: props.subnetIds,
      tags: { Name: identifier },
    });
    const family = `postgres${major}`;
    this.parameterGroup = new DbParameterGroup(this, "parameters", {
      // The family is in the name so a major upgrade creates the new group before the old goes.
      name: boundedName([identifier, family], NAME_LIMITS.rdsIdentifier),
      family,
      description: `${identifier}: TLS-only connections`,
      parameter: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
      lifecycle: { createBeforeDestroy: true },
    });
    this.logGroup = postgresLogGroup(this, "instance", identifier, common.logRetentionDays);
    if (common.monitoringIntervalSeconds > 0) {
      this.monitoringRole = enhancedMonitoringRole(this, props.namePrefix, "db", props.accountId);
    }

    const pi = props.performanceInsightsRetentionDays;
    const restore = props.restoreFrom;
    const final = finalSnapshot(identifier, props.finalSnapshotNaming ?? "fixed");
    this.instance = new DbInstance(this, "instance", {
      identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      // A restored database brings its own database and master user from the source.
      dbName: restore ? undefined : props.databaseName,
      username: restore ? undefined : common.masterUsername,
      snapshotIdentifier: restore && "snapshotIdentifier" in restore ? restore.snapshotIdentifier : undefined,
      restoreToPointInTime:
        restore && "pointInTime" in restore
          ? {
              sourceDbInstanceIdentifier: restore.pointInTime.sourceIdentifier,
              restoreTime: restore.pointInTime.restoreTime,
              useLatestRestorableTime: restore.pointInTime.latestRestorable,
            }
          : undefined,
      // RDS generates the password and keeps it in a Secrets Manager secret it rotates; Terraform
      // only learns the secret's ARN.
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.secretsKmsKeyArn ?? props.kmsKeyArn,
      port: common.port,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: props.securityGroupIds,
      publiclyAccessible: false,
      multiAz: props.multiAz ?? false,
      parameterGroupName: this.parameterGroup.name,
      storageType: "gp3",
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: maxStorage > props.allocatedStorageGiB ? maxStorage : 0,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: common.backupWindow,
      maintenanceWindow: common.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: common.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: final.identifier,
      autoMinorVersionUpgrade: common.autoMinorVersionUpgrade,
      allowMajorVersionUpgrade: false,
      applyImmediately: props.applyImmediately ?? false,
      enabledCloudwatchLogsExports: ["postgresql"],
      performanceInsightsEnabled: pi !== undefined,
      performanceInsightsRetentionPeriod: pi,
      performanceInsightsKmsKeyId: pi !== undefined ? props.kmsKeyArn : undefined,
      monitoringInterval: common.monitoringIntervalSeconds,
      monitoringRoleArn: this.monitoringRole?.arn,
      tags: { Name: identifier },
      dependsOn: [this.logGroup],
      lifecycle: final.ignoreChanges ? { ignoreChanges: final.ignoreChanges } : undefined,
    });

    const secretArn = this.instance.masterUserSecret.get(0).secretArn;
    this.databaseUrl = new DatabaseUrlPublisher(this, "database-url", {
      namePrefix: props.namePrefix,
      parameterName: props.databaseUrlParameterName,
      secretArn,
      secretKmsKeyArn: props.secretsKmsKeyArn ?? props.kmsKeyArn,
      parameterKmsKeyArn: props.secretsKmsKeyArn,
      host: this.instance.address,
      port: this.instance.port,
      databaseName: props.databaseName,
      accountId: props.accountId,
      logRetentionDays: common.logRetentionDays,
    });

    this.ref = {
      endpoint: this.instance.address,
      port: this.instance.port,
      databaseName: props.databaseName,
      masterSecretArn: secretArn,
      databaseUrlParameterName: this.databaseUrl.parameterName,
      databaseUrlParameterArn: this.databaseUrl.parameterArn,
      identifier: this.instance.identifier,
    };
  }
}
