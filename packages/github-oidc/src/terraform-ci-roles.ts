import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { NAME_LIMITS, Validator, awsContext, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import { GITHUB_ROLE_PATH, GithubActionsRole } from "./github-actions-role";
import { GITHUB_OIDC_HOST } from "./github-oidc-provider";
import type { GithubRepository, GithubSubject } from "./subjects";

/** Where the environment's Terraform state lives (the bootstrap stack's StateStore). */
export interface TerraformStateLocation {
  /** State bucket name. */
  readonly bucketName: string;
  /** ARN of the DynamoDB lock table. */
  readonly lockTableArn: string;
  /** Key prefix of this environment's state files, e.g. `staging/` (keys are `<env>/<stack>.tfstate`). */
  readonly keyPrefix: string;
  /**
   * Key prefixes of other environments' state in the same bucket, which these roles are
   * denied: state holds every attribute of every resource, secrets included.
   * @default none
   */
  readonly deniedKeyPrefixes?: readonly string[];
}

export interface TerraformCiRolesProps {
  /** Prefix of the role names, e.g. `myapp-staging`; roles are `<prefix>-github-plan` / `-github-apply`. */
  readonly namePrefix: string;
  /** ARN of the account's GitHub OIDC provider. */
  readonly providerArn: string;
  /** The repository whose workflows plan and apply this environment. */
  readonly repository: GithubRepository;
  /** The environment's state. */
  readonly state: TerraformStateLocation;
  /**
   * GitHub environment of the deploy job (`environment:` in the workflow) whose jobs may
   * assume the apply role. Restrict it to the branch `main` in the repository settings.
   */
  readonly githubEnvironment: string;
  /**
   * Who may assume the read-only plan role.
   * @default [{ pullRequest: true }]
   */
  readonly planSubjects?: readonly GithubSubject[];
  /**
   * Managed policies of the apply role, keyed by construct ID.
   * @default { admin: AdministratorAccess }: stacks create IAM roles, so PowerUserAccess is not
   * enough; the inline denies below fence it in
   */
  readonly applyManagedPolicyArns?: Readonly<Record<string, string>>;
  /**
   * Longest apply session a workflow may ask for.
   * @default 3600 (raise for slow creates such as a first Aurora cluster, and pass
   * `role-duration-seconds` in the workflow)
   */
  readonly applyMaxSessionSeconds?: number;
}

/**
 * The two roles GitHub Actions uses for one environment:
 *
 * - **plan** (pull requests): ReadOnlyAccess, read of this environment's state keys, and the
 *   writes a plan's lock needs (lock table items, `*.tflock` objects). Denied other
 *   environments' state.
 * - **apply** (jobs of one GitHub environment): AdministratorAccess fenced by explicit denies:
 *   no other environment's state, no change to the state bucket or lock table themselves, no
 *   change to any GitHub Actions role or the OIDC provider (so a workflow cannot widen its
 *   own trust), and no IAM users or access keys (no long-lived credentials).
 */
export class TerraformCiRoles extends Construct {
  readonly plan: GithubActionsRole;
  readonly apply: GithubActionsRole;

  constructor(scope: Construct, id: string, props: TerraformCiRolesProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const prefixOk = (p: string) => /^[A-Za-z0-9._-]+\/$/.test(p);
    v.check(prefixOk(props.state.keyPrefix), "state.keyPrefix", props.state.keyPrefix, "must be one path segment ending in '/', e.g. \"staging/\".");
    (props.state.deniedKeyPrefixes ?? []).forEach((p, i) => {
      v.check(prefixOk(p), `state.deniedKeyPrefixes[${i}]`, p, "must be one path segment ending in '/', e.g. \"prod/\".");
      v.check(p !== props.state.keyPrefix, `state.deniedKeyPrefixes[${i}]`, p, "must not be the environment's own key prefix.");
    });
    if (isKnown(props.state.bucketName)) {
      v.check(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.state.bucketName), "state.bucketName", props.state.bucketName, "must be an S3 bucket name.");
    }
    v.throwIfAny();

    const { partition } = awsContext(this);
    const bucketArn = `arn:${partition}:s3:::${props.state.bucketName}`;
    const ownState = `${bucketArn}/${props.state.keyPrefix}*`;
    const otherState = (props.state.deniedKeyPrefixes ?? []).map((p) => `${bucketArn}/${p}*`);
    const lockActions = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"];
    const denyOtherState: DataAwsIamPolicyDocumentStatement[] =
      otherState.length > 0
        ? [{ sid: "DenyOtherEnvironmentsState", effect: "Deny", actions: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*"], resources: otherState }]
        : [];

    this.plan = new GithubActionsRole(this, "plan", {
      providerArn: props.providerArn,
      repository: props.repository,
      subjects: props.planSubjects ?? [{ pullRequest: true }],
      roleName: boundedName([props.namePrefix, "github-plan"], NAME_LIMITS.iamRoleName),
      description: `Read-only terraform plan of ${props.state.keyPrefix}* from pull requests`,
      managedPolicyArns: { "read-only": `arn:${partition}:iam::aws:policy/ReadOnlyAccess` },
      statements: [
        { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [bucketArn] },
        { sid: "ReadState", actions: ["s3:GetObject"], resources: [ownState] },
        { sid: "WriteLockFiles", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`${bucketArn}/${props.state.keyPrefix}*.tflock`] },
        { sid: "LockTable", actions: lockActions, resources: [props.state.lockTableArn] },
        ...denyOtherState,
      ],
    });

    this.apply = new GithubActionsRole(this, "apply", {
      providerArn: props.providerArn,
      repository: props.repository,
      subjects: [{ environment: props.githubEnvironment }],
      roleName: boundedName([props.namePrefix, "github-apply"], NAME_LIMITS.iamRoleName),
      description: `terraform apply of ${props.state.keyPrefix}* from the ${props.githubEnvironment} environment`,
      managedPolicyArns: props.applyManagedPolicyArns ?? { admin: `arn:${partition}:iam::aws:policy/AdministratorAccess` },
      maxSessionSeconds: props.applyMaxSessionSeconds,
      statements: [
        { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [bucketArn] },
        { sid: "ReadWriteState", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: [ownState] },
        { sid: "LockTable", actions: lockActions, resources: [props.state.lockTableArn] },
        ...denyOtherState,
        {
          sid: "ProtectStateStore",
          effect: "Deny",
          actions: [
            "s3:DeleteBucket*",
            "s3:PutBucketPolicy",
            "s3:PutBucketVersioning",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketOwnershipControls",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:PutReplicationConfiguration",
            "s3:DeleteObjectVersion",
            "dynamodb:DeleteTable",
            "dynamodb:UpdateTable",
            "dynamodb:UpdateContinuousBackups",
          ],
          resources: [bucketArn, `${bucketArn}/*`, props.state.lockTableArn],
        },
        {
          sid: "ProtectCiIdentity",
          effect: "Deny",
          actions: [
            "iam:Create*",
            "iam:Delete*",
            "iam:Update*",
            "iam:Put*",
            "iam:Attach*",
            "iam:Detach*",
            "iam:Add*",
            "iam:Remove*",
            "iam:Tag*",
            "iam:Untag*",
          ],
          resources: [
            `arn:${partition}:iam::*:role${GITHUB_ROLE_PATH}*`,
            `arn:${partition}:iam::*:oidc-provider/${GITHUB_OIDC_HOST}`,
          ],
        },
        {
          sid: "NoLongLivedCredentials",
          effect: "Deny",
          actions: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
          resources: [`arn:${partition}:iam::*:user/*`],
        },
      ],
    });
  }
}
