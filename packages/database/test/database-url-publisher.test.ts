import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvironmentStack } from "@platform/core";
import { bundle } from "@platform/lambda";
import { listDataSources, onlyResource, policyStatements, resourceAt, resourcesOf, synth, testEnvironment, testStack } from "@platform/core/testing";
import { Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DatabaseUrlPublisher, type DatabaseUrlPublisherProps } from "../src/index";

const SECRET = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1234-AbCdEf";
const props: DatabaseUrlPublisherProps = {
  namePrefix: "acme-staging",
  parameterName: "/acme/staging/DATABASE_URL",
  secretArn: SECRET,
  host: "acme-staging-db.abc123.ap-northeast-1.rds.amazonaws.com",
  port: 5432,
  databaseName: "appdb",
  accountId: "123456789012",
};

function build(overrides: Partial<DatabaseUrlPublisherProps> = {}) {
  const stack = testStack("database");
  const publisher = new DatabaseUrlPublisher(stack, "url", { ...props, ...overrides });
  return { publisher, json: synth(stack) };
}

describe("DatabaseUrlPublisher", () => {
  const { json } = build();

  it("may read exactly the master secret and read/write exactly the parameter", () => {
    const statements = policyStatements(json, "url/function/permissions");
    expect(statements.slice(1)).toEqual([
      { sid: "ReadMasterSecret", actions: ["secretsmanager:GetSecretValue"], resources: [SECRET] },
      {
        sid: "WriteDatabaseUrl",
        actions: ["ssm:GetParameter", "ssm:PutParameter"],
        resources: [
          "arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/staging/DATABASE_URL",
        ],
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });

  it("runs on rotation of that secret and on an hourly safety-net schedule", () => {
    const rotation = resourceAt(json, "aws_cloudwatch_event_rule", "url/rotation-trigger/rule");
    expect(rotation.name).toBe("acme-staging-database-url-rotation");
    expect(JSON.parse(rotation.event_pattern as string)).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["AWS Service Event via CloudTrail"],
      detail: {
        eventSource: ["secretsmanager.amazonaws.com"],
        eventName: ["RotationSucceeded"],
        additionalEventData: { SecretId: [SECRET] },
      },
    });
    expect(resourceAt(json, "aws_cloudwatch_event_rule", "url/refresh-trigger/rule").schedule_expression).toBe("rate(1 hour)");
    const permissions = Object.values(resourcesOf(json, "aws_lambda_permission"));
    expect(permissions.map((p) => p.principal)).toEqual(["events.amazonaws.com", "events.amazonaws.com"]);
    expect(resourceAt(json, "aws_lambda_permission", "url/rotation-trigger/permission").source_arn).toMatch(
      /^\$\{aws_cloudwatch_event_rule\.url_rotation-trigger_rule_[0-9A-F]{8}\.arn\}$/,
    );
    expect(resourceAt(json, "aws_lambda_permission", "url/refresh-trigger/permission").source_arn).toMatch(
      /^\$\{aws_cloudwatch_event_rule\.url_refresh-trigger_rule_[0-9A-F]{8}\.arn\}$/,
    );
  });

  it("renders the rotation pattern with jsonencode when the secret ARN is a reference", () => {
    const stack = testStack("database");
    const secret = new CloudwatchLogGroup(stack, "stand-in", { name: "x" }).arn;
    new DatabaseUrlPublisher(stack, "url", { ...props, secretArn: secret });
    const rule = resourceAt(synth(stack), "aws_cloudwatch_event_rule", "url/rotation-trigger/rule");
    expect(rule.event_pattern).toMatch(
      /^\$\{jsonencode\(\{"source" = \["aws\.secretsmanager"\], .*"additionalEventData" = \{"SecretId" = \[aws_cloudwatch_log_group\.stand-in\.arn\]\}\}\}\)\}$/,
    );
  });

  it("keeps the addresses the rules, targets and permissions had before the trigger construct (moved blocks)", () => {
    const moved = (json as { moved?: { from: string; to: string }[] }).moved ?? [];
    const pairs = moved.map((m) => `${m.from} -> ${m.to}`);
    for (const [type, old, now] of [
      ["aws_cloudwatch_event_rule", "url_rotation", "url_rotation-trigger_rule"],
      ["aws_cloudwatch_event_target", "url_rotation-target", "url_rotation-trigger_target"],
      ["aws_lambda_permission", "url_rotation-permission", "url_rotation-trigger_permission"],
      ["aws_cloudwatch_event_rule", "url_refresh", "url_refresh-trigger_rule"],
      ["aws_cloudwatch_event_target", "url_refresh-target", "url_refresh-trigger_target"],
      ["aws_lambda_permission", "url_refresh-permission", "url_refresh-trigger_permission"],
    ]) {
      expect(pairs).toContainEqual(expect.stringMatching(new RegExp(`^${type}\\.${old}_[0-9A-F]{8} -> ${type}\\.${now}_[0-9A-F]{8}$`)));
    }
    expect(moved).toHaveLength(6);
  });

  it("publishes at deploy, after its permissions exist, with an input that holds no secret", () => {
    const invocation = onlyResource(json, "aws_lambda_invocation");
    expect(invocation.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.url_function_policy_/)]);
    expect(invocation.input).toContain('"parameterName" = "/acme/staging/DATABASE_URL"');
    expect(invocation.input).not.toMatch(/password/i);
    expect((invocation.triggers as Record<string, string>).code).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it("passes only locations to the function environment", () => {
    expect(onlyResource(json, "aws_lambda_function").environment).toEqual({
      variables: {
        SECRET_ARN: SECRET,
        PARAMETER_NAME: "/acme/staging/DATABASE_URL",
        DB_HOST: props.host,
        DB_PORT: "5432",
        DB_NAME: "appdb",
      },
    });
  });

  it("does not manage the parameter in Terraform (its value would land in state) nor look up the account", () => {
    expect(resourcesOf(json, "aws_ssm_parameter")).toEqual({});
    expect(listDataSources(json, "aws_caller_identity")).toEqual([]);
  });

  it("takes region, partition and account from its stack's environment when no account is given, and can drop the schedule", () => {
    const stack = new EnvironmentStack(Testing.app(), {
      environment: testEnvironment({ region: "eu-west-1", accountId: "210987654321" }),
      layer: "database",
    });
    const publisher = new DatabaseUrlPublisher(stack, "url", { ...props, accountId: undefined, refreshSchedule: false });
    const other = synth(stack);
    expect(publisher.parameterArn).toBe("arn:aws:ssm:eu-west-1:210987654321:parameter/acme/staging/DATABASE_URL");
    expect(policyStatements(other, "url/function/permissions")[2]!.resources).toEqual([publisher.parameterArn]);
    expect(Object.keys(other.data ?? {})).toEqual(["aws_iam_policy_document"]);
    expect(Object.keys(resourcesOf(other, "aws_cloudwatch_event_rule"))).toHaveLength(1);
  });

  it("bundles a handler that rejects an event none of its triggers sends, before any AWS call", async () => {
    const built = bundle(join(import.meta.dirname, "..", "src", "handlers", "database-url-publisher.ts"));
    const mod = await import(join(built.directory, "index.js"));
    await expect(mod.handler({ key1: "value1" })).rejects.toThrow(
      /^Invalid DATABASE_URL publisher event: not aws\.secretsmanager "AWS Service Event via CloudTrail" event \(.*\); not aws\.events "Scheduled Event" event \(.*\); not deploy invocation \(.*\)\.$/,
    );
  });

  it("fails when the parameter name is not a hierarchical, non-reserved SSM name", () => {
    expect(() => build({ parameterName: "DATABASE_URL" })).toThrow(/url\.parameterName: "DATABASE_URL" must be a hierarchical name: a leading "\/"/);
    expect(() => build({ parameterName: "/aws/x/DATABASE_URL" })).toThrow(/parameterName: "\/aws\/x\/DATABASE_URL" starts with "\/aws" or "\/ssm", which AWS reserves/);
  });

  it("fails when the schedule, retention or account are invalid", () => {
    expect(() => build({ refreshSchedule: "every hour", logRetentionDays: 2, accountId: "12" })).toThrow(
      /logRetentionDays: 2 is not a CloudWatch Logs retention[\s\S]*refreshSchedule: "every hour" must be an EventBridge schedule[\s\S]*accountId: "12" must be a 12-digit/,
    );
  });
});
