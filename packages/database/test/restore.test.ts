import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, onlyResource, synth, testStack } from "@platform/core/testing";
import { AuroraPostgresServerless, PostgresInstance, type AuroraPostgresServerlessProps, type PostgresInstanceProps } from "../src/index";

const instanceProps: PostgresInstanceProps = {
  namePrefix: "acme-staging",
  subnetIds: ["subnet-0aaa", "subnet-0ccc"],
  securityGroupIds: ["sg-0123456789abcdef0"],
  engineVersion: "17",
  databaseName: "appdb",
  instanceClass: "db.t4g.micro",
  allocatedStorageGiB: 20,
  backupRetentionDays: 7,
  deletionProtection: false,
  databaseUrlParameterName: "/acme/staging/DATABASE_URL",
};

const clusterProps: AuroraPostgresServerlessProps = {
  namePrefix: "acme-prod",
  subnetIds: ["subnet-0aaa", "subnet-0ccc"],
  securityGroupIds: ["sg-0123456789abcdef0"],
  engineVersion: "17.7",
  databaseName: "appdb",
  backupRetentionDays: 30,
  scaling: { minAcu: 0.5, maxAcu: 2 },
  instances: {
    writer: { role: "writer", availabilityZone: "ap-northeast-1a" },
    reader: { role: "reader", availabilityZone: "ap-northeast-1c" },
  },
  databaseUrlParameterName: "/acme/prod/DATABASE_URL",
};

function instance(props: Partial<PostgresInstanceProps> = {}) {
  const stack = testStack("database");
  const db = new PostgresInstance(stack, "database", { ...instanceProps, ...props });
  new TerraformOutput(stack, "ref", { value: db.ref });
  return onlyResource(synth(stack), "aws_db_instance") as Record<string, any>;
}

function cluster(props: Partial<AuroraPostgresServerlessProps> = {}) {
  const stack = testStack("database");
  const db = new AuroraPostgresServerless(stack, "database", { ...clusterProps, ...props });
  new TerraformOutput(stack, "ref", { value: db.ref });
  const json = synth(stack);
  return { cluster: onlyResource(json, "aws_rds_cluster") as Record<string, any>, instances: listResources(json, "aws_rds_cluster_instance") as Record<string, any>[] };
}

describe("restore (RDS instance)", () => {
  it("creates a new instance from a snapshot, with the source's database and master user", () => {
    const db = instance({ identifier: "acme-staging-db-r1", restoreFrom: { snapshotIdentifier: "acme-staging-db-final" } });
    expect(db).toMatchObject({ identifier: "acme-staging-db-r1", snapshot_identifier: "acme-staging-db-final", manage_master_user_password: true });
    expect(db.db_name).toBeUndefined();
    expect(db.username).toBeUndefined();
    expect(db.restore_to_point_in_time).toBeUndefined();
  });

  it("creates a new instance at a point in time of an existing one", () => {
    const db = instance({ identifier: "acme-staging-db-r1", restoreFrom: { pointInTime: { sourceIdentifier: "acme-staging-db", restoreTime: "2026-11-30T01:23:00Z" } } });
    expect(db.restore_to_point_in_time).toEqual({ source_db_instance_identifier: "acme-staging-db", restore_time: "2026-11-30T01:23:00Z" });
    expect(db.snapshot_identifier).toBeUndefined();
    const latest = instance({ identifier: "acme-staging-db-r2", restoreFrom: { pointInTime: { sourceIdentifier: "acme-staging-db", latestRestorable: true } } });
    expect(latest.restore_to_point_in_time).toEqual({ source_db_instance_identifier: "acme-staging-db", use_latest_restorable_time: true });
  });

  it("fails, naming every problem, when the restore would not be a new database or the point is unclear", () => {
    expect(() => instance({ restoreFrom: { snapshotIdentifier: "acme-staging-db-final" } })).toThrow(/identifier: \(missing\) must be set when restoreFrom is: a restore creates a NEW database/);
    let message = "";
    try {
      instance({ identifier: "acme-staging-db", restoreFrom: { pointInTime: { sourceIdentifier: "acme-staging-db", restoreTime: "30/11/2026", latestRestorable: true } } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/restoreFrom\.pointInTime: .* must set exactly one of restoreTime/);
    expect(message).toMatch(/restoreFrom\.pointInTime\.restoreTime: "30\/11\/2026" must be a UTC time/);
    expect(message).toMatch(/identifier: "acme-staging-db" must differ from restoreFrom\.pointInTime\.sourceIdentifier/);
    expect(() => instance({ identifier: "acme-staging-db-r1", restoreFrom: { snapshotIdentifier: "bad--name" } })).toThrow(/restoreFrom\.snapshotIdentifier: "bad--name" is not a snapshot identifier/);
  });
});

describe("restore (Aurora cluster)", () => {
  it("creates a new cluster from a cluster snapshot, instances named after the new cluster", () => {
    const { cluster: c, instances } = cluster({ identifier: "acme-prod-aurora-r1", restoreFrom: { snapshotIdentifier: "acme-prod-aurora-2026-11-30-17-05" } });
    expect(c).toMatchObject({ cluster_identifier: "acme-prod-aurora-r1", snapshot_identifier: "acme-prod-aurora-2026-11-30-17-05" });
    expect(c.database_name).toBeUndefined();
    expect(c.master_username).toBeUndefined();
    expect(instances.map((i) => i.identifier).sort()).toEqual(["acme-prod-aurora-r1-reader", "acme-prod-aurora-r1-writer"]);
  });

  it("accepts an AWS Backup recovery point ARN as the snapshot", () => {
    const arn = "arn:aws:rds:ap-northeast-1:123456789012:cluster-snapshot:awsbackup:job-0123abcd-4567-89ef-0123-456789abcdef";
    expect(cluster({ identifier: "acme-prod-aurora-r1", restoreFrom: { snapshotIdentifier: arn } }).cluster.snapshot_identifier).toBe(arn);
  });

  it("creates a new cluster at a point in time of an existing one", () => {
    const { cluster: c } = cluster({ identifier: "acme-prod-aurora-r1", restoreFrom: { pointInTime: { sourceIdentifier: "acme-prod-aurora", latestRestorable: true } } });
    expect(c.restore_to_point_in_time).toEqual({ source_cluster_identifier: "acme-prod-aurora", use_latest_restorable_time: true });
  });
});

describe("final snapshot naming", () => {
  it("is <identifier>-final by default: a second delete of a re-created database fails safely", () => {
    const db = instance();
    expect(db.final_snapshot_identifier).toBe("acme-staging-db-final");
    expect(db.lifecycle).toBeUndefined();
  });

  it("per create: stamped with the creation time and pinned by ignore_changes (no perpetual diff)", () => {
    const db = instance({ finalSnapshotNaming: "per-create" });
    expect(db.final_snapshot_identifier).toBe('acme-staging-db-final-${formatdate("YYYYMMDDhhmmss", timestamp())}');
    expect(db.lifecycle).toEqual({ ignore_changes: ["final_snapshot_identifier"] });
    const { cluster: c } = cluster({ finalSnapshotNaming: "per-create", deletionProtection: false });
    expect(c.final_snapshot_identifier).toBe('acme-prod-aurora-final-${formatdate("YYYYMMDDhhmmss", timestamp())}');
    expect(c.lifecycle).toEqual({ ignore_changes: ["final_snapshot_identifier"] });
  });
});

describe("Aurora instance guard", () => {
  it("puts prevent_destroy on every instance while the cluster is deletion-protected", () => {
    const { instances } = cluster();
    expect(instances).toHaveLength(2);
    for (const i of instances) expect(i.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("leaves instances destroyable when deletion protection is off", () => {
    for (const i of cluster({ deletionProtection: false }).instances) expect(i.lifecycle).toBeUndefined();
  });
});
