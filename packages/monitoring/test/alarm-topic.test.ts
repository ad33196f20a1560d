import { Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, onlyResource, policyStatements, resourceAt, synth, testStack } from "@platform/core/testing";
import { AlarmTopic, combineSinks } from "../src/index";
import { ACCOUNT_ID } from "./fixtures";

describe("AlarmTopic", () => {
  const stack = testStack("monitoring");
  const topic = new AlarmTopic(stack, "alarms", {
    namePrefix: "acme-prod",
    accountId: ACCOUNT_ID,
    emailAddresses: ["ops@example.com", "oncall+prod@example.co.jp"],
  });
  const json = synth(stack);

  it("encrypts the topic with its own rotating KMS key, not alias/aws/sns", () => {
    const key = onlyResource(json, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    const sns = onlyResource(json, "aws_sns_topic");
    expect(sns.name).toBe("acme-prod-alarms");
    expect(sns.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[A-Za-z0-9_]+\.arn\}$/);
    expect(JSON.stringify(sns)).not.toContain("alias/aws/sns");
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/acme-prod-alarms");
  });

  it("lets CloudWatch use the key and keeps the account root as key administrator", () => {
    const statements = policyStatements(json, "alarms/key-policy");
    const cloudwatch = statements.find((s) => s.sid === "PublishersUseKey")!;
    expect(cloudwatch.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(cloudwatch.actions).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    const admin = statements.find((s) => s.sid === "AccountAdministers")!;
    expect(admin.principals).toEqual([
      { type: "AWS", identifiers: [`arn:aws:iam::${ACCOUNT_ID}:root`] },
    ]);
    expect(admin.actions).toEqual(["kms:*"]);
    const key = onlyResource(json, "aws_kms_key");
    expect(key.policy).toMatch(/^\$\{data\.aws_iam_policy_document\.alarms_key-policy_[0-9A-F]{8}\.json\}$/);
  });

  it("lets only CloudWatch of this account publish", () => {
    const [statement, ...rest] = policyStatements(json, "alarms/topic-policy-document");
    expect(rest).toHaveLength(0);
    expect(statement!.actions).toEqual(["sns:Publish"]);
    expect(statement!.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(statement!.resources).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.[A-Za-z0-9_]+\.arn\}$/)]);
    expect(statement!.condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] }]);
    const policy = onlyResource(json, "aws_sns_topic_policy");
    expect(policy.arn).toMatch(/aws_sns_topic\./);
  });

  it("subscribes every e-mail address", () => {
    const subs = listResources(json, "aws_sns_topic_subscription");
    expect(subs.map((s) => [s.protocol, s.endpoint]).sort()).toEqual([
      ["email", "oncall+prod@example.co.jp"],
      ["email", "ops@example.com"],
    ]);
    expect(subs.every((s) => /^\$\{aws_sns_topic\.[A-Za-z0-9_-]+\.arn\}$/.test(s.topic_arn as string))).toBe(true);
    expect(Object.keys(topic.subscriptions)).toEqual(["ops@example.com", "oncall+prod@example.co.jp"]);
  });

  it("needs no data source that calls AWS (offline plan)", () => {
    expect(Object.keys(json.data ?? {}).sort()).toEqual(["aws_iam_policy_document"]);
  });

  it("is an alarm sink for ALARM and OK, and exposes a plain ref", () => {
    expect(topic.alarmActionArns).toEqual([topic.topicArn]);
    expect(topic.okActionArns).toEqual([topic.topicArn]);
    expect(Token.isUnresolved(topic.ref.topicArn)).toBe(true);
    expect(Token.isUnresolved(topic.ref.keyArn)).toBe(true);
  });

  it("keeps subscription addresses stable when the list is reordered", () => {
    const a = testStack("a");
    new AlarmTopic(a, "alarms", { namePrefix: "x", accountId: ACCOUNT_ID, emailAddresses: ["a@example.com", "b@example.com"] });
    const b = testStack("b");
    new AlarmTopic(b, "alarms", { namePrefix: "x", accountId: ACCOUNT_ID, emailAddresses: ["b@example.com", "a@example.com"] });
    const names = (s: ReturnType<typeof testStack>) =>
      Object.entries(synth(s).resource!.aws_sns_topic_subscription!).map(([n, r]) => `${n}=${r.endpoint}`).sort();
    expect(names(a)).toEqual(names(b));
  });

  it("adds further publisher services to both policies", () => {
    const s = testStack("events");
    new AlarmTopic(s, "alarms", {
      namePrefix: "x",
      accountId: ACCOUNT_ID,
      publisherServices: ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
    });
    const j = synth(s);
    const identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"];
    expect(policyStatements(j, "alarms/key-policy").find((x) => x.sid === "PublishersUseKey")!.principals).toEqual([
      { type: "Service", identifiers },
    ]);
    expect(policyStatements(j, "alarms/topic-policy-document")[0]!.principals).toEqual([{ type: "Service", identifiers }]);
    expect(resourceAt(j, "aws_sns_topic", "alarms/topic").display_name).toBe("x alarms");
  });

  it("fails when an e-mail address is malformed, naming the value and the fix", () => {
    expect(
      () =>
        new AlarmTopic(testStack(), "alarms", {
          namePrefix: "x",
          accountId: ACCOUNT_ID,
          emailAddresses: ["ops@example.com", "Ops Team <ops@example>"],
        }),
    ).toThrow(/alarms\.emailAddresses\[1\]: "Ops Team <ops@example>" is not an e-mail address; write it as "name@example\.com"/);
  });

  it("fails when an e-mail address is listed twice", () => {
    expect(
      () =>
        new AlarmTopic(testStack(), "alarms", {
          namePrefix: "x",
          accountId: ACCOUNT_ID,
          emailAddresses: ["ops@example.com", "OPS@example.com"],
        }),
    ).toThrow(/emailAddresses\[1\]: "OPS@example\.com" is listed twice/);
  });

  it("fails when the account ID is not 12 digits", () => {
    expect(() => new AlarmTopic(testStack(), "alarms", { namePrefix: "x", accountId: "1234" })).toThrow(
      /alarms\.accountId: "1234" must be the 12-digit ID of an AWS account/,
    );
  });

  it("fails when a publisher is not a service principal or the deletion window is out of range", () => {
    expect(
      () =>
        new AlarmTopic(testStack(), "alarms", {
          namePrefix: "x",
          accountId: ACCOUNT_ID,
          publisherServices: ["arn:aws:iam::123456789012:root"],
          keyDeletionWindowDays: 3,
        }),
    ).toThrow(/publisherServices\[0\]: "arn:aws:iam::123456789012:root" must be an AWS service principal[\s\S]*keyDeletionWindowDays: 3 must be a whole number of days from 7 to 30/);
  });
});

describe("combineSinks", () => {
  it("merges sinks without duplicates", () => {
    const a = { alarmActionArns: ["arn:a"], okActionArns: ["arn:a"] };
    const b = { alarmActionArns: ["arn:a", "arn:b"], okActionArns: [] };
    expect(combineSinks(a, b)).toEqual({ alarmActionArns: ["arn:a", "arn:b"], okActionArns: ["arn:a"] });
  });

  it("fails when more than five actions would reach one alarm state", () => {
    const sinks = [1, 2, 3, 4, 5, 6].map((n) => ({ alarmActionArns: [`arn:${n}`], okActionArns: [] }));
    expect(() => combineSinks(...sinks)).toThrow(/combineSinks\.alarmActionArns: 6 CloudWatch allows at most 5 actions/);
  });
});
