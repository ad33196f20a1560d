import { policyStatements, synth, testStack, type SynthesizedStack } from "@platform/core/testing";
import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  AccessLogBucket,
  ELB_LOG_DELIVERY_ACCOUNTS,
  elbLogDeliveryPrincipal,
  type AccessLogBucketProps,
} from "../src/index";
import { configError, logicalId, resourceOf } from "./helpers";

const ACCOUNT = "123456789012";

function build(props: AccessLogBucketProps): { json: SynthesizedStack; construct: AccessLogBucket } {
  const stack = testStack("storage");
  const construct = new AccessLogBucket(stack, "alb-logs", props);
  return { json: synth(stack), construct };
}

function statements(json: SynthesizedStack): Record<string, unknown>[] {
  return policyStatements(json, logicalId(json, "aws_iam_policy_document", "alb-logs", "data"));
}

describe("AccessLogBucket in ap-northeast-1 with defaults", () => {
  const { json, construct } = build({ namePrefix: "bookmark-manager-prod", region: "ap-northeast-1", accountId: ACCOUNT });
  const bucketArn = `\${aws_s3_bucket.${logicalId(json, "aws_s3_bucket", "alb-logs")}.arn}`;

  it("names the bucket <namePrefix>-alb-logs and keeps it on destroy", () => {
    expect(resourceOf(json, "aws_s3_bucket", "alb-logs")).toMatchObject({
      bucket: "bookmark-manager-prod-alb-logs",
      force_destroy: false,
    });
  });

  it("always encrypts with SSE-S3, which ALB log delivery requires", () => {
    expect(resourceOf(json, "aws_s3_bucket_server_side_encryption_configuration", "alb-logs").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  it("is private with ACLs disabled and unversioned", () => {
    expect(resourceOf(json, "aws_s3_bucket_public_access_block", "alb-logs")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourceOf(json, "aws_s3_bucket_ownership_controls", "alb-logs").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(json.resource?.aws_s3_bucket_versioning).toBeUndefined();
  });

  it("expires logs after 90 days and aborts incomplete uploads after 7", () => {
    expect(resourceOf(json, "aws_s3_bucket_lifecycle_configuration", "alb-logs").rule).toEqual([
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: [{}],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
      { id: "expire-logs", status: "Enabled", filter: [{}], expiration: [{ days: 90 }] },
    ]);
  });

  it("lets only the Tokyo ELB account put objects, only under alb/AWSLogs/<account>/", () => {
    const allow = statements(json).find((s) => s.sid === "AllowLoadBalancerLogDelivery");
    expect(allow).toEqual({
      sid: "AllowLoadBalancerLogDelivery",
      effect: "Allow",
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::582318560864:root"] }],
      actions: ["s3:PutObject"],
      resources: [`${bucketArn}/alb/AWSLogs/${ACCOUNT}/*`],
    });
  });

  it("denies non-TLS requests before allowing delivery", () => {
    const [first, second] = statements(json);
    expect(first).toEqual({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: [{ type: "*", identifiers: ["*"] }],
      actions: ["s3:*"],
      resources: [bucketArn, `${bucketArn}/*`],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(second?.sid).toBe("DenyOutdatedTls");
    expect(statements(json)).toHaveLength(3);
  });

  it("exposes the prefix with the StorageRef for the ALB's access_logs block", () => {
    expect(construct.ref.logPrefix).toBe("alb");
    expect(construct.logPrefix).toBe("alb");
    expect(Object.keys(construct.ref).sort()).toEqual(["bucketArn", "bucketName", "bucketRegionalDomainName", "logPrefix"]);
  });
});

describe("AccessLogBucket with explicit choices", () => {
  it("writes under AWSLogs/<account>/ at the bucket root when the prefix is empty, and keeps logs as asked", () => {
    const { json } = build({
      namePrefix: "acme-staging",
      bucketName: "acme-staging-lb-logs-123456789012",
      region: "ap-northeast-1",
      accountId: ACCOUNT,
      logPrefix: "",
      logRetentionDays: 14,
      forceDestroy: true,
    });
    const bucketArn = `\${aws_s3_bucket.${logicalId(json, "aws_s3_bucket", "alb-logs")}.arn}`;
    expect(resourceOf(json, "aws_s3_bucket", "alb-logs")).toMatchObject({ bucket: "acme-staging-lb-logs-123456789012", force_destroy: true });
    expect(statements(json)[2]?.resources).toEqual([`${bucketArn}/AWSLogs/${ACCOUNT}/*`]);
    expect((resourceOf(json, "aws_s3_bucket_lifecycle_configuration", "alb-logs").rule as unknown[])[1]).toMatchObject({
      expiration: [{ days: 14 }],
    });
  });

  it("uses the log delivery service principal in regions launched after August 2022", () => {
    const { json } = build({ namePrefix: "acme-prod", region: "eu-central-2", accountId: ACCOUNT, logPrefix: "prod/web" });
    const allow = statements(json)[2];
    expect(allow?.principals).toEqual([{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }]);
    expect(allow?.resources).toEqual([`\${aws_s3_bucket.${logicalId(json, "aws_s3_bucket", "alb-logs")}.arn}/prod/web/AWSLogs/${ACCOUNT}/*`]);
  });
});

describe("AccessLogBucket with Terraform tokens", () => {
  it("does not validate an account ID that is only known at plan time", () => {
    const stack = testStack("storage");
    const account = new TerraformVariable(stack, "account_id", { type: "string" });
    new AccessLogBucket(stack, "alb-logs", { namePrefix: "acme-test", region: "ap-northeast-1", accountId: account.stringValue });
    const json = synth(stack);
    expect(statements(json)[2]?.resources).toEqual([
      `\${aws_s3_bucket.${logicalId(json, "aws_s3_bucket", "alb-logs")}.arn}/alb/AWSLogs/\${var.account_id}/*`,
    ]);
  });
});

describe("ELB log delivery principals", () => {
  it("maps pre-August-2022 regions to their ELB account in the right partition", () => {
    expect(elbLogDeliveryPrincipal("us-east-1")).toEqual({ type: "AWS", identifiers: ["arn:aws:iam::127311923021:root"] });
    expect(elbLogDeliveryPrincipal("cn-north-1")).toEqual({ type: "AWS", identifiers: ["arn:aws-cn:iam::638102146993:root"] });
    expect(elbLogDeliveryPrincipal("us-gov-west-1")).toEqual({ type: "AWS", identifiers: ["arn:aws-us-gov:iam::048591011584:root"] });
    expect(elbLogDeliveryPrincipal("ap-south-2")).toEqual({ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] });
  });

  it("lists every classic ELB account as a 12-digit ID, each account once", () => {
    const ids = Object.values(ELB_LOG_DELIVERY_ACCOUNTS);
    expect(ids.every((id) => /^\d{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ELB_LOG_DELIVERY_ACCOUNTS["ap-northeast-1"]).toBe("582318560864");
  });
});

describe("AccessLogBucket validation", () => {
  const ok: AccessLogBucketProps = { namePrefix: "acme-test", region: "ap-northeast-1", accountId: ACCOUNT };

  it("fails when the account ID is not 12 digits", () => {
    expect(() => build({ ...ok, accountId: "12345" })).toThrow(
      /alb-logs\.accountId: "12345" must be the 12-digit ID of the account that owns the load balancers/,
    );
  });

  it("fails when the region is not a region name", () => {
    expect(() => build({ ...ok, region: "tokyo" })).toThrow(/alb-logs\.region: "tokyo" must be the AWS region of the bucket/);
  });

  it("fails when the log prefix has a leading or trailing slash or contains AWSLogs", () => {
    const values = ["/alb", "alb/", "alb//web", "AWSLogs", "alb/AWSLogs"];
    for (const logPrefix of values) {
      expect(() => build({ ...ok, logPrefix })).toThrow(
        new RegExp(`alb-logs\\.logPrefix: "${logPrefix.replace(/\//g, "\\/")}" must be key segments`),
      );
    }
  });

  it("fails when log retention is zero days", () => {
    expect(() => build({ ...ok, logRetentionDays: 0 })).toThrow(/alb-logs\.logRetentionDays: 0 must be a whole number of days >= 1/);
  });

  it("fails when the bucket name is invalid, listing it with the other problems", () => {
    const error = configError(() => build({ ...ok, bucketName: "ALB_Logs", accountId: "x" }));
    expect(error.issues.map((i) => i.field)).toEqual(["test-storage/alb-logs.bucketName", "test-storage/alb-logs.accountId"]);
  });
});
