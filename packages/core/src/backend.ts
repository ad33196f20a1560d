import { DataTerraformRemoteStateS3, S3Backend, type S3BackendConfig, type TerraformRemoteState } from "cdktf";
import type { Construct } from "constructs";

/**
 * S3 backend that locks with the DynamoDB table **and** S3-native lock files.
 *
 * Terraform 1.11 deprecates DynamoDB locking in favour of `use_lockfile`; with both set,
 * Terraform takes both locks, so teams still on older Terraform keep mutual exclusion
 * while everyone moves over. cdktf 0.21's S3Backend has no `use_lockfile` field, hence
 * the override.
 *
 * Consumers of cross-stack references get a `terraform_remote_state` copy of this backend.
 * Reading state never locks, so that copy carries only what a read needs (bucket, key,
 * region): no `dynamodb_table`, whose deprecation warning would otherwise appear in
 * every consumer's plan.
 */
export class LockedS3Backend extends S3Backend {
  constructor(
    scope: Construct,
    private readonly config: S3BackendConfig,
  ) {
    super(scope, config);
    this.addOverride("use_lockfile", true);
  }

  override getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    return new DataTerraformRemoteStateS3(scope, name, {
      bucket: this.config.bucket,
      key: this.config.key,
      region: this.config.region,
      workspace: "${terraform.workspace}",
    });
  }
}
