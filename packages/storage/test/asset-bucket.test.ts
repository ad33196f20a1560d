import { policyStatements, synth, testStack, type SynthesizedStack } from "@platform/core/testing";
import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { AssetBucket, type AssetBucketProps } from "../src/index";
import { configError, logicalId, resourceOf } from "./helpers";

const KMS_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function build(props: AssetBucketProps): { json: SynthesizedStack; construct: AssetBucket } {
  const stack = testStack("storage");
  const construct = new AssetBucket(stack, "assets", props);
  return { json: synth(stack), construct };
}

function lifecycleRules(json: SynthesizedStack): Record<string, Record<string, unknown>> {
  const rules = resourceOf(json, "aws_s3_bucket_lifecycle_configuration", "assets").rule as Record<string, unknown>[];
  return Object.fromEntries(rules.map((r) => [r.id as string, r]));
}

describe("AssetBucket, prod-like (versioned, IA 180 / expire 730, CORS)", () => {
  const { json, construct } = build({
    namePrefix: "bookmark-manager-prod",
    lifecycle: { transitionToInfrequentAccessDays: 180, expirationDays: 730 },
    cors: { allowedOrigins: ["tidilyspace.app"] },
  });
  const bucketId = logicalId(json, "aws_s3_bucket", "assets");
  const bucketRef = `\${aws_s3_bucket.${bucketId}.id}`;
  const bucketArn = `\${aws_s3_bucket.${bucketId}.arn}`;

  it("names the bucket <namePrefix>-assets and keeps it on destroy", () => {
    expect(resourceOf(json, "aws_s3_bucket", "assets")).toMatchObject({
      bucket: "bookmark-manager-prod-assets",
      force_destroy: false,
    });
  });

  it("blocks every kind of public access and disables ACLs", () => {
    expect(resourceOf(json, "aws_s3_bucket_public_access_block", "assets")).toEqual({
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourceOf(json, "aws_s3_bucket_ownership_controls", "assets")).toEqual({
      bucket: bucketRef,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("encrypts with SSE-S3 by default", () => {
    expect(resourceOf(json, "aws_s3_bucket_server_side_encryption_configuration", "assets").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  it("enables versioning", () => {
    expect(resourceOf(json, "aws_s3_bucket_versioning", "assets")).toEqual({
      bucket: bucketRef,
      versioning_configuration: { status: "Enabled" },
    });
  });

  it("moves objects to STANDARD_IA after 180 days, expires them after 730, expires noncurrent versions after 90 and aborts uploads after 7", () => {
    const rules = lifecycleRules(json);
    expect(Object.keys(rules)).toEqual(["abort-incomplete-multipart-uploads", "current-versions", "noncurrent-versions"]);
    expect(rules["abort-incomplete-multipart-uploads"]).toEqual({
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{}],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(rules["current-versions"]).toEqual({
      id: "current-versions",
      status: "Enabled",
      filter: [{}],
      transition: [{ days: 180, storage_class: "STANDARD_IA" }],
      expiration: [{ days: 730 }],
    });
    expect(rules["noncurrent-versions"]).toEqual({
      id: "noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
    expect(resourceOf(json, "aws_s3_bucket_lifecycle_configuration", "assets").depends_on).toEqual([
      `aws_s3_bucket_versioning.${logicalId(json, "aws_s3_bucket_versioning", "assets")}`,
    ]);
  });

  it("allows read-only CORS from the exact https origin of a bare host", () => {
    expect(resourceOf(json, "aws_s3_bucket_cors_configuration", "assets")).toEqual({
      bucket: bucketRef,
      cors_rule: [{ allowed_origins: ["https://tidilyspace.app"], allowed_methods: ["GET", "HEAD"], max_age_seconds: 3600 }],
    });
  });

  it("denies plain HTTP and TLS below 1.2 for everyone, on the bucket and its objects", () => {
    const doc = logicalId(json, "aws_iam_policy_document", "assets", "data");
    const statements = policyStatements(json, doc);
    expect(statements).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [bucketArn, `${bucketArn}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      {
        sid: "DenyOutdatedTls",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [bucketArn, `${bucketArn}/*`],
        condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
      },
    ]);
    const policy = resourceOf(json, "aws_s3_bucket_policy", "assets");
    expect(policy.policy).toBe(`\${data.aws_iam_policy_document.${doc}.json}`);
    expect(policy.depends_on).toEqual([
      `aws_s3_bucket_public_access_block.${logicalId(json, "aws_s3_bucket_public_access_block", "assets")}`,
    ]);
  });

  it("exposes a StorageRef that references the bucket", () => {
    const stack = testStack("storage");
    const bucket = new AssetBucket(stack, "assets", { namePrefix: "acme-test" });
    new TerraformOutput(stack, "name", { value: bucket.ref.bucketName });
    new TerraformOutput(stack, "arn", { value: bucket.ref.bucketArn });
    new TerraformOutput(stack, "domain", { value: bucket.ref.bucketRegionalDomainName });
    const out = synth(stack).output ?? {};
    expect(out.name?.value).toBe(`\${aws_s3_bucket.${bucketId}.bucket}`);
    expect(out.arn?.value).toBe(bucketArn);
    expect(out.domain?.value).toBe(`\${aws_s3_bucket.${bucketId}.bucket_regional_domain_name}`);
    expect(construct.versioning).toBeDefined();
    expect(construct.cors).toBeDefined();
  });
});

describe("AssetBucket, staging-like (versioning explicitly off)", () => {
  const { json, construct } = build({
    namePrefix: "bookmark-manager-staging",
    versioned: false,
    lifecycle: { expirationDays: 90 },
    forceDestroy: true,
  });

  it("creates no versioning resource and no noncurrent-version rule", () => {
    expect(json.resource?.aws_s3_bucket_versioning).toBeUndefined();
    expect(construct.versioning).toBeUndefined();
    expect(Object.keys(lifecycleRules(json))).toEqual(["abort-incomplete-multipart-uploads", "current-versions"]);
    expect(lifecycleRules(json)["current-versions"]).toEqual({
      id: "current-versions",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days: 90 }],
    });
    expect(resourceOf(json, "aws_s3_bucket_lifecycle_configuration", "assets").depends_on).toBeUndefined();
  });

  it("has no CORS configuration unless asked", () => {
    expect(json.resource?.aws_s3_bucket_cors_configuration).toBeUndefined();
  });

  it("lets a disposable environment force-destroy the bucket", () => {
    expect(resourceOf(json, "aws_s3_bucket", "assets").force_destroy).toBe(true);
  });
});

describe("AssetBucket with KMS, explicit name, noncurrent transitions, full CORS and extra statements", () => {
  const { json } = build({
    namePrefix: "acme-prod",
    bucketName: "acme-prod-assets-123456789012",
    encryption: { type: "KMS", kmsKeyArn: KMS_KEY },
    lifecycle: { noncurrentTransitionToInfrequentAccessDays: 30, noncurrentExpirationDays: 365 },
    cors: {
      allowedOrigins: ["https://www.example.com", "https://app.example.com:8443"],
      allowedMethods: ["GET", "PUT"],
      allowedHeaders: ["Content-Type"],
      exposeHeaders: ["ETag"],
      maxAgeSeconds: 600,
    },
    additionalPolicyStatements: [
      {
        sid: "AllowCloudFrontRead",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
        actions: ["s3:GetObject"],
        resources: ["arn:aws:s3:::acme-prod-assets-123456789012/*"],
      },
    ],
  });

  it("uses the explicit bucket name as given", () => {
    expect(resourceOf(json, "aws_s3_bucket", "assets").bucket).toBe("acme-prod-assets-123456789012");
  });

  it("encrypts with the KMS key and S3 Bucket Keys", () => {
    expect(resourceOf(json, "aws_s3_bucket_server_side_encryption_configuration", "assets").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KMS_KEY }, bucket_key_enabled: true },
    ]);
  });

  it("transitions and expires noncurrent versions, with no current-version rule", () => {
    expect(Object.keys(lifecycleRules(json))).toEqual(["abort-incomplete-multipart-uploads", "noncurrent-versions"]);
    expect(lifecycleRules(json)["noncurrent-versions"]).toMatchObject({
      noncurrent_version_transition: [{ noncurrent_days: 30, storage_class: "STANDARD_IA" }],
      noncurrent_version_expiration: [{ noncurrent_days: 365 }],
    });
  });

  it("writes every CORS setting", () => {
    expect(resourceOf(json, "aws_s3_bucket_cors_configuration", "assets").cors_rule).toEqual([
      {
        allowed_origins: ["https://www.example.com", "https://app.example.com:8443"],
        allowed_methods: ["GET", "PUT"],
        allowed_headers: ["Content-Type"],
        expose_headers: ["ETag"],
        max_age_seconds: 600,
      },
    ]);
  });

  it("appends extra statements after the TLS-only denies", () => {
    const sids = policyStatements(json, logicalId(json, "aws_iam_policy_document", "assets", "data")).map((s) => s.sid);
    expect(sids).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "AllowCloudFrontRead"]);
  });
});

describe("AssetBucket naming", () => {
  it("shortens a long derived name to 63 characters with a stable hash", () => {
    const { json } = build({ namePrefix: "a-very-long-project-name-for-a-very-long-environment", purpose: "static-assets-bucket" });
    const name = resourceOf(json, "aws_s3_bucket", "assets").bucket as string;
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^a-very-long-project-name.*-[0-9a-f]{6}$/);
  });
});

describe("AssetBucket validation", () => {
  const ok: AssetBucketProps = { namePrefix: "acme-test" };

  it("fails when the IA transition is earlier than 30 days", () => {
    expect(() => build({ ...ok, lifecycle: { transitionToInfrequentAccessDays: 7 } })).toThrow(
      /assets\.lifecycle\.transitionToInfrequentAccessDays: 7 must be a whole number of days >= 30 \(S3 minimum for STANDARD_IA\)/,
    );
  });

  it("fails when expiration is not later than the IA transition", () => {
    expect(() => build({ ...ok, lifecycle: { transitionToInfrequentAccessDays: 180, expirationDays: 180 } })).toThrow(
      /lifecycle\.expirationDays: 180 must be greater than lifecycle\.transitionToInfrequentAccessDays \(180\)/,
    );
  });

  it("fails when the noncurrent IA transition is not before the default noncurrent expiration", () => {
    expect(() => build({ ...ok, lifecycle: { noncurrentTransitionToInfrequentAccessDays: 120 } })).toThrow(
      /lifecycle\.noncurrentExpirationDays: 90 must be greater than lifecycle\.noncurrentTransitionToInfrequentAccessDays \(120\); the default is 90, so set it explicitly/,
    );
  });

  it("fails when noncurrent-version settings are given for an unversioned bucket", () => {
    const error = configError(() =>
      build({ ...ok, versioned: false, lifecycle: { noncurrentExpirationDays: 30, noncurrentTransitionToInfrequentAccessDays: 30 } }),
    );
    expect(error.issues.map((i) => i.field)).toEqual([
      "test-storage/assets.lifecycle.noncurrentTransitionToInfrequentAccessDays",
      "test-storage/assets.lifecycle.noncurrentExpirationDays",
    ]);
    expect(error.message).toMatch(/noncurrentExpirationDays: 30 applies only to versioned buckets; remove it or set versioned: true/);
  });

  it("fails when expiration days are zero or fractional", () => {
    expect(() => build({ ...ok, lifecycle: { expirationDays: 0 } })).toThrow(/lifecycle\.expirationDays: 0 must be a whole number of days >= 1/);
    expect(() => build({ ...ok, lifecycle: { expirationDays: 1.5 } })).toThrow(/lifecycle\.expirationDays: 1\.5 must be a whole number/);
  });

  it("fails when a CORS origin is plain http, a wildcard, or has a path or trailing slash", () => {
    const error = configError(() =>
      build({
        ...ok,
        cors: { allowedOrigins: ["http://example.com", "*", "https://*.example.com", "https://example.com/", "https://example.com/app"] },
      }),
    );
    expect(error.issues.map((i) => [i.field, i.value])).toEqual([
      ["test-storage/assets.cors.allowedOrigins[0]", "http://example.com"],
      ["test-storage/assets.cors.allowedOrigins[1]", "*"],
      ["test-storage/assets.cors.allowedOrigins[2]", "https://*.example.com"],
      ["test-storage/assets.cors.allowedOrigins[3]", "https://example.com/"],
      ["test-storage/assets.cors.allowedOrigins[4]", "https://example.com/app"],
    ]);
    expect(error.message).toMatch(/must be an exact https origin like "https:\/\/app\.example\.com" or a host like "app\.example\.com"/);
  });

  it("fails when CORS has no origins, an unknown method or a negative max age", () => {
    const error = configError(() =>
      build({ ...ok, cors: { allowedOrigins: [], allowedMethods: ["PATCH" as "GET"], maxAgeSeconds: -1 } }),
    );
    expect(error.issues.map((i) => i.field)).toEqual([
      "test-storage/assets.cors.allowedOrigins",
      "test-storage/assets.cors.allowedMethods[0]",
      "test-storage/assets.cors.maxAgeSeconds",
    ]);
    expect(error.message).toMatch(/allowedMethods\[0\]: "PATCH" must be one of GET, HEAD, PUT, POST, DELETE/);
    expect(error.message).toMatch(/maxAgeSeconds: -1 must be a whole number of seconds from 0 to 86400/);
  });

  it("fails when the explicit bucket name breaks S3 naming rules, and takes AWS's rule on dots", () => {
    for (const [name, problem] of <[string, string][]>[
      ["Bad_Name", "must be 3-63 lower-case letters"],
      ["ab", "must be 3-63 lower-case letters"],
      ["-assets", "must be 3-63 lower-case letters"],
      ["assets..example", "must not contain two adjacent dots"],
      ["xn--assets", 'must not start with "xn--"'],
      ["assets-s3alias", 'must not end with "-s3alias"'],
    ]) {
      expect(() => build({ ...ok, bucketName: name })).toThrow(new RegExp(`assets\\.bucketName: "${name.replace(/\./g, "\\.")}" ${problem}`));
    }
    // One bucket-name rule for the platform (core's bucketNameProblem): dots are valid S3 names.
    expect(() => build({ ...ok, bucketName: "assets.example.com" })).not.toThrow();
  });

  it("fails when namePrefix or purpose are not lower-case names", () => {
    expect(() => build({ namePrefix: "Acme" })).toThrow(/assets\.namePrefix: "Acme" must be lower-case letters/);
    expect(() => build({ ...ok, purpose: "Static Assets" })).toThrow(/assets\.purpose: "Static Assets" must be lower-case/);
  });

  it("fails when the KMS key is not a key ARN", () => {
    expect(() => build({ ...ok, encryption: { type: "KMS", kmsKeyArn: "alias/assets" } })).toThrow(
      /encryption\.kmsKeyArn: "alias\/assets" must be a KMS key ARN/,
    );
  });

  it("fails when an extra statement reuses a reserved sid", () => {
    expect(() =>
      build({ ...ok, additionalPolicyStatements: [{ sid: "DenyInsecureTransport", effect: "Allow", actions: ["s3:GetObject"] }] }),
    ).toThrow(/additionalPolicyStatements\[0\]\.sid: "DenyInsecureTransport" is used by the TLS-only statements/);
  });
});
