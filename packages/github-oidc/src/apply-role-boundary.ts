import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { CI_IAM_PATH, Validator, applyBoundaryArn, applyBoundaryPolicyName, arn, awsContextOf, checkAccountId } from "@platform/core";
import { Construct } from "constructs";
import { lockStatements } from "./terraform-ci-roles";

export interface ApplyRoleBoundaryProps {
  /** Project name, e.g. `acme`: resource names start with `<project>-<environment>-`. */
  readonly project: string;
  /** The environment the boundary confines to, e.g. `staging`. */
  readonly environment: string;
  /** Account of the environment (ARNs are built at synth). */
  readonly accountId: string;
  /** Region of the environment (gives the partition). */
  readonly region: string;
  /**
   * Tag key whose value is the environment name on every resource (the provider's
   * default_tags, see Environment.tagsFor).
   * @default "environment"
   */
  readonly environmentTagKey?: string;
  /** The environment's state: its keys and lock items stay reachable. */
  readonly state: { readonly bucketName: string; readonly keyPrefix: string; readonly lockTableArn: string };
}

/** Services whose resources this product names `<project>-<env>-…` (ARN patterns are per service: IAM does not match a wildcard service). */
const NAMED_SERVICES = [
  "acm", "application-autoscaling", "cloudwatch", "ec2", "ecr", "ecs", "elasticfilesystem", "elasticloadbalancing",
  "events", "iam", "kms", "lambda", "logs", "rds", "route53", "s3", "scheduler", "sns", "wafv2",
];

/** Read-only actions Terraform's refresh needs across the account (metadata only: no object, parameter or secret values). */
const READ_METADATA = [
  "acm:Describe*", "acm:List*", "acm:GetCertificate", "application-autoscaling:Describe*", "cloudwatch:Describe*",
  "cloudwatch:GetDashboard", "cloudwatch:List*", "ec2:Describe*", "ec2:GetLaunchTemplateData", "ecr:Describe*",
  "ecr:GetAuthorizationToken", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:List*", "ecs:Describe*",
  "ecs:List*", "elasticfilesystem:Describe*", "elasticloadbalancing:Describe*", "events:Describe*", "events:List*",
  "iam:Get*", "iam:List*", "kms:Describe*", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:List*",
  "lambda:GetFunction*", "lambda:GetPolicy", "lambda:List*", "logs:Describe*", "logs:List*", "rds:Describe*",
  "rds:List*", "route53:Get*", "route53:List*", "s3:ListAllMyBuckets", "scheduler:Get*", "scheduler:List*",
  "sns:GetTopicAttributes", "sns:List*", "ssm:DescribeParameters", "sts:GetCallerIdentity", "tag:GetResources",
  "wafv2:Get*", "wafv2:List*",
];

/** Tagging actions, denied on resources tagged for another environment (no adopting prod's resources by re-tagging). */
const TAGGING = [
  "acm:AddTagsToCertificate", "cloudwatch:TagResource", "ec2:CreateTags", "ec2:DeleteTags", "ecr:TagResource",
  "ecs:TagResource", "elasticfilesystem:TagResource", "elasticloadbalancing:AddTags", "events:TagResource",
  "iam:TagRole", "kms:TagResource", "lambda:TagResource", "logs:TagResource", "rds:AddTagsToResource",
  "route53:ChangeTagsForResource", "s3:PutBucketTagging", "scheduler:TagResource", "secretsmanager:TagResource",
  "sns:TagResource", "ssm:AddTagsToResource", "wafv2:TagResource",
];

/**
 * The permissions boundary of an environment's CI apply role when its AWS account is shared with
 * another environment (normally staging beside prod). AdministratorAccess on the role is capped to:
 *
 * - resources named `<project>-<env>-…` (and its `/<project>/<env>/` parameters, RDS-managed
 *   `rds!…` secrets, whose values stay behind each environment's KMS key policy),
 * - resources tagged `environment = <env>`, and creates that tag them so (the provider's default_tags),
 * - metadata reads across the account (no object, parameter or secret values), its own state and locks.
 *
 * It also forbids escaping itself: roles can only be created, or re-bounded, with this exact
 * boundary, the boundary cannot be removed, and the CI policies themselves cannot change; no IAM
 * users or keys. The boundary applies to the roles the environment creates too (every role in its
 * stacks carries it, see PermissionsBoundaryAspect), so a new role never has more than the apply role.
 */
export class ApplyRoleBoundary extends Construct {
  readonly policy: IamPolicy;
  readonly document: DataAwsIamPolicyDocument;
  /** ARN, known at synth: the same string `applyBoundaryArn()` gives the environment's stacks. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ApplyRoleBoundaryProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.check(/^[a-z][a-z0-9-]*$/.test(props.project), "project", props.project, "must be lower-case letters, digits and hyphens.");
    v.check(/^[a-z][a-z0-9-]*$/.test(props.environment), "environment", props.environment, "must be an environment name such as \"staging\".");
    checkAccountId(v, "accountId", props.accountId);
    v.throwIfAny();

    const context = awsContextOf(props);
    const anywhere = (service: string, resource: string) => arn(context, { service, region: "*", account: "*", resource });
    const tagKey = props.environmentTagKey ?? "environment";
    const prefix = `${props.project}-${props.environment}`;
    const name = applyBoundaryPolicyName(props.project, props.environment);
    this.arn = applyBoundaryArn({ project: props.project, name: props.environment, accountId: props.accountId, region: props.region });
    const bucketArn = arn(context, { service: "s3", region: "", account: "", resource: props.state.bucketName });

    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "OwnNamedResources",
        actions: ["*"],
        resources: [
          ...NAMED_SERVICES.map((service) => anywhere(service, `*${prefix}-*`)),
          anywhere("ssm", `parameter/${props.project}/${props.environment}/*`),
          anywhere("secretsmanager", "secret:rds!*"),
        ],
      },
      {
        sid: "OwnTaggedResources",
        actions: ["*"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: `aws:ResourceTag/${tagKey}`, values: [props.environment] }],
      },
      {
        sid: "CreateTaggedResources",
        actions: ["*"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: `aws:RequestTag/${tagKey}`, values: [props.environment] }],
      },
      { sid: "ReadMetadata", actions: READ_METADATA, resources: ["*"] },
      {
        sid: "PublicParameters",
        actions: ["ssm:GetParameter", "ssm:GetParameters"],
        resources: [arn(context, { service: "ssm", region: "*", account: "", resource: "parameter/aws/service/*" })],
      },
      // Account-wide by design: AWS accepts no narrower resource for these.
      {
        sid: "AccountWideActions",
        actions: [
          "iam:CreateServiceLinkedRole",
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        resources: ["*"],
      },
      { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [bucketArn] },
      { sid: "OwnState", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: [`${bucketArn}/${props.state.keyPrefix}*`] },
      ...lockStatements(props.state.bucketName, props.state.keyPrefix, props.state.lockTableArn),
      {
        sid: "DenyRolesWithoutThisBoundary",
        effect: "Deny",
        actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        resources: ["*"],
        condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [this.arn] }],
      },
      {
        sid: "DenyRemovingBoundaries",
        effect: "Deny",
        actions: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary"],
        resources: ["*"],
      },
      {
        sid: "DenyChangingCiPolicies",
        effect: "Deny",
        actions: [
          "iam:CreatePolicy",
          "iam:CreatePolicyVersion",
          "iam:DeletePolicy",
          "iam:DeletePolicyVersion",
          "iam:SetDefaultPolicyVersion",
          "iam:TagPolicy",
          "iam:UntagPolicy",
        ],
        resources: [arn(context, { service: "iam", region: "", resource: `policy${CI_IAM_PATH}*` })],
      },
      {
        sid: "DenyUsersAndKeys",
        effect: "Deny",
        actions: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
        resources: ["*"],
      },
      {
        sid: "DenyRetaggingOtherEnvironments",
        effect: "Deny",
        actions: TAGGING,
        resources: ["*"],
        condition: [
          { test: "StringNotEquals", variable: `aws:ResourceTag/${tagKey}`, values: [props.environment] },
          { test: "Null", variable: `aws:ResourceTag/${tagKey}`, values: ["false"] },
        ],
      },
    ];
    this.document = new DataAwsIamPolicyDocument(this, "document", { statement: statements });
    this.policy = new IamPolicy(this, "policy", {
      name,
      path: CI_IAM_PATH,
      description: `Permissions boundary: confines ${prefix} CI and its roles to ${props.environment}'s resources`,
      policy: this.document.json,
    });
  }
}
