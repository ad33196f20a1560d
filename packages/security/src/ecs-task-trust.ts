import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { Validator } from "@platform/core";
import { accountResourceArnPattern, checkNamePrefix, isKnown } from "@platform/core";
import type { Construct } from "constructs";

/**
 * Trust policy letting ECS tasks assume a role. With an account ID it adds the confused-deputy
 * guards AWS documents for ECS task roles: `aws:SourceAccount` and `aws:SourceArn` of an ECS
 * resource of that account (ArnLike `arn:*:ecs:*:<account>:*`); without one they are omitted,
 * because looking the account up needs `aws_caller_identity`, an API call the offline plan forbids.
 */
export function ecsTasksTrustPolicy(scope: Construct, id: string, accountId: string | undefined): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: [
      {
        sid: "EcsTasksAssumeRole",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
        condition: accountId
          ? [
              { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
              { test: "ArnLike", variable: "aws:SourceArn", values: [accountResourceArnPattern("ecs", accountId)] },
            ]
          : undefined,
      },
    ],
  });
}

export function checkRoleNameParts(v: Validator, namePrefix: string, name: string): void {
  checkNamePrefix(v, namePrefix);
  if (isKnown(name)) {
    v.check(/^[a-z][a-z0-9-]{0,30}$/.test(name), "name", name, "must be 1-31 lower-case letters, digits or hyphens, starting with a letter (e.g. the service key \"web\").");
  }
}
