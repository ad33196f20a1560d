import { describe, expect, it } from "vitest";
import { listResources, onlyResource, resourceAt, synth, testStack } from "@platform/core/testing";
import { DatabaseBackup } from "../src/index";

const ARN = "arn:aws:rds:ap-northeast-1:123456789012:cluster:acme-prod-aurora";

function build(copy: boolean, props: { retentionDays?: number; copyRegion?: string } = {}) {
  const stack = testStack("database");
  const region = props.copyRegion ?? "ap-northeast-3";
  new DatabaseBackup(stack, "backup", {
    namePrefix: "acme-prod",
    resourceArn: ARN,
    retentionDays: props.retentionDays ?? 35,
    vaultKmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/primary",
    copy: copy ? { region, provider: stack.regionProvider(region === "ap-northeast-1" ? "ap-northeast-3" : region), vaultKmsKeyArn: "arn:aws:kms:ap-northeast-3:123456789012:key/copy", retentionDays: 14 } : undefined,
    accountId: "123456789012",
  });
  return synth(stack);
}

describe("DatabaseBackup", () => {
  const json = build(true);

  it("backs up daily into a CMK vault, copying to the second region's vault with its own retention", () => {
    const rule = (onlyResource(json, "aws_backup_plan").rule as Record<string, any>[])[0]!;
    expect(rule).toMatchObject({ rule_name: "daily", schedule: "cron(0 18 * * ? *)", lifecycle: { delete_after: 35 } });
    expect(rule.copy_action[0].lifecycle).toEqual({ delete_after: 14 });
    expect(resourceAt(json, "aws_backup_vault", "backup/vault").kms_key_arn).toBe("arn:aws:kms:ap-northeast-1:123456789012:key/primary");
    expect(resourceAt(json, "aws_backup_vault", "backup/copy-vault")).toMatchObject({ provider: "aws.ap_northeast_3", kms_key_arn: "arn:aws:kms:ap-northeast-3:123456789012:key/copy" });
  });

  it("selects exactly the database ARN", () => {
    expect(onlyResource(json, "aws_backup_selection").resources).toEqual([ARN]);
  });

  it("has no copy vault without a copy", () => {
    const single = build(false);
    expect(listResources(single, "aws_backup_vault")).toHaveLength(1);
    expect((onlyResource(single, "aws_backup_plan").rule as Record<string, any>[])[0]!.copy_action).toBeUndefined();
  });

  it("fails when the copy goes to the database's own region or retention is out of range", () => {
    expect(() => build(true, { copyRegion: "ap-northeast-1" })).toThrow(/copy\.region: "ap-northeast-1" must be a second region/);
    expect(() => build(false, { retentionDays: 0 })).toThrow(/retentionDays: 0 must be a whole number of days from 1 to 35000/);
  });
});
