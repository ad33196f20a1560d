import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Validator, arn, awsContextOf, checkAccountId } from "@platform/core";
import { checkKeyDeletionWindow } from "./validation";
import { Construct } from "constructs";
import { KEY_ADMIN_ACTIONS } from "./secrets-key";

export interface BackupVaultKeyProps {
  /** Prefix of the alias, e.g. `acme-prod`: the alias is `alias/<namePrefix>-backup`. */
  readonly namePrefix: string;
  /** Account of the key and of the callers allowed to use it. */
  readonly accountId: string;
  /** Region of the key (the vault's region). */
  readonly region: string;
  /** Provider of that region when it is not the stack's own (`EnvironmentStack.regionProvider`). */
  readonly provider?: AwsProvider;
  /**
   * Days a scheduled deletion waits (7-30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * The customer managed key of an AWS Backup vault, after {@link SecretsKey}'s pattern: the account
 * administers it but uses it only through AWS Backup and RDS of this region and account (the
 * services that write and copy recovery points), never directly. Rotation on.
 */
export class BackupVaultKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: BackupVaultKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    const v = new Validator(this.node.path);
    checkAccountId(v, "accountId", props.accountId);
    checkKeyDeletionWindow(v, deletionWindowDays);
    v.throwIfAny();
    const root = arn(awsContextOf(props), { service: "iam", region: "", resource: "root" });
    const account = { principals: [{ type: "AWS", identifiers: [root] }], resources: ["*"] };
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      provider: props.provider,
      statement: [
        { sid: "KeyAdministration", ...account, actions: KEY_ADMIN_ACTIONS },
        {
          sid: "UseThroughBackupAndRds",
          ...account,
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
          condition: [
            { test: "StringEquals", variable: "kms:ViaService", values: [`backup.${props.region}.amazonaws.com`, `rds.${props.region}.amazonaws.com`] },
            { test: "StringEquals", variable: "kms:CallerAccount", values: [props.accountId] },
          ],
        },
      ],
    });
    this.key = new KmsKey(this, "key", {
      provider: props.provider,
      description: `${props.namePrefix} AWS Backup vault (${props.region})`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: policy.json,
    });
    this.alias = new KmsAlias(this, "alias", { provider: props.provider, name: `alias/${props.namePrefix}-backup`, targetKeyId: this.key.keyId });
  }
}
