import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Validator, arn, awsContext } from "@platform/core";
import { checkKeyDeletionWindow } from "./validation";
import { Construct } from "constructs";

export interface SecretsKeyProps {
  /** Prefix of the alias, e.g. `acme-staging`: the alias is `alias/<namePrefix>-secrets`. */
  readonly namePrefix: string;
  /**
   * Names (IAM wildcards allowed) of the roles that read secrets through SSM or Secrets Manager:
   * the ECS task execution roles that inject them, e.g. `acme-staging-*-execution`. They are
   * matched on `aws:PrincipalArn`, so the roles can live in a later stack (no cycle) and need not
   * exist when the key policy is written.
   */
  readonly decrypterRoleNames: readonly string[];
  /**
   * Names of the roles that write secrets (encrypt, and decrypt to compare): the DATABASE_URL publisher.
   * @default none
   */
  readonly writerRoleNames?: readonly string[];
  /**
   * Days a scheduled deletion waits (7-30): the time to cancel a mistaken destroy.
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * Refuse `terraform destroy` of the key (`prevent_destroy`): a deleted key makes every secret
   * under it unreadable, RDS's master secret included.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** What other stacks need of the key. */
export interface SecretsKeyRef {
  /** Key ARN, for IAM statements, `master_user_secret_kms_key_id` and SSM `KeyId`. */
  readonly keyArn: string;
  /** `alias/<namePrefix>-secrets`, for people: `aws ssm put-parameter --key-id <alias> …`. */
  readonly aliasName: string;
}

/** Key administration without use: nobody decrypts through the account-wide delegation. */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion", "kms:Create*", "kms:Delete*", "kms:Describe*", "kms:Disable*", "kms:Enable*",
  "kms:Get*", "kms:List*", "kms:Put*", "kms:Revoke*", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion",
  "kms:TagResource", "kms:UntagResource", "kms:Update*",
];

/**
 * The customer managed KMS key of one environment's secrets: DATABASE_URL (SSM SecureString), the
 * RDS-managed master secret, and any parameter people put with its alias. Unlike the AWS managed
 * `aws/ssm` key, which every principal of the account may use through SSM, its policy lets:
 *
 * - the account administer the key (IAM policies decide who), but not use it;
 * - only the named decrypter roles (task execution roles) `kms:Decrypt`, and only through SSM or
 *   Secrets Manager;
 * - only the writer roles (the publisher) encrypt and decrypt, through SSM or Secrets Manager;
 * - RDS (on behalf of whoever creates the database) create and rotate its managed master secret:
 *   encrypt, data keys and grants through Secrets Manager and RDS, decrypt only through RDS, so
 *   this statement never reveals a value to a caller.
 *
 * Rotation is on (yearly) and deletion waits `deletionWindowDays`.
 */
export class SecretsKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly policyDocument: DataAwsIamPolicyDocument;
  readonly ref: SecretsKeyRef;

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    const v = new Validator(this.node.path);
    checkKeyDeletionWindow(v, deletionWindowDays);
    v.check(props.decrypterRoleNames.length > 0, "decrypterRoleNames", props.decrypterRoleNames, "must name at least one role (the task execution roles), or nothing could read the secrets.");
    [...props.decrypterRoleNames, ...(props.writerRoleNames ?? [])].forEach((name) =>
      v.check(/^[A-Za-z0-9+=,.@_*-]{1,64}$/.test(name) && name !== "*", "decrypterRoleNames", name, "must be an IAM role name, optionally with '*' wildcards, never '*' alone."),
    );
    v.throwIfAny();

    // Key administration is delegated to the stack's account; its region is where SSM and Secrets Manager call through the key.
    const aws = awsContext(this);
    const iam = (resource: string) => arn(aws, { service: "iam", region: "", resource });
    const root = iam("root");
    const roleArns = (names: readonly string[]) => names.map((n) => iam(`role/${n}`));
    const viaSecrets = [`ssm.${aws.region}.amazonaws.com`, `secretsmanager.${aws.region}.amazonaws.com`];
    const account = { principals: [{ type: "AWS", identifiers: [root] }], resources: ["*"] };
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      { sid: "KeyAdministration", ...account, actions: KEY_ADMIN_ACTIONS },
      {
        sid: "DecryptForTaskExecutionRoles",
        ...account,
        actions: ["kms:Decrypt"],
        condition: [
          { test: "ArnLike", variable: "aws:PrincipalArn", values: roleArns(props.decrypterRoleNames) },
          { test: "StringEquals", variable: "kms:ViaService", values: viaSecrets },
        ],
      },
      ...((props.writerRoleNames ?? []).length > 0
        ? [
            {
              sid: "EncryptDecryptForWriters",
              ...account,
              actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
              condition: [
                { test: "ArnLike", variable: "aws:PrincipalArn", values: roleArns(props.writerRoleNames!) },
                { test: "StringEquals", variable: "kms:ViaService", values: viaSecrets },
              ],
            },
          ]
        : []),
      {
        sid: "RdsManagedMasterSecret",
        ...account,
        actions: ["kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
        condition: [
          { test: "StringEquals", variable: "kms:ViaService", values: [`rds.${aws.region}.amazonaws.com`, `secretsmanager.${aws.region}.amazonaws.com`] },
          { test: "StringEquals", variable: "kms:CallerAccount", values: [aws.accountId] },
        ],
      },
      {
        sid: "RdsRotatesMasterSecret",
        ...account,
        actions: ["kms:Decrypt"],
        condition: [
          { test: "StringEquals", variable: "kms:ViaService", values: [`rds.${aws.region}.amazonaws.com`] },
          { test: "StringEquals", variable: "kms:CallerAccount", values: [aws.accountId] },
        ],
      },
    ];
    this.policyDocument = new DataAwsIamPolicyDocument(this, "policy", { statement: statements });
    this.key = new KmsKey(this, "key", {
      description: `${props.namePrefix} secrets: DATABASE_URL, the RDS master secret, application parameters`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: this.policyDocument.json,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.namePrefix}-secrets`, targetKeyId: this.key.keyId });
    this.ref = { keyArn: this.key.arn, aliasName: this.alias.name };
  }
}
