import { listResources, onlyResource, policyStatements, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { StateStore } from "../src/index";

describe("StateStore", () => {
  const stack = testStack("bootstrap");
  new StateStore(stack, "state", { bucketName: "acme-terraform-state", lockTableName: "acme-terraform-locks" });
  const json = synth(stack);

  it("keeps state in a versioned, encrypted, private bucket that refuses deletion", () => {
    const bucket = onlyResource(json, "aws_s3_bucket");
    expect(bucket).toMatchObject({ bucket: "acme-terraform-state", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, "aws_s3_bucket_versioning")).toMatchObject({ versioning_configuration: { status: "Enabled" } });
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls")).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("denies every request that is not over TLS", () => {
    const deny = policyStatements(json, "state/policy-document").find((s) => s.sid === "DenyInsecureTransport");
    expect(deny).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  it("expires overwritten state versions after 90 days but always keeps the newest 10", () => {
    const rules = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[];
    expect(rules.find((r) => r.id === "expire-old-state-versions")).toMatchObject({
      noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }],
    });
  });

  it("locks with an on-demand LockID table with point-in-time recovery, encryption and deletion protection", () => {
    expect(listResources(json, "aws_dynamodb_table")).toEqual([
      expect.objectContaining({
        name: "acme-terraform-locks",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      }),
    ]);
  });

  it("fails when the lock table name is invalid or the retention is out of range", () => {
    expect(
      () =>
        new StateStore(testStack("bad"), "state", {
          bucketName: "acme-terraform-state",
          lockTableName: "x",
          noncurrentVersionsToKeep: 500,
        }),
    ).toThrow(/lockTableName: "x" must be 3-255 characters[\s\S]*noncurrentVersionsToKeep: 500 must be between 1 and 100/);
  });
});
