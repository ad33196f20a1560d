import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { NAME_LIMITS, Validator, boundedName, checkBucketName, checkNamePrefix } from "@platform/core";
import { Construct } from "constructs";
import { createBucketBaseline, type BucketBaseline } from "./bucket-baseline";
import { checkCors, corsRule, type BucketCors } from "./cors";
import type { BucketEncryption } from "./encryption";
import type { StorageRef } from "./refs";
import { checkDays, checkEncryption, checkPurpose } from "./validation";

/** Object lifecycle. Days count from object creation (current) or from becoming noncurrent. */
export interface AssetLifecycle {
  /**
   * Move current objects to STANDARD_IA after this many days (>= 30, an S3 minimum).
   * Objects under 128 KiB are not moved (they would cost more in IA).
   * @default never
   */
  readonly transitionToInfrequentAccessDays?: number;
  /**
   * Expire current objects after this many days; must be later than the IA transition.
   * On a versioned bucket this adds a delete marker and the object becomes noncurrent.
   * @default never
   */
  readonly expirationDays?: number;
  /**
   * Move noncurrent versions to STANDARD_IA this many days after they become noncurrent
   * (>= 30). Versioned buckets only.
   * @default never
   */
  readonly noncurrentTransitionToInfrequentAccessDays?: number;
  /**
   * Delete noncurrent versions this many days after they become noncurrent: the window in
   * which an overwritten or deleted asset can be restored. Versioned buckets only.
   * @default 90
   */
  readonly noncurrentExpirationDays?: number;
}

export interface AssetBucketProps {
  /** Prefix of the derived bucket name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /**
   * What the bucket holds; the derived name is `<namePrefix>-<purpose>`.
   * @default "assets"
   */
  readonly purpose?: string;
  /**
   * Exact bucket name. Bucket names are global across all AWS accounts, so a derived name
   * can already be taken; set this (e.g. with the account ID in it) when it is. Changing it
   * replaces the bucket.
   * @default `<namePrefix>-<purpose>`, shortened with a hash to 63 characters
   */
  readonly bucketName?: string;
  /**
   * Default encryption of new objects.
   * @default { type: "AES256" }
   */
  readonly encryption?: BucketEncryption;
  /**
   * Keep previous versions of overwritten and deleted objects.
   * @default true
   */
  readonly versioned?: boolean;
  /**
   * Storage class transitions and expirations. Incomplete multipart uploads are always
   * aborted after 7 days.
   * @default noncurrent versions expire after 90 days; nothing else
   */
  readonly lifecycle?: AssetLifecycle;
  /**
   * Browser cross-origin access.
   * @default no CORS configuration (browsers cannot call the bucket from other origins)
   */
  readonly cors?: BucketCors;
  /**
   * Extra bucket policy statements, e.g. CloudFront origin access control reads. They are
   * appended after the TLS-only denies; a public statement is refused by the public access block.
   * @default none
   */
  readonly additionalPolicyStatements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Let `terraform destroy` delete a bucket that still holds objects.
   * @default false (destroy fails while objects exist)
   */
  readonly forceDestroy?: boolean;
}

export const DEFAULT_NONCURRENT_EXPIRATION_DAYS = 90;
/** S3 refuses STANDARD_IA transitions earlier than 30 days. */
export const MIN_INFREQUENT_ACCESS_DAYS = 30;
const RESERVED_SIDS = ["DenyInsecureTransport", "DenyOutdatedTls"];

/**
 * A private bucket for static assets: no public access, ACLs disabled, encrypted, TLS-only,
 * versioned by default, with lifecycle rules and optional CORS.
 */
export class AssetBucket extends Construct implements BucketBaseline {
  readonly bucket: BucketBaseline["bucket"];
  readonly publicAccessBlock: BucketBaseline["publicAccessBlock"];
  readonly ownershipControls: BucketBaseline["ownershipControls"];
  readonly encryption: BucketBaseline["encryption"];
  readonly versioning?: BucketBaseline["versioning"];
  readonly lifecycle: BucketBaseline["lifecycle"];
  readonly policyDocument: BucketBaseline["policyDocument"];
  readonly policy: BucketBaseline["policy"];
  readonly cors?: S3BucketCorsConfiguration;
  readonly ref: StorageRef;

  constructor(scope: Construct, id: string, props: AssetBucketProps) {
    super(scope, id);
    const versioned = props.versioned ?? true;
    const purpose = props.purpose ?? "assets";
    const bucketName = props.bucketName ?? boundedName([props.namePrefix, purpose], NAME_LIMITS.s3BucketName);
    validate(new Validator(this.node.path), props, versioned, purpose, bucketName);

    const baseline = createBucketBaseline(this, {
      bucketName,
      forceDestroy: props.forceDestroy ?? false,
      encryption: props.encryption ?? { type: "AES256" },
      versioned,
      lifecycleRules: lifecycleRules(props.lifecycle ?? {}, versioned),
      policyStatements: () => [...(props.additionalPolicyStatements ?? [])],
    });
    this.bucket = baseline.bucket;
    this.publicAccessBlock = baseline.publicAccessBlock;
    this.ownershipControls = baseline.ownershipControls;
    this.encryption = baseline.encryption;
    this.versioning = baseline.versioning;
    this.lifecycle = baseline.lifecycle;
    this.policyDocument = baseline.policyDocument;
    this.policy = baseline.policy;
    this.ref = baseline.ref;

    if (props.cors) {
      this.cors = new S3BucketCorsConfiguration(this, "cors", {
        bucket: this.bucket.id,
        corsRule: [corsRule(props.cors)],
      });
    }
  }
}

function lifecycleRules(l: AssetLifecycle, versioned: boolean): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [];
  if (l.transitionToInfrequentAccessDays !== undefined || l.expirationDays !== undefined) {
    rules.push({
      id: "current-versions",
      status: "Enabled",
      filter: [{}],
      transition:
        l.transitionToInfrequentAccessDays !== undefined
          ? [{ days: l.transitionToInfrequentAccessDays, storageClass: "STANDARD_IA" }]
          : undefined,
      expiration: l.expirationDays !== undefined ? [{ days: l.expirationDays }] : undefined,
    });
  }
  if (versioned) {
    rules.push({
      id: "noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      noncurrentVersionTransition:
        l.noncurrentTransitionToInfrequentAccessDays !== undefined
          ? [{ noncurrentDays: l.noncurrentTransitionToInfrequentAccessDays, storageClass: "STANDARD_IA" }]
          : undefined,
      noncurrentVersionExpiration: [
        { noncurrentDays: l.noncurrentExpirationDays ?? DEFAULT_NONCURRENT_EXPIRATION_DAYS },
      ],
    });
  }
  return rules;
}

function validate(v: Validator, props: AssetBucketProps, versioned: boolean, purpose: string, bucketName: string): void {
  if (props.bucketName === undefined) {
    checkNamePrefix(v, props.namePrefix);
    checkPurpose(v, purpose);
  }
  if (v.ok) checkBucketName(v, "bucketName", bucketName);
  checkEncryption(v, props.encryption);
  checkCors(v, props.cors);

  const l = props.lifecycle ?? {};
  const ia = ` (S3 minimum for STANDARD_IA)`;
  const transition = checkDays(v, "lifecycle.transitionToInfrequentAccessDays", l.transitionToInfrequentAccessDays, MIN_INFREQUENT_ACCESS_DAYS, ia);
  const expiration = checkDays(v, "lifecycle.expirationDays", l.expirationDays, 1);
  if (transition !== undefined && expiration !== undefined) {
    v.check(
      expiration > transition,
      "lifecycle.expirationDays",
      expiration,
      `must be greater than lifecycle.transitionToInfrequentAccessDays (${transition}); S3 rejects an expiration at or before the transition.`,
    );
  }
  for (const field of ["noncurrentTransitionToInfrequentAccessDays", "noncurrentExpirationDays"] as const) {
    if (!versioned && l[field] !== undefined) {
      v.fail(`lifecycle.${field}`, l[field], "applies only to versioned buckets; remove it or set versioned: true.");
    }
  }
  if (versioned) {
    const ncTransition = checkDays(v, "lifecycle.noncurrentTransitionToInfrequentAccessDays", l.noncurrentTransitionToInfrequentAccessDays, MIN_INFREQUENT_ACCESS_DAYS, ia);
    const ncExpiration = checkDays(v, "lifecycle.noncurrentExpirationDays", l.noncurrentExpirationDays ?? DEFAULT_NONCURRENT_EXPIRATION_DAYS, 1);
    if (ncTransition !== undefined && ncExpiration !== undefined) {
      v.check(
        ncExpiration > ncTransition,
        "lifecycle.noncurrentExpirationDays",
        ncExpiration,
        `must be greater than lifecycle.noncurrentTransitionToInfrequentAccessDays (${ncTransition})${l.noncurrentExpirationDays === undefined ? "; the default is 90, so set it explicitly" : ""}.`,
      );
    }
  }

  (props.additionalPolicyStatements ?? []).forEach((s, i) => {
    if (s.sid !== undefined) {
      v.check(!RESERVED_SIDS.includes(s.sid), `additionalPolicyStatements[${i}].sid`, s.sid, `is used by the TLS-only statements; pick another (reserved: ${RESERVED_SIDS.join(", ")}).`);
    }
  });
  v.throwIfAny();
}
