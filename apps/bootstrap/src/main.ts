import { EnvironmentStack, defineEnvironment } from "@platform/core";
import { StateStore } from "@platform/state";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { account } from "./config";

/**
 * The `bootstrap` stack: the state bucket and lock table every other stack uses. It keeps
 * its own state locally until the bucket exists (see the README to move it in).
 */
export function buildBootstrap(scope: Construct): EnvironmentStack {
  const environment = defineEnvironment({ ...account, name: "account" });
  const stack = new EnvironmentStack(scope, {
    environment,
    layer: "bootstrap",
    stackName: "bootstrap",
    stateBackend: "local",
  });
  const store = new StateStore(stack, "state", {
    bucketName: account.state.bucket,
    lockTableName: account.state.lockTable,
  });
  new TerraformOutput(stack, "state_bucket", { value: store.bucket.bucket.bucket, description: "S3 bucket holding Terraform state" });
  new TerraformOutput(stack, "lock_table", { value: store.lockTable.name, description: "DynamoDB table for state locks" });
  return stack;
}
