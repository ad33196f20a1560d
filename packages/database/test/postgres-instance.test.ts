import { describe, expect, it } from "vitest";
import { TerraformOutput } from "cdktf";
import { listResources, onlyResource, policyStatements, synth, testStack } from "@platform/core/testing";
import { PostgresInstance, type PostgresInstanceProps } from "../src/index";
import { passwordKeys } from "./helpers";

const staging: PostgresInstanceProps = {
  namePrefix: "acme-staging",
  subnetIds: ["subnet-0aaa", "subnet-0ccc"],
  securityGroupIds: ["sg-0123456789abcdef0"],
  engineVersion: "17.6",
  databaseName: "appdb",
  instanceClass: "db.t4g.micro",
  allocatedStorageGiB: 20,
  backupRetentionDays: 7,
  deletionProtection: false,
  databaseUrlParameterName: "/acme/staging/DATABASE_URL",
};

function build(props: Partial<PostgresInstanceProps> = {}) {
  const stack = testStack("database");
  const db = new PostgresInstance(stack, "database", { ...staging, ...props });
  new TerraformOutput(stack, "ref", { value: db.ref });
  return { db, json: synth(stack) };
}

describe("PostgresInstance (staging-like)", () => {
  const { json } = build({ performanceInsightsRetentionDays: 7 });
  const instance = onlyResource(json, "aws_db_instance");

  it("is a private, encrypted gp3 PostgreSQL instance of the given class and version", () => {
    expect(instance).toMatchObject({
      identifier: "acme-staging-db",
      engine: "postgres",
      engine_version: "17.6",
      instance_class: "db.t4g.micro",
      db_name: "appdb",
      username: "dbadmin",
      port: 5432,
      storage_type: "gp3",
      storage_encrypted: true,
      publicly_accessible: false,
      allocated_storage: 20,
      max_allocated_storage: 40,
      vpc_security_group_ids: ["sg-0123456789abcdef0"],
      multi_az: false,
    });
  });

  it("keeps backups, copies tags to snapshots and takes a final snapshot on delete", () => {
    expect(instance).toMatchObject({
      backup_retention_period: 7,
      backup_window: "17:00-17:30",
      maintenance_window: "sun:15:00-sun:16:00",
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "acme-staging-db-final",
      deletion_protection: false,
      auto_minor_version_upgrade: true,
      allow_major_version_upgrade: false,
    });
  });

  it("lets RDS manage the master password; no password attribute exists anywhere", () => {
    expect(instance.manage_master_user_password).toBe(true);
    expect(passwordKeys(json)).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/postgresql:\/\//);
  });

  it("enforces TLS with a family-named parameter group replaced before destroy", () => {
    const group = onlyResource(json, "aws_db_parameter_group");
    expect(group).toMatchObject({
      name: "acme-staging-db-postgres17",
      family: "postgres17",
      parameter: [{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }],
      lifecycle: { create_before_destroy: true },
    });
    expect(instance.parameter_group_name).toMatch(/^\$\{aws_db_parameter_group\.database_parameters_[0-9A-F]{8}\.name\}$/);
  });

  it("places the instance in a subnet group of the private subnets", () => {
    expect(onlyResource(json, "aws_db_subnet_group")).toMatchObject({ name: "acme-staging-db", subnet_ids: staging.subnetIds });
  });

  it("exports postgresql logs into a log group with retention, created first", () => {
    expect(instance.enabled_cloudwatch_logs_exports).toEqual(["postgresql"]);
    const group = listResources(json, "aws_cloudwatch_log_group").find((g) => String(g.name).startsWith("/aws/rds/"));
    expect(group).toEqual({ name: "/aws/rds/instance/acme-staging-db/postgresql", retention_in_days: 30 });
    expect(instance.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\.database_postgresql-logs_/)]);
  });

  it("turns on Performance Insights when a retention is given, and no Enhanced Monitoring by default", () => {
    expect(instance).toMatchObject({ performance_insights_enabled: true, performance_insights_retention_period: 7, monitoring_interval: 0 });
    expect(listResources(json, "aws_iam_role_policy_attachment")).toHaveLength(0);
  });

  it("exposes a ref built from the instance, the managed secret and the URL parameter", () => {
    expect(json.output!.ref!.value).toEqual({
      endpoint: expect.stringMatching(/^\$\{aws_db_instance\.database_instance_[0-9A-F]{8}\.address\}$/),
      port: expect.stringMatching(/\.port\}$/),
      databaseName: "appdb",
      masterSecretArn: expect.stringMatching(/\.master_user_secret\[0\]\.secret_arn\}$/),
      databaseUrlParameterName: "/acme/staging/DATABASE_URL",
      // Known at synth, so consumers in other stacks read no output for it.
      databaseUrlParameterArn: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/staging/DATABASE_URL",
      identifier: expect.stringMatching(/\.identifier\}$/),
    });
  });
});

describe("PostgresInstance defaults and options", () => {
  it("protects against deletion by default", () => {
    const { json } = build({ deletionProtection: undefined });
    expect(onlyResource(json, "aws_db_instance").deletion_protection).toBe(true);
  });

  it("adds an Enhanced Monitoring role with the AWS managed policy when an interval is set", () => {
    const { json } = build({ monitoringIntervalSeconds: 60, kmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/abcd" });
    const instance = onlyResource(json, "aws_db_instance");
    expect(instance.monitoring_interval).toBe(60);
    expect(instance.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.database_monitoring-role_[0-9A-F]{8}\.arn\}$/);
    expect(onlyResource(json, "aws_iam_role_policy_attachment").policy_arn).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
    expect(instance).toMatchObject({
      kms_key_id: "arn:aws:kms:ap-northeast-1:123456789012:key/abcd",
      master_user_secret_kms_key_id: "arn:aws:kms:ap-northeast-1:123456789012:key/abcd",
    });
  });

  // Issue 10, item 7: the Enhanced Monitoring trust carries the confused-deputy keys.
  it("trusts RDS monitoring only on behalf of the account's databases (aws:SourceAccount, aws:SourceArn)", () => {
    const { json } = build({ monitoringIntervalSeconds: 60, accountId: "123456789012" });
    expect(policyStatements(json, "database/monitoring-trust")[0]!.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
      { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:*:rds:*:123456789012:*"] },
    ]);
  });

  // Issue 10, "Anyone who can push a branch can read the prod database password".
  it("encrypts the master secret and DATABASE_URL with the environment's secrets key, without touching storage", () => {
    const KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/secrets";
    const { json } = build({ secretsKmsKeyArn: KEY, accountId: "123456789012" });
    const instance = onlyResource(json, "aws_db_instance");
    expect(instance.master_user_secret_kms_key_id).toBe(KEY);
    // Storage keeps aws/rds: changing kms_key_id would replace the database.
    expect(instance.kms_key_id).toBeUndefined();
    const fn = onlyResource(json, "aws_lambda_function") as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables.PARAMETER_KMS_KEY_ID).toBe(KEY);
    const publisher = policyStatements(json, "database/database-url/function/permissions") as Array<{ sid?: string; actions: string[]; resources: string[]; condition?: Array<{ variable: string; values: string[] }> }>;
    const encrypt = publisher.find((x) => x.sid === "EncryptDatabaseUrl")!;
    expect(encrypt).toMatchObject({ actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [KEY] });
    expect(encrypt.condition![0]!.variable).toBe("kms:ViaService");
    expect(publisher.find((x) => x.sid === "DecryptMasterSecret")).toMatchObject({ actions: ["kms:Decrypt"], resources: [KEY] });
    // The publisher's own role trusts Lambda for this account only.
    expect(policyStatements(json, "database/database-url/function/assume")[0]!.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
    ]);
  });

  it("turns storage autoscaling off when the ceiling equals the allocation", () => {
    const { json } = build({ allocatedStorageGiB: 50, maxAllocatedStorageGiB: 50 });
    expect(onlyResource(json, "aws_db_instance").max_allocated_storage).toBe(0);
  });
});

describe("PostgresInstance validation", () => {
  const fails = (props: Partial<PostgresInstanceProps>) => () => build(props);

  it("fails when the instance class is not db.*", () => {
    expect(fails({ instanceClass: "t4g.micro" })).toThrow(/database\.instanceClass: "t4g\.micro" is not an RDS instance class; write e\.g\. "db\.t4g\.micro"/);
    expect(fails({ instanceClass: "db.serverless" })).toThrow(/instanceClass: "db\.serverless" is not an RDS instance class/);
  });

  it("fails when backup retention is outside 1-35", () => {
    expect(fails({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays: 0 must be a whole number of days from 1 to 35 \(0 would turn off automated backups/);
    expect(fails({ backupRetentionDays: 36 })).toThrow(/backupRetentionDays: 36 must be/);
  });

  it("fails when the engine version is malformed or unsupported", () => {
    expect(fails({ engineVersion: "17.6.1" })).toThrow(/engineVersion: "17\.6\.1" is not a PostgreSQL version; write the major \("17"\) or major\.minor \("17\.6"\)/);
    expect(fails({ engineVersion: "v17" })).toThrow(/engineVersion: "v17" is not a PostgreSQL version/);
    expect(fails({ engineVersion: "13.20" })).toThrow(/engineVersion: "13\.20" is past RDS standard support.*use PostgreSQL 14 or newer/);
  });

  it("fails when the storage ceiling is below the allocation, or the allocation is below gp3's minimum", () => {
    expect(fails({ allocatedStorageGiB: 100, maxAllocatedStorageGiB: 50 })).toThrow(
      /maxAllocatedStorageGiB: 50 must be a whole number of GiB from allocatedStorageGiB \(100\)/,
    );
    expect(fails({ allocatedStorageGiB: 10 })).toThrow(/allocatedStorageGiB: 10 must be a whole number of GiB from 20 \(gp3 minimum\)/);
  });

  it("fails when the backup and maintenance windows overlap or are malformed", () => {
    expect(fails({ preferredBackupWindow: "15:30-16:00" })).toThrow(
      /preferredBackupWindow: "15:30-16:00" overlaps the maintenance window sun:15:00-sun:16:00/,
    );
    expect(fails({ preferredBackupWindow: "23:50-00:20", preferredMaintenanceWindow: "sun:00:00-sun:01:00" })).toThrow(/overlaps the maintenance window/);
    expect(fails({ preferredBackupWindow: "17:00-17:10" })).toThrow(/preferredBackupWindow: "17:00-17:10" must last at least 30 minutes/);
    expect(fails({ preferredMaintenanceWindow: "sunday:15:00-16:00" })).toThrow(/preferredMaintenanceWindow: "sunday:15:00-16:00" must be "ddd:hh:mm-ddd:hh:mm" in UTC/);
  });

  it("fails when there are fewer than two subnets or no security group", () => {
    expect(fails({ subnetIds: ["subnet-0aaa"], securityGroupIds: [] })).toThrow(
      /subnetIds: \["subnet-0aaa"\] must list at least two private subnets[\s\S]*securityGroupIds: \[\] must list the database security group/,
    );
  });

  it("fails when names, port, monitoring or Performance Insights values are invalid", () => {
    expect(
      fails({
        namePrefix: "Acme_Staging",
        databaseName: "app-db",
        masterUsername: "rdsadmin",
        port: 80,
        monitoringIntervalSeconds: 20,
        performanceInsightsRetentionDays: 30,
        logRetentionDays: 10,
      }),
    ).toThrow(
      /namePrefix: "Acme_Staging"[\s\S]*databaseName: "app-db"[\s\S]*masterUsername: "rdsadmin"[\s\S]*port: 80 must be between 1150 and 65535[\s\S]*performanceInsightsRetentionDays: 30 must be 7 \(free tier\)[\s\S]*monitoringIntervalSeconds: 20 must be one of 0 \(off\)[\s\S]*logRetentionDays: 10 is not a CloudWatch Logs retention/,
    );
  });
});
