import { ConfigError } from "@platform/core";
import { onlyResource, policyStatements, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { SecretsKey, type SecretsKeyProps } from "../src/index";

type Statement = { sid: string; actions: string[]; principals: { type: string; identifiers: string[] }[]; condition?: { test: string; variable: string; values: string[] }[] };

const props: SecretsKeyProps = {
  namePrefix: "acme-prod",
  decrypterRoleNames: ["acme-prod-*-execution"],
  writerRoleNames: ["acme-prod-database-url"],
};

// Issue 10, "Anyone who can push a branch can read the prod database password": DATABASE_URL moves
// from aws/ssm (usable by every principal of the account through SSM) to this key.
describe("SecretsKey", () => {
  const stack = testStack("security");
  new SecretsKey(stack, "secrets", props);
  const json = synth(stack);
  const doc = policyStatements(json, "secrets/policy") as Statement[];
  const bySid = (sid: string) => doc.find((s) => s.sid === sid)!;
  const decrypters = doc.filter((s) => s.actions.some((a) => a === "kms:Decrypt" || a === "kms:*"));

  it("is a customer managed key with rotation, a 30-day deletion window, prevent_destroy and an alias", () => {
    const key = onlyResource(json, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/acme-prod-secrets");
  });

  it("lets the account administer the key but not use it", () => {
    const admin = bySid("KeyAdministration");
    expect(admin.principals).toEqual([{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }]);
    for (const forbidden of ["kms:*", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:CreateGrant"]) expect(admin.actions).not.toContain(forbidden);
    expect(admin.condition).toBeUndefined();
  });

  it("allows kms:Decrypt only to the task execution roles and the publisher, through SSM or Secrets Manager, and to RDS itself", () => {
    expect(decrypters.map((s) => s.sid)).toEqual(["DecryptForTaskExecutionRoles", "EncryptDecryptForWriters", "RdsRotatesMasterSecret"]);
    expect(bySid("DecryptForTaskExecutionRoles").condition).toEqual([
      { test: "ArnLike", variable: "aws:PrincipalArn", values: ["arn:aws:iam::123456789012:role/acme-prod-*-execution"] },
      { test: "StringEquals", variable: "kms:ViaService", values: ["ssm.ap-northeast-1.amazonaws.com", "secretsmanager.ap-northeast-1.amazonaws.com"] },
    ]);
    expect(bySid("EncryptDecryptForWriters").actions).toEqual(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]);
    expect(bySid("EncryptDecryptForWriters").condition![0]).toEqual({ test: "ArnLike", variable: "aws:PrincipalArn", values: ["arn:aws:iam::123456789012:role/acme-prod-database-url"] });
    // RDS's own decrypt goes through rds.<region> only: no caller can get a value through it.
    expect(bySid("RdsRotatesMasterSecret").condition).toContainEqual({ test: "StringEquals", variable: "kms:ViaService", values: ["rds.ap-northeast-1.amazonaws.com"] });
    expect(bySid("RdsManagedMasterSecret").actions).not.toContain("kms:Decrypt");
    // Every decrypt statement is conditioned: no principal decrypts directly.
    for (const s of decrypters) expect(s.condition!.some((c) => c.variable === "kms:ViaService")).toBe(true);
  });

  it("fails, listing every problem, on a bad deletion window or a decrypter of '*'", () => {
    let error: unknown;
    try {
      new SecretsKey(testStack("security"), "secrets", { ...props, deletionWindowDays: 3, decrypterRoleNames: ["*"] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("deletionWindowDays: 3");
    expect(message).toContain('decrypterRoleNames: "*"');
  });
});
