import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Validator, isKnown } from "@platform/core";
import { createBucketBaseline, type BucketBaseline, type BucketEncryption } from "@platform/storage";
import { Construct } from "constructs";

export interface StateStoreProps {
  /** Bucket for every stack's state, e.g. `myapp-terraform-state`; S3 names are global. */
  readonly bucketName: string;
  /** DynamoDB lock table, e.g. `myapp-terraform-locks`. */
  readonly lockTableName: string;
  /**
   * Default encryption of state objects. State holds every attribute of every resource
   * (including values marked sensitive), so it is always encrypted.
   * @default SSE-S3 (AES256)
   */
  readonly encryption?: BucketEncryption;
  /**
   * Days an overwritten state version is kept: the window in which a broken apply can be
   * rolled back by restoring the previous version.
   * @default 90
   */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Noncurrent versions kept regardless of age, so a burst of applies cannot push every
   * good version out of the window.
   * @default 10
   */
  readonly noncurrentVersionsToKeep?: number;
}

/**
 * Where Terraform keeps state: a versioned, encrypted, private, TLS-only S3 bucket and a
 * DynamoDB lock table. Both refuse deletion (`prevent_destroy`, table deletion protection):
 * losing them loses track of every resource in every environment.
 */
export class StateStore extends Construct {
  readonly bucket: BucketBaseline;
  readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateStoreProps) {
    super(scope, id);
    const retentionDays = props.noncurrentVersionRetentionDays ?? 90;
    const versionsToKeep = props.noncurrentVersionsToKeep ?? 10;
    const v = new Validator(this.node.path);
    if (isKnown(props.lockTableName)) {
      v.check(
        /^[A-Za-z0-9_.-]{3,255}$/.test(props.lockTableName),
        "lockTableName",
        props.lockTableName,
        "must be 3-255 characters of letters, digits, '_', '.' and '-'.",
      );
    }
    v.check(Number.isInteger(retentionDays) && retentionDays >= 1, "noncurrentVersionRetentionDays", retentionDays, "must be a whole number of days, at least 1.");
    v.check(Number.isInteger(versionsToKeep) && versionsToKeep >= 1 && versionsToKeep <= 100, "noncurrentVersionsToKeep", versionsToKeep, "must be between 1 and 100 (the S3 limit).");
    v.throwIfAny();

    this.bucket = createBucketBaseline(this, {
      bucketName: props.bucketName,
      forceDestroy: false,
      encryption: props.encryption ?? { type: "AES256" },
      versioned: true,
      lifecycleRules: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [
            { noncurrentDays: retentionDays, newerNoncurrentVersions: versionsToKeep },
          ],
        },
      ],
      policyStatements: () => [],
    });
    this.bucket.bucket.addOverride("lifecycle.prevent_destroy", true);

    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: props.lockTableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
    });
    this.lockTable.addOverride("lifecycle.prevent_destroy", true);
  }
}
