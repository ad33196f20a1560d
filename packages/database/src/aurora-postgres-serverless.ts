import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import { type PostgresCommonProps, checkCommon, enhancedMonitoringRole, postgresLogGroup, resolveCommon } from "./common";
import type { DatabaseRef } from "./database-ref";
import { DatabaseUrlPublisher } from "./database-url-publisher";
import { finalSnapshot } from "./restore";
import { checkEngineVersion, checkIdentifier } from "./validation";

/** Serverless v2 capacity range of every instance, in Aurora capacity units (1 ACU ≈ 2 GiB memory). */
export interface AuroraServerlessScaling {
  /** Lowest capacity, 0-256 in steps of 0.5; 0 needs `autoPauseAfterSeconds`. */
  readonly minAcu: number;
  /** Highest capacity, 1-256 in steps of 0.5, at least `minAcu`. */
  readonly maxAcu: number;
  /**
   * Idle seconds before pausing (300-86400), only with `minAcu: 0`. The first connection after a
   * pause waits ~15 s for resume.
   * @default never pauses
   */
  readonly autoPauseAfterSeconds?: number;
}

export interface AuroraInstanceOptions {
  /** Exactly one instance is the `writer` (created first); the others are `reader`s. */
  readonly role: "writer" | "reader";
  /** AZ of the instance, e.g. `ap-northeast-1a`; readers must not share the writer's AZ. */
  readonly availabilityZone: string;
  /**
   * Failover priority, 0 (first) to 15.
   * @default 0 for the writer, 1 for readers
   */
  readonly promotionTier?: number;
  /**
   * The instance identifier, for adopting a live instance another tool named.
   * @default `<cluster identifier>-<key>`
   */
  readonly identifier?: string;
}

export interface AuroraPostgresServerlessProps extends PostgresCommonProps {
  /** Capacity range shared by all instances. */
  readonly scaling: AuroraServerlessScaling;
  /**
   * Instances by key; the key is the construct ID and the identifier suffix, e.g.
   * `{ writer: { role: "writer", availabilityZone: "ap-northeast-1a" }, reader: { role: "reader", availabilityZone: "ap-northeast-1c" } }`.
   */
  readonly instances: Readonly<Record<string, AuroraInstanceOptions>>;
}

const AZ_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;

/**
 * An Aurora PostgreSQL Serverless v2 cluster: storage encryption forced on (Aurora's API default is
 * off), TLS enforced, automated backups, final snapshot, deletion protection, RDS-managed master
 * password, `postgresql` logs with retention, and a writer plus optional readers in distinct AZs.
 */
export class AuroraPostgresServerless extends Construct {
  readonly cluster: RdsCluster;
  readonly instances: Record<string, RdsClusterInstance>;
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroup: RdsClusterParameterGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly monitoringRole?: IamRole;
  readonly databaseUrl: DatabaseUrlPublisher;
  readonly ref: DatabaseRef;

  constructor(scope: Construct, id: string, props: AuroraPostgresServerlessProps) {
    super(scope, id);
    const common = resolveCommon(props);
    const v = new Validator(this.node.path);
    checkCommon(v, props, common);
    const major = checkEngineVersion(v, "engineVersion", props.engineVersion);
    v.check(isKnown(props.engineVersion), "engineVersion", props.engineVersion, "must be a literal: it selects the parameter group family.");
    checkScaling(v, props.scaling);
    checkInstances(v, props.instances);
    v.throwIfAny();

    const identifier = props.identifier ?? boundedName([props.namePrefix, "aurora"], NAME_LIMITS.rdsIdentifier);
    this.subnetGroup = new DbSubnetGroup(this, "subnets", {
      name: boundedName([props.namePrefix, "aurora"], NAME_LIMITS.dbSubnetGroupName),
      description: `Private subnets of ${identifier}`,
      subnetIds: props.subnetIds,
      tags: { Name: identifier },
    });
    const family = `aurora-postgresql${major}`;
    this.parameterGroup = new RdsClusterParameterGroup(this, "parameters", {
      // The family is in the name so a major upgrade creates the new group before the old goes.
      name: boundedName([identifier, family], NAME_LIMITS.rdsIdentifier),
      family,
      description: `${identifier}: TLS-only connections`,
      parameter: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
      lifecycle: { createBeforeDestroy: true },
    });
    this.logGroup = postgresLogGroup(this, "cluster", identifier, common.logRetentionDays);
    if (common.monitoringIntervalSeconds > 0) {
      this.monitoringRole = enhancedMonitoringRole(this, props.namePrefix, "aurora", props.accountId);
    }

    const { minAcu, maxAcu, autoPauseAfterSeconds } = props.scaling;
    const restore = props.restoreFrom;
    const final = finalSnapshot(identifier, props.finalSnapshotNaming ?? "fixed");
    this.cluster = new RdsCluster(this, "cluster", {
      clusterIdentifier: identifier,
      engine: "aurora-postgresql",
      engineMode: "provisioned",
      engineVersion: props.engineVersion,
      // A restored cluster brings its own database and master user from the source.
      databaseName: restore ? undefined : props.databaseName,
      masterUsername: restore ? undefined : common.masterUsername,
      snapshotIdentifier: restore && "snapshotIdentifier" in restore ? restore.snapshotIdentifier : undefined,
      restoreToPointInTime:
        restore && "pointInTime" in restore
          ? {
              sourceClusterIdentifier: restore.pointInTime.sourceIdentifier,
              restoreToTime: restore.pointInTime.restoreTime,
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
      dbClusterParameterGroupName: this.parameterGroup.name,
      // Aurora leaves storage unencrypted unless asked, and it cannot be turned on later.
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      serverlessv2ScalingConfiguration: { minCapacity: minAcu, maxCapacity: maxAcu, secondsUntilAutoPause: autoPauseAfterSeconds },
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: common.backupWindow,
      preferredMaintenanceWindow: common.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: common.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: final.identifier,
      allowMajorVersionUpgrade: false,
      applyImmediately: props.applyImmediately ?? false,
      enabledCloudwatchLogsExports: ["postgresql"],
      tags: { Name: identifier },
      dependsOn: [this.logGroup],
      lifecycle: final.ignoreChanges ? { ignoreChanges: final.ignoreChanges } : undefined,
    });

    const pi = props.performanceInsightsRetentionDays;
    const entries = Object.entries(props.instances);
    // The writer is created first: the first instance of a cluster becomes its writer.
    const ordered = [...entries.filter(([, o]) => o.role === "writer"), ...entries.filter(([, o]) => o.role !== "writer")];
    this.instances = {};
    let writer: RdsClusterInstance | undefined;
    for (const [key, options] of ordered) {
      const name = options.identifier ?? boundedName([identifier, key], NAME_LIMITS.rdsIdentifier);
      const instance = new RdsClusterInstance(this, key, {
        identifier: name,
        clusterIdentifier: this.cluster.id,
        instanceClass: "db.serverless",
        engine: this.cluster.engine,
        engineVersion: this.cluster.engineVersion,
        availabilityZone: options.availabilityZone,
        promotionTier: options.promotionTier ?? (options.role === "writer" ? 0 : 1),
        dbSubnetGroupName: this.subnetGroup.name,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: common.autoMinorVersionUpgrade,
        preferredMaintenanceWindow: common.maintenanceWindow,
        copyTagsToSnapshot: true,
        applyImmediately: props.applyImmediately ?? false,
        performanceInsightsEnabled: pi !== undefined,
        performanceInsightsRetentionPeriod: pi,
        performanceInsightsKmsKeyId: pi !== undefined ? props.kmsKeyArn : undefined,
        monitoringInterval: common.monitoringIntervalSeconds,
        monitoringRoleArn: this.monitoringRole?.arn,
        tags: { Name: name },
        dependsOn: writer ? [writer] : undefined,
        // Destroy deletes instances before their cluster, and the cluster's deletion protection
        // stops only the cluster: without this guard `terraform destroy` leaves a protected cluster
        // with no instances. Turn deletion protection off first to remove the database.
        lifecycle: common.deletionProtection ? { preventDestroy: true } : undefined,
      });
      if (options.role === "writer") writer = instance;
      this.instances[key] = instance;
    }

    const secretArn = this.cluster.masterUserSecret.get(0).secretArn;
    this.databaseUrl = new DatabaseUrlPublisher(this, "database-url", {
      namePrefix: props.namePrefix,
      parameterName: props.databaseUrlParameterName,
      secretArn,
      secretKmsKeyArn: props.secretsKmsKeyArn ?? props.kmsKeyArn,
      parameterKmsKeyArn: props.secretsKmsKeyArn,
      host: this.cluster.endpoint,
      port: this.cluster.port,
      databaseName: props.databaseName,
      accountId: props.accountId,
      logRetentionDays: common.logRetentionDays,
    });

    const hasReader = entries.some(([, o]) => o.role === "reader");
    this.ref = {
      endpoint: this.cluster.endpoint,
      ...(hasReader ? { readerEndpoint: this.cluster.readerEndpoint } : {}),
      port: this.cluster.port,
      databaseName: props.databaseName,
      masterSecretArn: secretArn,
      databaseUrlParameterName: this.databaseUrl.parameterName,
      databaseUrlParameterArn: this.databaseUrl.parameterArn,
      identifier: this.cluster.clusterIdentifier,
    };
  }
}

function isHalfStep(n: number): boolean {
  return Number.isFinite(n) && Number.isInteger(n * 2);
}

function checkScaling(v: Validator, scaling: AuroraServerlessScaling): void {
  const { minAcu, maxAcu, autoPauseAfterSeconds } = scaling;
  v.check(
    isHalfStep(minAcu) && minAcu >= 0 && minAcu <= 256,
    "scaling.minAcu",
    minAcu,
    "must be 0-256 in steps of 0.5 (0.5 is the smallest always-on capacity).",
  );
  v.check(isHalfStep(maxAcu) && maxAcu >= 1 && maxAcu <= 256, "scaling.maxAcu", maxAcu, "must be 1-256 in steps of 0.5.");
  v.check(minAcu <= maxAcu, "scaling.minAcu", minAcu, `must not exceed scaling.maxAcu (${maxAcu}).`);
  if (minAcu === 0) {
    v.check(
      autoPauseAfterSeconds !== undefined,
      "scaling.minAcu",
      minAcu,
      "0 ACU means auto-pause: also set scaling.autoPauseAfterSeconds (300-86400), or use minAcu 0.5.",
    );
  }
  if (autoPauseAfterSeconds !== undefined) {
    v.check(
      minAcu === 0,
      "scaling.autoPauseAfterSeconds",
      autoPauseAfterSeconds,
      "only applies with scaling.minAcu 0; remove it or set minAcu to 0.",
    );
    v.check(
      Number.isInteger(autoPauseAfterSeconds) && autoPauseAfterSeconds >= 300 && autoPauseAfterSeconds <= 86400,
      "scaling.autoPauseAfterSeconds",
      autoPauseAfterSeconds,
      "must be a whole number of seconds from 300 (5 minutes) to 86400 (1 day).",
    );
  }
}

function checkInstances(v: Validator, instances: Readonly<Record<string, AuroraInstanceOptions>>): void {
  const entries = Object.entries(instances);
  const writers = entries.filter(([, o]) => o.role === "writer");
  v.check(
    writers.length === 1,
    "instances",
    Object.keys(instances),
    `must hold exactly one instance with role "writer" (found ${writers.length}); e.g. { writer: { role: "writer", availabilityZone: "ap-northeast-1a" } }.`,
  );
  const writerAz = writers[0]?.[1].availabilityZone;
  for (const [key, o] of entries) {
    v.check(CONSTRUCT_KEY_PATTERN.test(key), `instances.${key}`, key, "key must be lower-case letters, digits and hyphens (it becomes the construct ID and identifier suffix).");
    checkIdentifier(v, o.identifier, `instances.${key}.identifier`);
    if (isKnown(o.availabilityZone)) {
      v.check(AZ_PATTERN.test(o.availabilityZone), `instances.${key}.availabilityZone`, o.availabilityZone, 'is not an AZ name; write e.g. "ap-northeast-1a".');
    }
    const tier = o.promotionTier;
    if (tier !== undefined) {
      v.check(Number.isInteger(tier) && tier >= 0 && tier <= 15, `instances.${key}.promotionTier`, tier, "must be 0-15 (0 fails over first).");
    }
    if (o.role === "reader" && writerAz !== undefined && isKnown(writerAz) && isKnown(o.availabilityZone)) {
      v.check(
        o.availabilityZone !== writerAz,
        `instances.${key}.availabilityZone`,
        o.availabilityZone,
        `is the writer's AZ; put the reader in a second AZ so a failover survives an AZ outage.`,
      );
    }
  }
}
