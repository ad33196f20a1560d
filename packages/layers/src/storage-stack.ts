import { EnvironmentStack, type Environment } from "@platform/core";
import { AccessLogBucket, AssetBucket, type AccessLogBucketRef, type StorageRef } from "@platform/storage";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { StorageConfig } from "./environment-config";

/** `<env>-storage`: the static asset bucket, and the ALB access log bucket when asked. */
export class StorageStack extends EnvironmentStack {
  readonly assets: AssetBucket;
  readonly albLogs?: AccessLogBucket;
  readonly ref: { readonly assets: StorageRef; readonly albLogs?: AccessLogBucketRef };

  /** `teardownAllowed`: buckets are deleted with their objects (`teardown: "allowed"`). */
  constructor(scope: Construct, environment: Environment, config: StorageConfig, options: { readonly teardownAllowed?: boolean } = {}) {
    super(scope, { environment, layer: "storage" });
    const namePrefix = `${environment.project}-${environment.name}`;
    this.assets = new AssetBucket(this, "assets", {
      namePrefix,
      // Bucket names are global; the account ID keeps ours from colliding with anyone's.
      bucketName: config.assetsBucketName ?? `${namePrefix}-assets-${environment.accountId}`,
      versioned: config.versioned,
      lifecycle: config.lifecycle,
      cors: config.corsOrigins ? { allowedOrigins: config.corsOrigins } : undefined,
      forceDestroy: options.teardownAllowed ?? false,
    });
    if (config.albAccessLogs) {
      this.albLogs = new AccessLogBucket(this, "alb-logs", {
        namePrefix,
        bucketName: config.albAccessLogs.bucketName ?? `${namePrefix}-alb-logs-${environment.accountId}`,
        region: environment.region,
        accountId: environment.accountId,
        logRetentionDays: config.albAccessLogs.retentionDays,
        forceDestroy: options.teardownAllowed ?? false,
      });
    }
    this.ref = { assets: this.assets.ref, albLogs: this.albLogs?.ref };
    new TerraformOutput(this, "assets_bucket", { value: this.assets.ref.bucketName, description: "Static asset bucket" });
  }
}
