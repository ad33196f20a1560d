import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NAME_LIMITS, Validator, awsContext, awsManagedPolicyArn, boundedName } from "@platform/core";
import { Construct } from "constructs";

export interface DatabaseBackupProps {
  /** Prefix of every name, e.g. `acme-prod`: vault `<namePrefix>-backup`, plan, role. */
  readonly namePrefix: string;
  /** ARN of the instance or cluster to back up (the selection is by ARN, nothing else is picked). */
  readonly resourceArn: string;
  /** Days each daily recovery point is kept (1-35 000). */
  readonly retentionDays: number;
  /** CMK of the vault (a `BackupVaultKey` of this region). */
  readonly vaultKmsKeyArn: string;
  /**
   * When the daily backup starts, an AWS Backup cron in UTC. It must not fall in the database's
   * own backup or maintenance window.
   * @default "cron(0 18 * * ? *)" (03:00 JST, after the 17:00-17:30 UTC RDS backup window)
   */
  readonly schedule?: string;
  /** A copy of every recovery point to a vault in a second region (survives a region outage). */
  readonly copy?: {
    /** The second region, e.g. `ap-northeast-3`. */
    readonly region: string;
    /** Provider of that region (`EnvironmentStack.regionProvider(region)`). */
    readonly provider: AwsProvider;
    /** CMK of the copy vault, in that region. */
    readonly vaultKmsKeyArn: string;
    /** @default retentionDays */
    readonly retentionDays?: number;
  };
  /** Account ID, for the service role's confused-deputy guard. */
  readonly accountId: string;
}

/**
 * A daily AWS Backup plan for one database: a CMK-encrypted vault, an optional copy to a vault in
 * a second region, the selection of the database by ARN, and the service role with the AWS managed
 * backup and restore policies. Independent of RDS's own automated backups (point-in-time recovery),
 * which stay on.
 */
export class DatabaseBackup extends Construct {
  readonly vault: BackupVault;
  readonly copyVault?: BackupVault;
  readonly plan: BackupPlan;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    const copyDays = props.copy?.retentionDays ?? props.retentionDays;
    const v = new Validator(this.node.path);
    v.check(Number.isInteger(props.retentionDays) && props.retentionDays >= 1 && props.retentionDays <= 35000, "retentionDays", props.retentionDays, "must be a whole number of days from 1 to 35000.");
    v.check(Number.isInteger(copyDays) && copyDays >= 1 && copyDays <= 35000, "copy.retentionDays", copyDays, "must be a whole number of days from 1 to 35000.");
    if (props.copy) {
      const ctx = awsContext(this);
      v.check(props.copy.region !== ctx.region, "copy.region", props.copy.region, `must be a second region, not the database's own (${ctx.region}), e.g. "ap-northeast-3".`);
    }
    v.throwIfAny();

    const name = boundedName([props.namePrefix, "backup"], 50);
    this.vault = new BackupVault(this, "vault", { name, kmsKeyArn: props.vaultKmsKeyArn });
    if (props.copy) {
      this.copyVault = new BackupVault(this, "copy-vault", { provider: props.copy.provider, name, kmsKeyArn: props.copy.vaultKmsKeyArn });
    }
    this.plan = new BackupPlan(this, "plan", {
      name: `${props.namePrefix}-database-daily`,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: this.vault.name,
          schedule: props.schedule ?? "cron(0 18 * * ? *)",
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: props.retentionDays },
          copyAction: this.copyVault ? [{ destinationVaultArn: this.copyVault.arn, lifecycle: { deleteAfter: copyDays } }] : undefined,
        },
      ],
    });

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: boundedName([props.namePrefix, "backup"], NAME_LIMITS.iamRoleName),
      description: "AWS Backup: takes, copies and restores the database's recovery points",
      assumeRolePolicy: trust.json,
    });
    ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"].forEach((policy, i) => {
      new IamRolePolicyAttachment(this, `role-policy-${i}`, {
        role: this.role.name,
        policyArn: awsManagedPolicyArn(awsContext(this), `service-role/${policy}`),
      });
    });
    new BackupSelection(this, "selection", {
      name: `${props.namePrefix}-database`,
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [props.resourceArn],
    });
  }
}
