import { NAME_LIMITS, Validator, boundedName, checkBucketName, checkNamePrefix, isKnown, isRegionName } from "@platform/core";
import { Construct } from "constructs";
import { createBucketBaseline, type BucketBaseline } from "./bucket-baseline";
import { elbLogDeliveryPrincipal } from "./elb-log-delivery";
import type { AccessLogBucketRef } from "./refs";
import { checkDays, checkPurpose } from "./validation";

export interface AccessLogBucketProps {
  /** Prefix of the derived bucket name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /**
   * What the bucket holds; the derived name is `<namePrefix>-<purpose>`.
   * @default "alb-logs"
   */
  readonly purpose?: string;
  /**
   * Exact bucket name (bucket names are global; set it when the derived one is taken).
   * Changing it replaces the bucket.
   * @default `<namePrefix>-<purpose>`, shortened with a hash to 63 characters
   */
  readonly bucketName?: string;
  /**
   * Region of the bucket and of the load balancers writing to it (ALBs only log to a bucket
   * in their own region). Picks the log delivery principal.
   */
  readonly region: string;
  /** 12-digit ID of the account owning the load balancers: logs land under `AWSLogs/<accountId>/`. */
  readonly accountId: string;
  /**
   * Key prefix the load balancers are configured with (`access_logs.prefix`); log delivery
   * may write only under `<logPrefix>/AWSLogs/<accountId>/`. Empty string for no prefix.
   * @default "alb"
   */
  readonly logPrefix?: string;
  /**
   * Days a log object is kept before it expires.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Let `terraform destroy` delete the bucket while it still holds logs.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 90;
// Object key characters S3 documents as safe; "AWSLogs" is refused by ELB in a prefix.
const LOG_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * A private bucket that Application Load Balancers deliver access logs to. Encrypted with
 * SSE-S3 because ALB log delivery does not support SSE-KMS; unversioned because log objects
 * are written once and expire by lifecycle.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: BucketBaseline["bucket"];
  readonly publicAccessBlock: BucketBaseline["publicAccessBlock"];
  readonly ownershipControls: BucketBaseline["ownershipControls"];
  readonly encryption: BucketBaseline["encryption"];
  readonly lifecycle: BucketBaseline["lifecycle"];
  readonly policyDocument: BucketBaseline["policyDocument"];
  readonly policy: BucketBaseline["policy"];
  readonly logPrefix: string;
  readonly ref: AccessLogBucketRef;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const purpose = props.purpose ?? "alb-logs";
    const logPrefix = props.logPrefix ?? "alb";
    const bucketName = props.bucketName ?? boundedName([props.namePrefix, purpose], NAME_LIMITS.s3BucketName);
    validate(new Validator(this.node.path), props, purpose, logPrefix, bucketName);

    const logRetentionDays = props.logRetentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;
    const keyPrefix = logPrefix === "" ? "" : `${logPrefix}/`;
    const baseline = createBucketBaseline(this, {
      bucketName,
      forceDestroy: props.forceDestroy ?? false,
      encryption: { type: "AES256" },
      versioned: false,
      lifecycleRules: [
        { id: "expire-logs", status: "Enabled", filter: [{}], expiration: [{ days: logRetentionDays }] },
      ],
      policyStatements: (bucketArn) => [
        {
          sid: "AllowLoadBalancerLogDelivery",
          effect: "Allow",
          principals: [elbLogDeliveryPrincipal(props.region)],
          actions: ["s3:PutObject"],
          resources: [`${bucketArn}/${keyPrefix}AWSLogs/${props.accountId}/*`],
        },
      ],
    });
    this.bucket = baseline.bucket;
    this.publicAccessBlock = baseline.publicAccessBlock;
    this.ownershipControls = baseline.ownershipControls;
    this.encryption = baseline.encryption;
    this.lifecycle = baseline.lifecycle;
    this.policyDocument = baseline.policyDocument;
    this.policy = baseline.policy;
    this.logPrefix = logPrefix;
    this.ref = { ...baseline.ref, logPrefix };
  }
}

function validate(v: Validator, props: AccessLogBucketProps, purpose: string, logPrefix: string, bucketName: string): void {
  if (props.bucketName === undefined) {
    checkNamePrefix(v, props.namePrefix);
    checkPurpose(v, purpose);
  }
  if (v.ok) checkBucketName(v, "bucketName", bucketName);
  v.check(
    typeof props.region === "string" && isRegionName(props.region),
    "region",
    props.region,
    'must be the AWS region of the bucket and its load balancers, e.g. "ap-northeast-1".',
  );
  if (props.accountId === undefined || isKnown(props.accountId)) {
    v.check(
      typeof props.accountId === "string" && ACCOUNT_ID_PATTERN.test(props.accountId),
      "accountId",
      props.accountId,
      "must be the 12-digit ID of the account that owns the load balancers.",
    );
  }
  if (isKnown(logPrefix) && logPrefix !== "") {
    v.check(
      LOG_PREFIX_PATTERN.test(logPrefix) && !logPrefix.includes("AWSLogs"),
      "logPrefix",
      logPrefix,
      'must be key segments of letters, digits and !_.*\'()- joined by "/", with no leading or trailing "/" and without "AWSLogs" (e.g. "alb" or "prod/web"); use "" for no prefix.',
    );
  }
  checkDays(v, "logRetentionDays", props.logRetentionDays, 1);
  v.throwIfAny();
}
