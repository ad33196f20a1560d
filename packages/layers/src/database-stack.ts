import { arn, awsContext, EnvironmentStack, type Environment } from "@platform/core";
import { AuroraPostgresServerless, DatabaseBackup, PostgresInstance, type DatabaseRef } from "@platform/database";
import { BackupVaultKey } from "@platform/security";
import type { NetworkRef } from "@platform/network";
import type { SecurityGroupsRef } from "@platform/security";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { DatabaseConfig } from "./environment-config";

/** `<env>-database`: PostgreSQL (an RDS instance or Aurora Serverless v2) and its DATABASE_URL parameter. */
export class DatabaseStack extends EnvironmentStack {
  readonly database: PostgresInstance | AuroraPostgresServerless;
  readonly ref: DatabaseRef;
  /** The RDS instance, for the scheduler (Aurora is not stopped on a schedule). */
  readonly instance?: { readonly identifier: string; readonly arn: string };

  constructor(
    scope: Construct,
    environment: Environment,
    config: DatabaseConfig,
    deps: {
      readonly network: NetworkRef;
      readonly security: SecurityGroupsRef;
      readonly secretsKmsKeyArn?: string;
      /** `teardown: "allowed"`: final snapshots named per create, so repeated destroys never collide. */
      readonly teardownAllowed?: boolean;
    },
  ) {
    super(scope, { environment, layer: "database" });
    const common = {
      namePrefix: `${environment.project}-${environment.name}`,
      subnetIds: deps.network.privateSubnetIds,
      securityGroupIds: [deps.security.databaseSecurityGroupId],
      identifier: config.identifier,
      engineVersion: config.engineVersion,
      databaseName: config.databaseName,
      masterUsername: config.masterUsername,
      backupRetentionDays: config.backupRetentionDays,
      deletionProtection: config.deletionProtection,
      performanceInsightsRetentionDays: config.performanceInsightsRetentionDays,
      logRetentionDays: config.logRetentionDays,
      // The path the seed's applications read.
      databaseUrlParameterName: `/${environment.project}/${environment.name}/DATABASE_URL`,
      accountId: environment.accountId,
      // The environment's secrets key: the master secret and DATABASE_URL are readable only by the roles its policy names.
      secretsKmsKeyArn: deps.secretsKmsKeyArn,
      restoreFrom: config.restoreFrom,
      finalSnapshotNaming: deps.teardownAllowed ? ("per-create" as const) : ("fixed" as const),
    };
    if (config.kind === "rds-postgres") {
      const instance = new PostgresInstance(this, "postgres", {
        ...common,
        instanceClass: config.instanceClass,
        allocatedStorageGiB: config.allocatedStorageGiB,
        maxAllocatedStorageGiB: config.maxAllocatedStorageGiB,
        multiAz: config.multiAz,
      });
      this.database = instance;
      // Known at synth (not the resource's attributes), so the scheduler in the compute stack stops
      // it without a cross-stack output: compute already deploys after the database.
      this.instance = { identifier: instance.identifier, arn: arn(awsContext(this), { service: "rds", resource: `db:${instance.identifier}` }) };
    } else {
      const zones = deps.network.availabilityZones;
      this.database = new AuroraPostgresServerless(this, "aurora", {
        ...common,
        scaling: { minAcu: config.minAcu, maxAcu: config.maxAcu },
        instances: {
          writer: { role: "writer", availabilityZone: zones[0]!, identifier: config.instanceIdentifiers?.writer },
          ...(config.reader ? { reader: { role: "reader" as const, availabilityZone: zones[1]!, identifier: config.instanceIdentifiers?.reader } } : {}),
        },
      });
    }
    this.ref = this.database.ref;
    if (config.awsBackup) this.backup(environment, config.awsBackup, common.namePrefix);

    new TerraformOutput(this, "db_endpoint", { value: this.ref.endpoint, description: "Writer endpoint (host name)" });
    if (this.ref.readerEndpoint) {
      new TerraformOutput(this, "db_reader_endpoint", { value: this.ref.readerEndpoint, description: "Read-only endpoint" });
    }
    new TerraformOutput(this, "database_url_parameter", {
      value: this.ref.databaseUrlParameterName,
      description: "SSM SecureString with DATABASE_URL (aws ssm get-parameter --with-decryption --name …)",
    });
    new TerraformOutput(this, "db_master_secret_arn", { value: this.ref.masterSecretArn, description: "RDS-managed master credentials" });
  }

  /** AWS Backup of the database: vault keys in both regions, the copy region through an aliased provider. */
  private backup(environment: Environment, plan: NonNullable<DatabaseConfig["awsBackup"]>, namePrefix: string): void {
    const database = this.database instanceof PostgresInstance ? this.database.instance : this.database.cluster;
    const key = new BackupVaultKey(this, "backup-key", { namePrefix, accountId: environment.accountId, region: environment.region });
    const copy = plan.copyRegion
      ? (() => {
          const provider = this.regionProvider(plan.copyRegion!);
          const copyKey = new BackupVaultKey(this, "backup-copy-key", { namePrefix, accountId: environment.accountId, region: plan.copyRegion!, provider });
          return { region: plan.copyRegion!, provider, vaultKmsKeyArn: copyKey.key.arn, retentionDays: plan.copyRetentionDays };
        })()
      : undefined;
    new DatabaseBackup(this, "backup", {
      namePrefix,
      resourceArn: database.arn,
      retentionDays: plan.retentionDays,
      vaultKmsKeyArn: key.key.arn,
      copy,
      accountId: environment.accountId,
    });
  }
}
