import { join } from "node:path";
import { ConfigError } from "@platform/core";
import { onlyResource, policyStatements, resourcesOf, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { BundledFunction, EventRuleTrigger, ScheduleTrigger, parameterStoreChange, secretRotationSucceeded } from "../src/index";

const entry = join(import.meta.dirname, "fixtures", "hello.ts");

function withFunction(layer = "triggers") {
  const stack = testStack(layer);
  const fn = new BundledFunction(stack, "fn", {
    functionName: "acme-test-hello",
    entry,
    description: "says hello",
    logRetentionDays: 14,
    statements: [],
  });
  return { stack, fn };
}

const ref = (type: string, json: ReturnType<typeof synth>, attr: string) => {
  const [name] = Object.keys(resourcesOf(json, type));
  return `\${${type}.${name}.${attr}}`;
};

describe("EventRuleTrigger", () => {
  const { stack, fn } = withFunction();
  new EventRuleTrigger(stack, "on-change", {
    function: fn.function,
    ruleName: "acme-test-on-change",
    description: "parameter written",
    eventPattern: parameterStoreChange.pattern({ name: ["/acme/test/X"], operation: ["Create", "Update"] }),
  });
  const json = synth(stack);

  it("invokes the function from a rule whose pattern is the event definition's", () => {
    const rule = onlyResource(json, "aws_cloudwatch_event_rule");
    expect(rule).toMatchObject({ name: "acme-test-on-change", description: "parameter written" });
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ["aws.ssm"],
      "detail-type": ["Parameter Store Change"],
      detail: { name: ["/acme/test/X"], operation: ["Create", "Update"] },
    });
    expect(onlyResource(json, "aws_cloudwatch_event_target")).toEqual(
      expect.objectContaining({ rule: ref("aws_cloudwatch_event_rule", json, "name"), arn: ref("aws_lambda_function", json, "arn") }),
    );
  });

  it("lets EventBridge invoke the function only through this rule (source ARN scoping)", () => {
    expect(onlyResource(json, "aws_lambda_permission")).toEqual(
      expect.objectContaining({
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        function_name: ref("aws_lambda_function", json, "function_name"),
        source_arn: ref("aws_cloudwatch_event_rule", json, "arn"),
      }),
    );
  });

  it("takes an EventBridge schedule instead of a pattern", () => {
    const { stack: s, fn: f } = withFunction();
    new EventRuleTrigger(s, "hourly", { function: f.function, ruleName: "acme-test-hourly", description: "hourly", schedule: "rate(1 hour)" });
    const rule = onlyResource(synth(s), "aws_cloudwatch_event_rule");
    expect(rule.schedule_expression).toBe("rate(1 hour)");
    expect(rule.event_pattern).toBeUndefined();
  });

  it("renders a pattern holding a Terraform reference with jsonencode", () => {
    const { stack: s, fn: f } = withFunction();
    new EventRuleTrigger(s, "rotation", {
      function: f.function,
      ruleName: "acme-test-rotation",
      description: "rotated",
      eventPattern: secretRotationSucceeded.pattern({ additionalEventData: { SecretId: [f.logGroup.arn] } }),
    });
    expect(onlyResource(synth(s), "aws_cloudwatch_event_rule").event_pattern).toMatch(
      /^\$\{jsonencode\(\{"source" = \["aws\.secretsmanager"\], .*"eventName" = \["RotationSucceeded"\], "additionalEventData" = \{"SecretId" = \[aws_cloudwatch_log_group\.fn_logs_[0-9A-F]{8}\.arn\]\}\}\}\)\}$/,
    );
  });

  it("fails when it has both a pattern and a schedule, or a bad schedule or name, naming every problem", () => {
    const { stack: s, fn: f } = withFunction();
    const build = (props: Partial<ConstructorParameters<typeof EventRuleTrigger>[2]>) => () =>
      new EventRuleTrigger(s, `t${Math.random().toString(36).slice(2, 8)}`, {
        function: f.function,
        ruleName: "acme-ok",
        description: "x",
        ...props,
      });
    expect(build({ eventPattern: parameterStoreChange.pattern(), schedule: "rate(1 hour)" })).toThrow(
      /eventPattern: "both" give exactly one of eventPattern \(events\) and schedule/,
    );
    expect(build({})).toThrow(/eventPattern: "neither" give exactly one/);
    const both = build({ schedule: "every hour", ruleName: "has spaces" });
    expect(both).toThrow(ConfigError);
    expect(both).toThrow(/schedule: "every hour" must be an EventBridge schedule[\s\S]*ruleName: "has spaces" must be 1-64/);
  });
});

describe("ScheduleTrigger", () => {
  const { stack, fn } = withFunction();
  const trigger = new ScheduleTrigger(stack, "schedules", {
    function: { functionName: fn.functionName, arn: fn.function.arn },
    groupName: "acme-test-hello",
    roleName: "acme-test-hello-invoke",
    timeZone: "Asia/Tokyo",
    schedules: {
      morning: { name: "acme-test-morning", description: "wake", expression: "cron(0 9 ? * MON-FRI *)", input: '{"action":"start"}' },
      night: { name: "acme-test-night", description: "sleep", expression: "cron(0 22 ? * MON-FRI *)", input: '{"action":"stop"}' },
    },
  });
  const json = synth(stack);
  const schedules = Object.values(resourcesOf(json, "aws_scheduler_schedule"));

  it("creates one schedule per key in its group, each sending its payload at the stated minute with retries", () => {
    expect(Object.keys(trigger.schedules)).toEqual(["morning", "night"]);
    expect(onlyResource(json, "aws_scheduler_schedule_group").name).toBe("acme-test-hello");
    expect(schedules.map((s) => s.name)).toEqual(["acme-test-morning", "acme-test-night"]);
    for (const s of schedules) {
      expect(s).toMatchObject({
        group_name: ref("aws_scheduler_schedule_group", json, "name"),
        schedule_expression_timezone: "Asia/Tokyo",
        state: "ENABLED",
        flexible_time_window: { mode: "OFF" },
      });
      expect(s.target).toMatchObject({
        arn: ref("aws_lambda_function", json, "arn"),
        role_arn: `\${aws_iam_role.${Object.keys(resourcesOf(json, "aws_iam_role")).find((n) => n.startsWith("schedules_"))}.arn}`,
        retry_policy: { maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 },
      });
    }
    expect(schedules.map((s) => (s.target as { input: string }).input)).toEqual(['{"action":"start"}', '{"action":"stop"}']);
  });

  it("has a role only EventBridge Scheduler for this account's group may assume", () => {
    expect(policyStatements(json, "schedules/assume")).toEqual([
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
          { test: "ArnEquals", variable: "aws:SourceArn", values: [ref("aws_scheduler_schedule_group", json, "arn")] },
        ],
      },
    ]);
    expect(Object.values(resourcesOf(json, "aws_iam_role")).map((r) => r.name)).toContain("acme-test-hello-invoke");
  });

  it("lets the role invoke this function and nothing else", () => {
    expect(policyStatements(json, "schedules/permissions")).toEqual([
      { sid: "InvokeFunction", actions: ["lambda:InvokeFunction"], resources: [ref("aws_lambda_function", json, "arn")] },
    ]);
    expect(resourcesOf(json, "aws_lambda_permission")).toEqual({});
  });

  it("names the function in the role's description and can keep the schedules disabled", () => {
    const { stack: s, fn: f } = withFunction();
    new ScheduleTrigger(s, "off", {
      function: { functionName: f.functionName, arn: f.function.arn },
      groupName: "g",
      roleName: "r",
      enabled: false,
      schedules: { once: { name: "once", description: "d", expression: "rate(1 day)", input: "{}" } },
    });
    const out = synth(s);
    expect(Object.values(resourcesOf(out, "aws_iam_role_policy")).map((p) => p.name)).toEqual(["permissions", "invoke"]);
    expect(Object.values(resourcesOf(out, "aws_iam_role")).map((r) => r.description)).toContain("EventBridge Scheduler invoking acme-test-hello");
    expect(onlyResource(out, "aws_scheduler_schedule")).toMatchObject({ state: "DISABLED", schedule_expression_timezone: "UTC" });
  });

  it("fails on an empty schedule set, a duplicate name, a bad key and an input that is not JSON, all at once", () => {
    const { stack: s, fn: f } = withFunction();
    const base = { function: f.function, groupName: "g", roleName: "r" };
    expect(() => new ScheduleTrigger(s, "empty", { ...base, schedules: {} })).toThrow(/schedules: \{\} is empty; give at least one schedule/);
    expect(
      () =>
        new ScheduleTrigger(s, "bad", {
          ...base,
          schedules: {
            Stop: { name: "same", description: "d", expression: "rate(1 day)", input: "{}" },
            start: { name: "same", description: "d", expression: "rate(1 day)", input: "start" },
          },
        }),
    ).toThrow(/schedules\.Stop: "Stop" key must match[\s\S]*schedules\.start\.name: "same" is also the name of schedules\.Stop[\s\S]*schedules\.start\.input: "start" must be JSON/);
  });
});
