import { listResources, onlyResource, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildEnvironment, environmentConfigIssues } from "../src/index";
import { minimalConfig, configWith } from "./fixtures";

type Attrs = Record<string, any>;

/** Names kept from a live environment (what `pnpm adopt` asks for when an identifier differs). */
const adopted = configWith({
  registry: { ...minimalConfig.registry, repositoryNames: { web: "legacy-web" } },
  storage: { versioned: false, assetsBucketName: "legacy-assets", albAccessLogs: { retentionDays: 30, bucketName: "legacy-alb-logs" } },
  database: { ...minimalConfig.database, identifier: "legacy-db" },
});

describe("name overrides for adopted stateful resources", () => {
  const stacks = synthAppStacks((app) => buildEnvironment(app, adopted));
  const defaults = synthAppStacks((app) => buildEnvironment(app, minimalConfig));

  it("keeps the live repository, bucket and database names", () => {
    expect((onlyResource(stacks["staging-registry"]!, "aws_ecr_repository") as Attrs).name).toBe("legacy-web");
    const buckets = (listResources(stacks["staging-storage"]!, "aws_s3_bucket") as Attrs[]).map((b) => b.bucket).sort();
    expect(buckets).toEqual(["legacy-alb-logs", "legacy-assets"]);
    const db = onlyResource(stacks["staging-database"]!, "aws_db_instance") as Attrs;
    expect(db.identifier).toBe("legacy-db");
    expect(db.final_snapshot_identifier).toBe("legacy-db-final");
  });

  it("names what it derives by default, as before", () => {
    expect((onlyResource(defaults["staging-registry"]!, "aws_ecr_repository") as Attrs).name).toBe("acme-staging-web");
    expect((onlyResource(defaults["staging-database"]!, "aws_db_instance") as Attrs).identifier).toBe("acme-staging-db");
  });

  it("keeps live Aurora cluster and instance identifiers", () => {
    const aurora = configWith({
      database: {
        kind: "aurora-serverless-v2",
        engineVersion: "17",
        databaseName: "app",
        backupRetentionDays: 7,
        minAcu: 0.5,
        maxAcu: 2,
        reader: true,
        identifier: "legacy-cluster",
        instanceIdentifiers: { writer: "legacy-cluster-instance-1", reader: "legacy-cluster-instance-2" },
      },
    });
    expect(environmentConfigIssues(aurora)).toEqual([]);
    const db = synthAppStacks((app) => buildEnvironment(app, aurora))["staging-database"]!;
    expect((onlyResource(db, "aws_rds_cluster") as Attrs).cluster_identifier).toBe("legacy-cluster");
    expect((listResources(db, "aws_rds_cluster_instance") as Attrs[]).map((i) => i.identifier).sort()).toEqual([
      "legacy-cluster-instance-1",
      "legacy-cluster-instance-2",
    ]);
  });

  it("passes the config schema", () => {
    expect(environmentConfigIssues(adopted)).toEqual([]);
  });

  it("fails when a kept name belongs to no repository or is no valid identifier", () => {
    const badKey = configWith({ registry: { ...minimalConfig.registry, repositoryNames: { api: "legacy-api" } } });
    expect(environmentConfigIssues(badKey).map((i) => i.field)).toContain("staging.registry.repositoryNames.api");
    const badId = configWith({ database: { ...minimalConfig.database, identifier: "Legacy_DB" } });
    expect(() => synthAppStacks((app) => buildEnvironment(app, badId))).toThrow(/identifier.*Legacy_DB/s);
  });
});
