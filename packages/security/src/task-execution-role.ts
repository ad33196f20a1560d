import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { ARN_SHAPES, NAME_LIMITS, Validator, boundedName, checkAccountId, isKnown } from "@platform/core";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { checkRoleNameParts, ecsTasksTrustPolicy } from "./ecs-task-trust";
import { checkArns } from "./validation";

export interface TaskExecutionRoleProps {
  /** Prefix of the role name, e.g. `acme-staging`. */
  readonly namePrefix: string;
  /** Service key, e.g. `web`; the role is `<namePrefix>-<name>-execution` (shortened within 64). */
  readonly name: string;
  /** ECR repositories the task's images come from; empty when images are not in ECR. */
  readonly repositoryArns: string[];
  /** Log groups the containers' awslogs driver writes to (plain group ARNs, without `:*`). */
  readonly logGroupArns: string[];
  /**
   * Secrets Manager secrets injected as container `secrets` (exact ARNs).
   * @default none
   */
  readonly secretArns?: string[];
  /**
   * SSM parameters injected as container `secrets` (exact ARNs). SecureStrings under the
   * default `aws/ssm` key need no KMS grant.
   * @default none
   */
  readonly parameterArns?: string[];
  /**
   * Customer managed KMS keys that encrypt those secrets or parameters.
   * @default none (AWS managed keys need no grant)
   */
  readonly kmsKeyArns?: string[];
  /**
   * Account ID for the `aws:SourceAccount` trust condition.
   * @default no condition (the account is not known offline)
   */
  readonly accountId?: string;
}

/**
 * The role the ECS agent uses to start a task: pull its images, create its log streams and
 * resolve its `secrets`. Every statement names exact resources, except `ecr:GetAuthorizationToken`,
 * which AWS only accepts on `*`. A statement whose resource list is empty is left out.
 */
export class TaskExecutionRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  /** The permissions document; absent when no statement applies. */
  readonly policyDocument?: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: TaskExecutionRoleProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    checkRoleNameParts(v, props.namePrefix, props.name);
    if (props.accountId !== undefined) checkAccountId(v, "accountId", props.accountId);
    checkArns(v, "repositoryArns", props.repositoryArns, ARN_SHAPES.ecrRepository, "aws_ecr_repository.arn");
    checkArns(v, "logGroupArns", props.logGroupArns, ARN_SHAPES.logGroup, "aws_cloudwatch_log_group.arn");
    for (const arn of isKnown(props.logGroupArns) ? props.logGroupArns : []) {
      if (isKnown(arn)) v.check(!arn.endsWith(":*"), "logGroupArns", arn, "must be the plain log group ARN; the role appends :* itself.");
    }
    checkArns(v, "secretArns", props.secretArns, ARN_SHAPES.secretLoose, "aws_secretsmanager_secret.arn");
    checkArns(v, "parameterArns", props.parameterArns, ARN_SHAPES.ssmParameter, "aws_ssm_parameter.arn");
    checkArns(v, "kmsKeyArns", props.kmsKeyArns, ARN_SHAPES.kmsKey, "aws_kms_key.arn");
    v.throwIfAny();

    const statements: DataAwsIamPolicyDocumentStatement[] = [];
    if (nonEmpty(props.repositoryArns)) {
      // GetAuthorizationToken is account-wide: AWS does not support a resource scope for it.
      statements.push({ sid: "EcrAuthToken", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
      statements.push({
        sid: "EcrPull",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        resources: props.repositoryArns,
      });
    }
    if (nonEmpty(props.logGroupArns)) {
      statements.push({
        sid: "WriteLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: streamArns(props.logGroupArns),
      });
    }
    if (nonEmpty(props.secretArns)) {
      statements.push({ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: props.secretArns });
    }
    if (nonEmpty(props.parameterArns)) {
      statements.push({ sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: props.parameterArns });
    }
    if (nonEmpty(props.kmsKeyArns)) {
      // Only as SSM or Secrets Manager resolve the task's secrets: never a direct decrypt.
      statements.push({
        sid: "DecryptSecrets",
        actions: ["kms:Decrypt"],
        resources: props.kmsKeyArns,
        condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] }],
      });
    }

    const trust = ecsTasksTrustPolicy(this, "trust", props.accountId);
    const name = boundedName([props.namePrefix, props.name, "execution"], NAME_LIMITS.iamRoleName);
    this.role = new IamRole(this, "role", {
      name,
      description: `ECS task execution role of ${props.namePrefix} ${props.name}: image pull, logs, secrets`,
      assumeRolePolicy: trust.json,
    });
    this.arn = this.role.arn;
    if (statements.length > 0) {
      this.policyDocument = new DataAwsIamPolicyDocument(this, "permissions", { statement: statements });
      new IamRolePolicy(this, "policy", { name: "execution", role: this.role.id, policy: this.policyDocument.json });
    }
  }
}

/** A list that may be a token (assumed non-empty: the producer decides) or a literal with entries. */
function nonEmpty(list: readonly string[] | undefined): list is string[] {
  if (list === undefined) return false;
  return !isKnown(list as string[]) || list.length > 0;
}

/** `<arn>:*` for every ARN; a token list is mapped by Terraform's `formatlist`. */
function streamArns(list: string[]): string[] {
  return isKnown(list) ? list.map((arn) => `${arn}:*`) : Fn.formatlist("%s:*", [list]);
}
