import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { EnvironmentStack } from "./stack";

/**
 * Where a stack's resources live. All three are known at synth from the environment config,
 * so no construct looks them up (`aws_region`, `aws_partition`, `aws_caller_identity`), splits
 * them out of another resource's ARN, or reads them from another stack.
 */
export interface AwsContext {
  /** e.g. `ap-northeast-1`: the region of the stack's provider. */
  readonly region: string;
  /** ARN partition of the region: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** 12-digit account the stack's provider is limited to (`allowed_account_ids`). */
  readonly accountId: string;
}

/** ARN partition of a region (`cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`, else `aws`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

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
  const { region, accountId } = stack.environment;
  return { region, partition: partitionOf(region), accountId };
}

export interface ArnParts {
  /** Service namespace, e.g. `ssm`, `logs`, `iam`, `s3`. */
  readonly service: string;
  /** Everything after the account field, e.g. `parameter/acme/staging/DATABASE_URL`, `log-group:*`. */
  readonly resource: string;
  /**
   * Region field; `""` for global services (IAM, S3).
   * @default the context's region
   */
  readonly region?: string;
  /**
   * Account field; `""` for S3 buckets, `"aws"` for AWS managed IAM policies.
   * @default the context's account
   */
  readonly account?: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` in the context's partition. */
export function arn(context: AwsContext, parts: ArnParts): string {
  const region = parts.region ?? context.region;
  const account = parts.account ?? context.accountId;
  return `arn:${context.partition}:${parts.service}:${region}:${account}:${parts.resource}`;
}

/** ARN of an AWS managed IAM policy, e.g. `service-role/AmazonRDSEnhancedMonitoringRole`. */
export function awsManagedPolicyArn(context: AwsContext, name: string): string {
  return arn(context, { service: "iam", region: "", account: "aws", resource: `policy/${name}` });
}
