import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { NAME_LIMITS, Validator, arn, awsContext, awsManagedPolicyArn, boundedName, checkBucketName, isKnown, type AwsContext } from "@platform/core";
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
  /**
   * Region of the state bucket. Pull-request roles are denied `kms:Decrypt` except through S3
   * in this region, which is all reading (SSE-KMS encrypted) state needs.
   * @default any region (`s3.*.amazonaws.com`)
   */
  readonly region?: string;
}

/** Secret values the pull-request (plan) role must never read, whatever ReadOnlyAccess grants. */
export interface ProtectedSecrets {
  /**
   * SSM parameter paths of the product, e.g. `/acme/` (every environment's parameters,
   * DATABASE_URL included). Denied ssm:GetParameter, GetParameters, GetParametersByPath and
   * GetParameterHistory.
   */
  readonly parameterPaths: readonly string[];
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
  /**
   * Secret values the plan role is denied on top of the always-on denies of
   * `secretsmanager:GetSecretValue` and of `kms:Decrypt` outside state.
   * @default no parameter path (the KMS deny still blocks every SecureString)
   */
  readonly protectedSecrets?: ProtectedSecrets;
  /**
   * ARN of a permissions boundary for the apply role (see {@link ApplyRoleBoundary}), used when
   * the account is shared with another environment. Without one the apply role may act on the
   * whole account.
   * @default none
   */
  readonly applyPermissionsBoundaryArn?: string;
}

/** The DynamoDB lock actions Terraform's S3 backend uses. */
export const LOCK_ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"] as const;
/** Every action that writes an item, denied on other environments' lock items. */
const ITEM_WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"];

/**
 * Lock statements scoped to one environment's state keys. The S3 backend's lock items have the
 * LockID `<bucket>/<key>` (the lock) and `<bucket>/<key>-md5` (the state digest); every key of the
 * environment starts with its prefix, so `dynamodb:LeadingKeys` like `<bucket>/<prefix>*` admits
 * exactly its own items. The Deny matters for the apply role, whose admin policy would otherwise
 * allow any item.
 */
export function lockStatements(bucketName: string, keyPrefix: string, lockTableArn: string): DataAwsIamPolicyDocumentStatement[] {
  const ownItems = [`${bucketName}/${keyPrefix}*`];
  return [
    { sid: "DescribeLockTable", actions: ["dynamodb:DescribeTable"], resources: [lockTableArn] },
    {
      sid: "OwnLockItems",
      actions: [...LOCK_ITEM_ACTIONS],
      resources: [lockTableArn],
      condition: [
        { test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ownItems },
        // ForAllValues is true when the key is absent: require it.
        { test: "Null", variable: "dynamodb:LeadingKeys", values: ["false"] },
      ],
    },
    {
      sid: "DenyOtherLockItems",
      effect: "Deny",
      actions: ITEM_WRITE_ACTIONS,
      resources: [lockTableArn],
      condition: [{ test: "ForAnyValue:StringNotLike", variable: "dynamodb:LeadingKeys", values: ownItems }],
    },
  ];
}

/**
 * The two roles GitHub Actions uses for one environment:
 *
 * - **plan** (pull requests): ReadOnlyAccess, read of this environment's state keys, and the
 *   writes a plan's lock needs (its own lock items, its own `*.tflock` objects). Denied other
 *   environments' state and every secret value: SSM parameters of the product,
 *   `secretsmanager:GetSecretValue`, and `kms:Decrypt` except through S3 (state).
 * - **apply** (jobs of one GitHub environment): AdministratorAccess fenced by explicit denies:
 *   no other environment's state or lock items, no change to the state bucket or lock table
 *   themselves, no change to any GitHub Actions role or the OIDC provider (so a workflow cannot
 *   widen its own trust), and no IAM users or access keys (no long-lived credentials). In an
 *   account shared with another environment it also runs under a permissions boundary
 *   (`applyPermissionsBoundaryArn`) that confines it, and every role it creates, to its environment.
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
    (props.protectedSecrets?.parameterPaths ?? []).forEach((p, i) => {
      v.check(/^\/[A-Za-z0-9_.-]+\/$/.test(p), `protectedSecrets.parameterPaths[${i}]`, p, 'must be a top-level SSM path such as "/acme/" (leading and trailing "/").');
    });
    if (isKnown(props.state.bucketName)) {
      checkBucketName(v, "state.bucketName", props.state.bucketName);
    }
    v.throwIfAny();

    const aws = awsContext(this);
    const bucketArn = arn(aws, { service: "s3", region: "", account: "", resource: props.state.bucketName });
    const iamAnyAccount = (resource: string) => arn(aws, { service: "iam", region: "", account: "*", resource });
    const ownState = `${bucketArn}/${props.state.keyPrefix}*`;
    const otherState = (props.state.deniedKeyPrefixes ?? []).map((p) => `${bucketArn}/${p}*`);
    const locks = lockStatements(props.state.bucketName, props.state.keyPrefix, props.state.lockTableArn);
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
      managedPolicyArns: { "read-only": awsManagedPolicyArn(aws, "ReadOnlyAccess") },
      statements: [
        { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [bucketArn] },
        { sid: "ReadState", actions: ["s3:GetObject"], resources: [ownState] },
        { sid: "WriteLockFiles", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`${bucketArn}/${props.state.keyPrefix}*.tflock`] },
        ...locks,
        ...denyOtherState,
        ...secretReadDenies(aws, props),
      ],
    });

    this.apply = new GithubActionsRole(this, "apply", {
      providerArn: props.providerArn,
      repository: props.repository,
      subjects: [{ environment: props.githubEnvironment }],
      roleName: boundedName([props.namePrefix, "github-apply"], NAME_LIMITS.iamRoleName),
      description: `terraform apply of ${props.state.keyPrefix}* from the ${props.githubEnvironment} environment`,
      managedPolicyArns: props.applyManagedPolicyArns ?? { admin: awsManagedPolicyArn(aws, "AdministratorAccess") },
      maxSessionSeconds: props.applyMaxSessionSeconds,
      permissionsBoundaryArn: props.applyPermissionsBoundaryArn,
      statements: [
        { sid: "ListStateBucket", actions: ["s3:ListBucket"], resources: [bucketArn] },
        { sid: "ReadWriteState", actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: [ownState] },
        ...locks,
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
            "iam:Set*",
          ],
          resources: [
            iamAnyAccount(`role${GITHUB_ROLE_PATH}*`),
            // The permissions boundaries of confined environments live under the same path.
            iamAnyAccount(`policy${GITHUB_ROLE_PATH}*`),
            iamAnyAccount(`oidc-provider/${GITHUB_OIDC_HOST}`),
          ],
        },
        {
          sid: "NoLongLivedCredentials",
          effect: "Deny",
          actions: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
          resources: [iamAnyAccount("user/*")],
        },
      ],
    });
  }
}

/**
 * What keeps secret values out of pull requests: ReadOnlyAccess includes `ssm:GetParameter*`,
 * and SSM decrypts a SecureString with the caller's own kms:Decrypt. Explicit denies win over
 * any allow, so a later change to the managed policy cannot reopen them.
 */
function secretReadDenies(aws: AwsContext, props: TerraformCiRolesProps): DataAwsIamPolicyDocumentStatement[] {
  const paths = props.protectedSecrets?.parameterPaths ?? [];
  const s3 = `s3.${props.state.region ?? "*"}.amazonaws.com`;
  return [
    ...(paths.length > 0
      ? [
          {
            sid: "DenyProductParameters",
            effect: "Deny",
            actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
            resources: paths.map((p) => arn(aws, { service: "ssm", region: "*", account: "*", resource: `parameter${p}*` })),
          },
        ]
      : []),
    { sid: "DenySecretValues", effect: "Deny", actions: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], resources: ["*"] },
    {
      sid: "DenyDecryptOutsideState",
      effect: "Deny",
      actions: ["kms:Decrypt"],
      resources: ["*"],
      condition: [{ test: "StringNotLike", variable: "kms:ViaService", values: [s3] }],
    },
  ];
}
