import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { awsContextOf, type AwsContext } from "./aws-shapes";
import { EnvironmentStack } from "./stack";

/**
 * The region, partition and account of the environment `scope` is built in, from its
 * `EnvironmentStack`. Constructs call this instead of reading `process.env` or declaring
 * data sources; they still never see the environment itself.
 */
export function awsContext(scope: IConstruct): AwsContext {
  const stack = TerraformStack.of(scope);
  if (!(stack instanceof EnvironmentStack)) {
    throw new Error(
      `${scope.node.path} needs the AWS region, partition and account, but its stack "${stack.node.id}" is not an ` +
        "EnvironmentStack; create the stack with EnvironmentStack (packages/core), which takes them from the environment config.",
    );
  }
  return awsContextOf(stack.environment);
}
