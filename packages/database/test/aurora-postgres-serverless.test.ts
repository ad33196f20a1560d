import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, onlyResource, resourceAt, synth, testStack } from "@platform/core/testing";
import { AuroraPostgresServerless, type AuroraPostgresServerlessProps } from "../src/index";
import { passwordKeys } from "./helpers";

const prod: AuroraPostgresServerlessProps = {
  namePrefix: "acme-prod",
  subnetIds: ["subnet-0aaa", "subnet-0ccc"],
  securityGroupIds: ["sg-0123456789abcdef0"],
  engineVersion: "17.6",
  databaseName: "appdb",
  backupRetentionDays: 30,
  scaling: { minAcu: 0.5, maxAcu: 2 },
  instances: {
    writer: { role: "writer", availabilityZone: "ap-northeast-1a" },
    reader: { role: "reader", availabilityZone: "ap-northeast-1c" },
  },
  databaseUrlParameterName: "/acme/prod/DATABASE_URL",
};

function build(props: Partial<AuroraPostgresServerlessProps> = {}) {
  const stack = testStack("database");
  const db = new AuroraPostgresServerless(stack, "database", { ...prod, ...props });
  new TerraformOutput(stack, "ref", { value: db.ref });
  return { db, json: synth(stack) };
}

describe("AuroraPostgresServerless (prod-like)", () => {
  const { json } = build();
  const cluster = onlyResource(json, "aws_rds_cluster");

  it("is an encrypted Aurora PostgreSQL Serverless v2 cluster with the given range", () => {
    expect(cluster).toMatchObject({
      cluster_identifier: "acme-prod-aurora",
      engine: "aurora-postgresql",
      engine_mode: "provisioned",
      engine_version: "17.6",
      database_name: "appdb",
      master_username: "dbadmin",
      storage_encrypted: true,
      serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 2 },
      vpc_security_group_ids: ["sg-0123456789abcdef0"],
      port: 5432,
    });
  });

  it("protects data: 30-day backups, deletion protection, final snapshot, tags on snapshots", () => {
    expect(cluster).toMatchObject({
      backup_retention_period: 30,
      preferred_backup_window: "17:00-17:30",
      preferred_maintenance_window: "sun:15:00-sun:16:00",
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "acme-prod-aurora-final",
      copy_tags_to_snapshot: true,
      enabled_cloudwatch_logs_exports: ["postgresql"],
    });
  });

  it("lets RDS manage the master password; no password attribute exists anywhere", () => {
    expect(cluster.manage_master_user_password).toBe(true);
    expect(passwordKeys(json)).toEqual([]);
  });

  it("enforces TLS through the cluster parameter group", () => {
    expect(onlyResource(json, "aws_rds_cluster_parameter_group")).toMatchObject({
      family: "aurora-postgresql17",
      name: "acme-prod-aurora-aurora-postgresql17",
      parameter: [{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }],
      lifecycle: { create_before_destroy: true },
    });
  });

  it("creates a private serverless writer first, then a reader in another AZ with a lower failover priority", () => {
    const writer = resourceAt(json, "aws_rds_cluster_instance", "database/writer");
    const reader = resourceAt(json, "aws_rds_cluster_instance", "database/reader");
    for (const instance of [writer, reader]) {
      expect(instance).toMatchObject({ instance_class: "db.serverless", publicly_accessible: false, auto_minor_version_upgrade: true });
      expect(instance.engine).toMatch(/aws_rds_cluster\.database_cluster_[0-9A-F]{8}\.engine/);
    }
    expect(writer).toMatchObject({ identifier: "acme-prod-aurora-writer", availability_zone: "ap-northeast-1a", promotion_tier: 0 });
    expect(writer.depends_on).toBeUndefined();
    expect(reader).toMatchObject({ identifier: "acme-prod-aurora-reader", availability_zone: "ap-northeast-1c", promotion_tier: 1 });
    expect(reader.depends_on).toEqual([expect.stringMatching(/^aws_rds_cluster_instance\.database_writer_/)]);
  });

  it("keeps the exported logs with a retention", () => {
    expect(listResources(json, "aws_cloudwatch_log_group").map((g) => g.name)).toContain("/aws/rds/cluster/acme-prod-aurora/postgresql");
  });

  it("exposes writer and reader endpoints in its ref", () => {
    const ref = json.output!.ref!.value as Record<string, string>;
    expect(ref.endpoint).toMatch(/^\$\{aws_rds_cluster\.database_cluster_[0-9A-F]{8}\.endpoint\}$/);
    expect(ref.readerEndpoint).toMatch(/\.reader_endpoint\}$/);
    expect(ref.identifier).toMatch(/\.cluster_identifier\}$/);
    expect(ref.databaseUrlParameterName).toBe("/acme/prod/DATABASE_URL");
  });
});

describe("AuroraPostgresServerless options", () => {
  it("auto-pauses at 0 ACU when asked, and has no reader endpoint without readers", () => {
    const { json, db } = build({
      scaling: { minAcu: 0, maxAcu: 4, autoPauseAfterSeconds: 600 },
      instances: { main: { role: "writer", availabilityZone: "ap-northeast-1a" } },
    });
    expect(onlyResource(json, "aws_rds_cluster").serverlessv2_scaling_configuration).toEqual({
      min_capacity: 0,
      max_capacity: 4,
      seconds_until_auto_pause: 600,
    });
    expect(db.ref.readerEndpoint).toBeUndefined();
  });
});

describe("AuroraPostgresServerless validation", () => {
  const fails = (props: Partial<AuroraPostgresServerlessProps>) => () => build(props);

  it("fails when ACU values are off the 0.5 grid or out of range", () => {
    expect(fails({ scaling: { minAcu: 0.7, maxAcu: 300 } })).toThrow(
      /scaling\.minAcu: 0\.7 must be 0-256 in steps of 0\.5[\s\S]*scaling\.maxAcu: 300 must be 1-256 in steps of 0\.5/,
    );
  });

  it("fails when min ACU exceeds max ACU", () => {
    expect(fails({ scaling: { minAcu: 4, maxAcu: 2 } })).toThrow(/scaling\.minAcu: 4 must not exceed scaling\.maxAcu \(2\)/);
  });

  it("fails when min ACU is 0 without auto-pause, or auto-pause is set with a non-zero minimum", () => {
    expect(fails({ scaling: { minAcu: 0, maxAcu: 2 } })).toThrow(/scaling\.minAcu: 0 0 ACU means auto-pause: also set scaling\.autoPauseAfterSeconds/);
    expect(fails({ scaling: { minAcu: 0.5, maxAcu: 2, autoPauseAfterSeconds: 600 } })).toThrow(
      /scaling\.autoPauseAfterSeconds: 600 only applies with scaling\.minAcu 0/,
    );
    expect(fails({ scaling: { minAcu: 0, maxAcu: 2, autoPauseAfterSeconds: 60 } })).toThrow(/autoPauseAfterSeconds: 60 must be a whole number of seconds from 300/);
  });

  it("fails when the reader is in the writer's AZ", () => {
    expect(
      fails({
        instances: {
          writer: { role: "writer", availabilityZone: "ap-northeast-1a" },
          reader: { role: "reader", availabilityZone: "ap-northeast-1a" },
        },
      }),
    ).toThrow(/instances\.reader\.availabilityZone: "ap-northeast-1a" is the writer's AZ; put the reader in a second AZ/);
  });

  it("fails when there is no writer or two, or an AZ, tier or key is malformed", () => {
    expect(fails({ instances: { reader: { role: "reader", availabilityZone: "ap-northeast-1c" } } })).toThrow(
      /instances: \["reader"\] must hold exactly one instance with role "writer" \(found 0\)/,
    );
    expect(
      fails({
        instances: {
          one: { role: "writer", availabilityZone: "ap-northeast-1a" },
          Two: { role: "writer", availabilityZone: "tokyo-a", promotionTier: 16 },
        },
      }),
    ).toThrow(/found 2[\s\S]*instances\.Two: "Two" key must be lower-case[\s\S]*"tokyo-a" is not an AZ name[\s\S]*promotionTier: 16 must be 0-15/);
  });

  it("fails when the engine version is malformed or backup retention is out of range", () => {
    expect(fails({ engineVersion: "17.x", backupRetentionDays: 40 })).toThrow(
      /backupRetentionDays: 40 must be a whole number of days from 1 to 35[\s\S]*engineVersion: "17\.x" is not a PostgreSQL version/,
    );
  });
});
