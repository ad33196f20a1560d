import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { Construct } from "constructs";
import { encryptionRule, type BucketEncryption } from "./encryption";
import type { StorageRef } from "./refs";

/** Incomplete multipart uploads are invisible in listings but billed; every bucket drops them after a week. */
export const ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7;

export interface BaselineOptions {
  readonly bucketName: string;
  readonly forceDestroy: boolean;
  readonly encryption: BucketEncryption;
  readonly versioned: boolean;
  /** Rules besides the always-present multipart cleanup. */
  readonly lifecycleRules: readonly S3BucketLifecycleConfigurationRule[];
  /** Statements after the TLS-only denies; receives the bucket ARN. */
  readonly policyStatements: (bucketArn: string) => DataAwsIamPolicyDocumentStatement[];
}

/** The resources every private bucket of the platform is made of. */
export interface BucketBaseline {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly ownershipControls: S3BucketOwnershipControls;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly versioning?: S3BucketVersioningA;
  readonly lifecycle: S3BucketLifecycleConfiguration;
  readonly policyDocument: DataAwsIamPolicyDocument;
  readonly policy: S3BucketPolicy;
  readonly ref: StorageRef;
}

/**
 * Denies any request over plain HTTP or TLS older than 1.2, for every principal,
 * on the bucket and its objects.
 */
export function tlsOnlyStatements(bucketArn: string): DataAwsIamPolicyDocumentStatement[] {
  const everyone = [{ type: "*", identifiers: ["*"] }];
  const resources = [bucketArn, `${bucketArn}/*`];
  return [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: everyone,
      actions: ["s3:*"],
      resources,
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
    {
      sid: "DenyOutdatedTls",
      effect: "Deny",
      principals: everyone,
      actions: ["s3:*"],
      resources,
      condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
    },
  ];
}

/**
 * Creates a private bucket in `scope`: no public access at all, ACLs disabled (bucket owner
 * owns every object), default encryption, TLS-only policy, optional versioning, lifecycle.
 * Construct IDs are literal so Terraform addresses stay stable.
 */
export function createBucketBaseline(scope: Construct, o: BaselineOptions): BucketBaseline {
  const bucket = new S3Bucket(scope, "bucket", { bucket: o.bucketName, forceDestroy: o.forceDestroy });

  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });

  const ownershipControls = new S3BucketOwnershipControls(scope, "ownership-controls", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });

  const encryption = new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    bucket: bucket.id,
    rule: [encryptionRule(o.encryption)],
  });

  // Unversioned buckets get no versioning resource: "Disabled" cannot be set once a bucket
  // was ever versioned, while removing the resource suspends versioning cleanly.
  const versioning = o.versioned
    ? new S3BucketVersioningA(scope, "versioning", {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
      })
    : undefined;

  const lifecycle = new S3BucketLifecycleConfiguration(scope, "lifecycle", {
    bucket: bucket.id,
    rule: [
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS }],
      },
      ...o.lifecycleRules,
    ],
    // Noncurrent-version rules only make sense once versioning is on (AWS recommends this order).
    dependsOn: versioning ? [versioning] : undefined,
  });

  const policyDocument = new DataAwsIamPolicyDocument(scope, "policy-document", {
    statement: [...tlsOnlyStatements(bucket.arn), ...o.policyStatements(bucket.arn)],
  });

  const policy = new S3BucketPolicy(scope, "policy", {
    bucket: bucket.id,
    policy: policyDocument.json,
    // Putting a policy while the public access block is still being applied can fail with
    // OperationAborted; order them.
    dependsOn: [publicAccessBlock],
  });

  return {
    bucket,
    publicAccessBlock,
    ownershipControls,
    encryption,
    versioning,
    lifecycle,
    policyDocument,
    policy,
    ref: {
      bucketName: bucket.bucket,
      bucketArn: bucket.arn,
      bucketRegionalDomainName: bucket.bucketRegionalDomainName,
    },
  };
}
