import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { ConfigError } from "@platform/core";
import { bundle } from "@platform/lambda";
import {
  listDataSources,
  listResources,
  onlyResource,
  policyStatements,
  resourceAt,
  synth,
  testStack,
} from "@platform/core/testing";
import { Token } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  SCHEDULER_HANDLER_ENTRY,
  SKIP_START_ON_HOLIDAYS_ENV_VAR,
  ServiceScheduler,
  TARGETS_ENV_VAR,
  cronProblem,
  isKnownTimeZone,
  type ServiceSchedulerProps,
} from "../src/index";
import { API_ARN, API_TARGET_ARN, DB_ARN, WEB_ARN, stagingProps } from "./fixtures/staging";

type Statement = {
  sid?: string;
  actions?: string[];
  resources?: string[];
  condition?: { test: string; variable: string; values: string[] }[];
  principals?: { type: string; identifiers: string[] }[];
};

describe("ServiceScheduler for a staging-like config", () => {
  const stack = testStack("scheduler");
  const scheduler = new ServiceScheduler(stack, "scheduler", stagingProps());
  const json = synth(stack);
  const lambda = onlyResource(json, "aws_lambda_function");
  const schedules = listResources(json, "aws_scheduler_schedule");
  const scheduleFor = (action: string) => schedules.find((s) => String(s.name).endsWith(`-${action}`))!;

  it("creates the function with BundledFunction on nodejs22.x, with a log group keeping 7 days", () => {
    expect(lambda).toMatchObject({
      function_name: "acme-staging-service-scheduler",
      runtime: "nodejs22.x",
      handler: "index.handler",
      timeout: 120,
      source_code_hash: scheduler.function.codeHash,
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/lambda/acme-staging-service-scheduler",
      retention_in_days: 7,
    });
  });

  it("passes the services, restore counts, scaler limits and database as JSON in the environment", () => {
    const env = (lambda.environment as { variables: Record<string, string> }).variables;
    expect(JSON.parse(env[TARGETS_ENV_VAR]!)).toEqual({
      services: {
        web: { cluster: "acme-staging", service: "acme-staging-web", desiredCount: 1 },
        api: {
          cluster: "acme-staging",
          service: "acme-staging-api",
          desiredCount: 1,
          autoScaling: { resourceId: "service/acme-staging/acme-staging-api", minCapacity: 1, maxCapacity: 2 },
        },
      },
      database: { identifier: "acme-staging-db" },
    });
  });

  it("lets the function touch exactly the given services, scalable target and DB instance", () => {
    const statements = policyStatements(json, "scheduler/function/permissions") as Statement[];
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    expect(Object.keys(bySid)).toEqual(["OwnLogs", "EcsServices", "ScalableTargets", "DescribeScalableTargets", "DatabaseInstance"]);
    expect(bySid.EcsServices).toMatchObject({
      actions: ["ecs:DescribeServices", "ecs:UpdateService"],
      resources: [WEB_ARN, API_ARN],
    });
    expect(bySid.ScalableTargets).toMatchObject({
      actions: ["application-autoscaling:RegisterScalableTarget"],
      resources: [API_TARGET_ARN],
    });
    expect(bySid.ScalableTargets!.condition).toEqual([
      { test: "StringEquals", variable: "application-autoscaling:service-namespace", values: ["ecs"] },
      { test: "StringEquals", variable: "application-autoscaling:scalable-dimension", values: ["ecs:service:DesiredCount"] },
    ]);
    expect(bySid.DatabaseInstance).toMatchObject({
      actions: ["rds:DescribeDBInstances", "rds:StartDBInstance", "rds:StopDBInstance"],
      resources: [DB_ARN],
    });
  });

  it("uses * only for DescribeScalableTargets (no resource type exists), bounded to the region", () => {
    const statements = policyStatements(json, "scheduler/function/permissions") as Statement[];
    const wildcard = statements.filter((s) => s.resources?.some((r) => r.includes("*") && !r.endsWith(":*")));
    expect(wildcard).toHaveLength(1);
    expect(wildcard[0]).toMatchObject({ actions: ["application-autoscaling:DescribeScalableTargets"], resources: ["*"] });
    expect(wildcard[0]!.condition).toEqual([
      { test: "StringEquals", variable: "aws:RequestedRegion", values: ["ap-northeast-1"] },
    ]);
  });

  it("looks up neither account nor region (they are config), so the plan runs offline", () => {
    expect(listDataSources(json, "aws_caller_identity")).toHaveLength(0);
    expect(Object.keys(json.data ?? {}).sort()).toEqual(["aws_iam_policy_document"]);
  });

  it("stops at 22:00 and starts at 9:00 on weekdays, Asia/Tokyo, at the exact minute", () => {
    expect(schedules).toHaveLength(2);
    expect(scheduleFor("stop")).toMatchObject({
      name: "acme-staging-stop",
      schedule_expression: "cron(0 22 ? * MON-FRI *)",
      schedule_expression_timezone: "Asia/Tokyo",
      state: "ENABLED",
      flexible_time_window: { mode: "OFF" },
    });
    expect(scheduleFor("start")).toMatchObject({
      name: "acme-staging-start",
      schedule_expression: "cron(0 9 ? * MON-FRI *)",
      schedule_expression_timezone: "Asia/Tokyo",
      flexible_time_window: { mode: "OFF" },
    });
  });

  it("sends {\"action\":\"stop\"} and {\"action\":\"start\"} to the function with a retry policy", () => {
    for (const action of ["stop", "start"]) {
      const target = scheduleFor(action).target as Record<string, unknown>;
      expect(JSON.parse(target.input as string)).toEqual({ action });
      expect(target.arn).toMatch(/^\$\{aws_lambda_function\..+\.arn\}$/);
      expect(target.role_arn).toMatch(/^\$\{aws_iam_role\.scheduler_trigger_role_.+\.arn\}$/);
      expect(target.retry_policy).toEqual({ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 });
    }
  });

  it("puts both schedules in a group named for the prefix", () => {
    const group = onlyResource(json, "aws_scheduler_schedule_group");
    expect(group.name).toBe("acme-staging-service-scheduler");
    for (const s of schedules) expect(s.group_name).toMatch(/^\$\{aws_scheduler_schedule_group\..+\.name\}$/);
  });

  it("lets the scheduler role only invoke this function, and only from this account's schedule group", () => {
    const permissions = policyStatements(json, "scheduler/trigger/permissions") as Statement[];
    expect(permissions).toEqual([
      { sid: "InvokeFunction", actions: ["lambda:InvokeFunction"], resources: [expect.stringMatching(/^\$\{aws_lambda_function\..+\.arn\}$/)] },
    ]);
    const [trust] = policyStatements(json, "scheduler/trigger/assume") as Statement[];
    expect(trust!.principals).toEqual([{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }]);
    const conditions = Object.fromEntries(trust!.condition!.map((c) => [c.variable, c]));
    expect(conditions["aws:SourceArn"]).toEqual({
      test: "ArnEquals",
      variable: "aws:SourceArn",
      values: [expect.stringMatching(/^\$\{aws_scheduler_schedule_group\..+\.arn\}$/)],
    });
    expect(conditions["aws:SourceAccount"]!.values).toEqual(["123456789012"]);
  });

  it("retries a failed asynchronous run twice (safe: runs are idempotent)", () => {
    expect(onlyResource(json, "aws_lambda_function_event_invoke_config")).toMatchObject({
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
    });
  });

  it("exposes the function and ready-to-paste invoke commands", () => {
    expect(scheduler.functionName).toBe("acme-staging-service-scheduler");
    expect(scheduler.stopCommand).toBe(
      "aws lambda invoke --function-name acme-staging-service-scheduler --cli-binary-format raw-in-base64-out " +
        `--payload '{"action":"stop"}' out.json`,
    );
    expect(scheduler.startCommand).toContain(`--payload '{"action":"start"}'`);
    expect(Token.isUnresolved(scheduler.ref.functionArn)).toBe(true);
  });

  it("bundles the handler during the test, with the same hash on every build, into runnable code", async () => {
    const first = bundle(SCHEDULER_HANDLER_ENTRY, true);
    const second = bundle(SCHEDULER_HANDLER_ENTRY, true);
    expect(first.directory).not.toBe(second.directory);
    expect(second.codeHash).toBe(first.codeHash);
    expect(first.codeHash).toBe(lambda.source_code_hash);
    const code = readFileSync(join(first.directory, "index.js"), "utf8");
    expect(code).not.toContain(import.meta.dirname);
    const mod = await import(join(first.directory, "index.js"));
    await expect(mod.handler({ action: "pause" })).rejects.toThrow(/action: must be "stop" or "start"/);
    await expect(mod.handler({ action: "stop" })).rejects.toThrow(/SCHEDULER_TARGETS is not set/);
  });
});

describe("ServiceScheduler with values from other resources", () => {
  const stack = testStack("scheduler");
  const cluster = new EcsCluster(stack, "cluster", { name: "acme-test" });
  const service = new EcsService(stack, "api", { name: "acme-test-api", cluster: cluster.arn, desiredCount: 2 });
  const target = new AppautoscalingTarget(stack, "api-scaling", {
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId: `service/${cluster.name}/${service.name}`,
    minCapacity: 1,
    maxCapacity: 3,
  });
  const db = new DbInstance(stack, "db", { identifier: "acme-test-db", instanceClass: "db.t4g.micro", engine: "postgres" });
  new ServiceScheduler(stack, "scheduler", {
    namePrefix: "acme-test",
    services: {
      api: {
        clusterName: cluster.name,
        serviceName: service.name,
        serviceArn: service.id,
        desiredCount: 2,
        autoScaling: { minCapacity: 1, maxCapacity: 3, scalableTargetArn: target.arn, resourceId: target.resourceId },
      },
    },
    database: { instanceIdentifier: db.identifier, instanceArn: db.arn },
    schedule: { start: "cron(0 8 * * ? *)", stop: "cron(0 22 * * ? *)" },
  });
  const json = synth(stack);

  it("accepts Terraform references without validating them and interpolates them into the environment", () => {
    const lambda = resourceAt(json, "aws_lambda_function", "scheduler/function");
    const env = (lambda.environment as { variables: Record<string, string> }).variables[TARGETS_ENV_VAR]!;
    expect(env).toContain('"cluster":"${aws_ecs_cluster.cluster.name}"');
    expect(env).toContain('"resourceId":"${aws_appautoscaling_target.api-scaling.resource_id}"');
    expect(env).toContain('"identifier":"${aws_db_instance.db.identifier}"');
    const statements = policyStatements(json, "scheduler/function/permissions") as Statement[];
    expect(statements.find((s) => s.sid === "EcsServices")!.resources).toEqual(["${aws_ecs_service.api.id}"]);
    expect(statements.find((s) => s.sid === "ScalableTargets")!.resources).toEqual(["${aws_appautoscaling_target.api-scaling.arn}"]);
    expect(statements.find((s) => s.sid === "DatabaseInstance")!.resources).toEqual(["${aws_db_instance.db.arn}"]);
  });

  it("defaults the log retention to 30 days", () => {
    expect(resourceAt(json, "aws_cloudwatch_log_group", "scheduler/function/logs").retention_in_days).toBe(30);
  });
});

describe("ServiceScheduler for services only", () => {
  const stack = testStack("scheduler");
  new ServiceScheduler(stack, "scheduler", {
    namePrefix: "acme-dev",
    services: {
      web: {
        clusterName: "acme-dev",
        serviceName: "acme-dev-web",
        serviceArn: "arn:aws:ecs:ap-northeast-1:123456789012:service/acme-dev/acme-dev-web",
        desiredCount: 1,
      },
    },
    schedule: { start: "cron(0 8 ? * MON-FRI *)", stop: "cron(0 22 * * ? *)", timeZone: "UTC", enabled: false },
  });
  const json = synth(stack);

  it("grants no auto scaling or RDS action and reads no region", () => {
    const statements = policyStatements(json, "scheduler/function/permissions") as Statement[];
    expect(statements.map((s) => s.sid)).toEqual(["OwnLogs", "EcsServices"]);
    expect(listDataSources(json, "aws_region")).toHaveLength(0);
  });

  it("keeps disabled schedules in the given time zone", () => {
    for (const s of listResources(json, "aws_scheduler_schedule")) {
      expect(s).toMatchObject({ state: "DISABLED", schedule_expression_timezone: "UTC" });
    }
  });
});

describe("cron and time zone checks", () => {
  it.each([
    "cron(0 9 ? * MON-FRI *)",
    "cron(30 8 ? * 2-6 *)",
    "cron(0 22 * * ? *)",
    "cron(0/15 * ? * * *)",
    "cron(0 9 L * ? *)",
    "cron(0 9 ? * 6#3 *)",
    "cron(0 9 15W * ? 2026)",
    "cron(0 9 ? JAN-MAR MON,WED,FRI *)",
  ])("accepts %s", (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  it.each([
    ["rate(1 hour)", "must be written cron(...)"],
    ["cron(0 9 ? * MON-FRI)", "has 5 field(s), needs 6"],
    ["cron(60 9 ? * MON-FRI *)", 'minutes "60" is outside 0-59'],
    ["cron(0 24 ? * MON-FRI *)", 'hours "24" is outside 0-23'],
    ["cron(0 9 ? * MON-FRX *)", 'day-of-week "MON-FRX" is outside 1-7 (or SUN-SAT)'],
    ["cron(0 9 ? 13 * *)", 'month "13" is outside 1-12 (or JAN-DEC)'],
    ["cron(0 9 ? * ? *)", "needs exactly one of day-of-month and day-of-week to be ?"],
    ["cron(0 9 1 * MON *)", "needs exactly one of day-of-month and day-of-week to be ?"],
    ["cron(0/0 9 ? * * *)", 'minutes "0/0" has a step of 0'],
    ["cron(0 9 ? * MON-FRI 1969)", 'year "1969" is outside 1970-2199'],
  ])("rejects %s", (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });

  it("knows IANA zones and UTC, not misspellings", () => {
    expect(isKnownTimeZone("Asia/Tokyo")).toBe(true);
    expect(isKnownTimeZone("UTC")).toBe(true);
    expect(isKnownTimeZone("Asia/Tokio")).toBe(false);
    expect(isKnownTimeZone("JST")).toBe(false);
  });
});

describe("ServiceScheduler validation", () => {
  const build = (change: (p: ServiceSchedulerProps) => ServiceSchedulerProps) => () =>
    new ServiceScheduler(testStack("bad"), "scheduler", change(stagingProps()));
  const withService = (p: ServiceSchedulerProps, key: string, patch: object): ServiceSchedulerProps => ({
    ...p,
    services: { ...p.services, [key]: { ...p.services[key]!, ...patch } },
  });
  const withScaling = (p: ServiceSchedulerProps, patch: object): ServiceSchedulerProps =>
    withService(p, "api", { autoScaling: { ...p.services.api!.autoScaling!, ...patch } });

  it("fails when a cron expression is malformed", () => {
    expect(build((p) => ({ ...p, schedule: { ...p.schedule, stop: "cron(0 25 ? * MON-FRI *)" } }))).toThrow(
      /scheduler\.schedule\.stop: "cron\(0 25 \? \* MON-FRI \*\)" is not a valid cron expression \(hours "25" is outside 0-23\); write cron\(<minutes> <hours>/,
    );
  });

  it("fails when the schedule uses a rate expression", () => {
    expect(build((p) => ({ ...p, schedule: { ...p.schedule, start: "rate(12 hours)" } }))).toThrow(
      /schedule\.start: "rate\(12 hours\)" is not a valid cron expression \(must be written cron\(\.\.\.\)\)/,
    );
  });

  it("fails when stop and start are the same time", () => {
    expect(build((p) => ({ ...p, schedule: { ...p.schedule, start: p.schedule.stop } }))).toThrow(
      /schedule\.stop: "cron\(0 22 \? \* MON-FRI \*\)" equals schedule\.start; stop and start at different times/,
    );
  });

  it("fails when the time zone is unknown", () => {
    expect(build((p) => ({ ...p, schedule: { ...p.schedule, timeZone: "Asia/Tokio" } }))).toThrow(
      /schedule\.timeZone: "Asia\/Tokio" is not an IANA time zone; use a name like "Asia\/Tokyo"/,
    );
  });

  it("fails when a desired count is below zero", () => {
    expect(build((p) => withService(p, "web", { desiredCount: -1 }))).toThrow(
      /services\.web\.desiredCount: -1 must be a whole number >= 1 \(the task count start restores\)/,
    );
  });

  it("fails when a desired count is zero or fractional", () => {
    expect(build((p) => withService(p, "web", { desiredCount: 0 }))).toThrow(/services\.web\.desiredCount: 0 must be a whole number >= 1/);
    expect(build((p) => withService(p, "web", { desiredCount: 1.5 }))).toThrow(/services\.web\.desiredCount: 1\.5 must be/);
  });

  it("fails when min capacity is greater than max capacity", () => {
    expect(build((p) => withScaling(p, { minCapacity: 3, maxCapacity: 2 }))).toThrow(
      /services\.api\.autoScaling\.minCapacity: 3 is greater than maxCapacity 2; use the compute stack's min <= max/,
    );
  });

  it("fails when the desired count is outside the auto scaling range", () => {
    expect(build((p) => withService(p, "api", { desiredCount: 5 }))).toThrow(
      /services\.api\.desiredCount: 5 is outside autoScaling 1-2; the scaler would move it at once/,
    );
  });

  it("fails when max capacity is zero", () => {
    expect(build((p) => withScaling(p, { minCapacity: 0, maxCapacity: 0 }))).toThrow(
      /services\.api\.autoScaling\.maxCapacity: 0 must be a whole number >= 1/,
    );
  });

  it("fails when the same service is listed twice", () => {
    expect(build((p) => ({ ...p, services: { ...p.services, "api-again": { ...p.services.api!, autoScaling: undefined } } }))).toThrow(
      /services\.api-again: "acme-staging\/acme-staging-api" is the same ECS service as services\.api; list each service once/,
    );
  });

  it("fails when two services share a scalable target", () => {
    expect(build((p) => withService(p, "web", { autoScaling: p.services.api!.autoScaling, desiredCount: 1 }))).toThrow(
      /services\.api\.autoScaling\.scalableTargetArn: ".+" is also the target of services\.web/,
    );
  });

  it("fails when a service ARN is not a long-format ECS service ARN", () => {
    expect(
      build((p) => withService(p, "web", { serviceArn: "arn:aws:ecs:ap-northeast-1:123456789012:service/acme-staging-web" })),
    ).toThrow(/services\.web\.serviceArn: ".+" must be a long-format ECS service ARN \(arn:aws:ecs:<region>:<account>:service\/<cluster>\/<service>\)/);
  });

  it("fails when a service ARN names another service", () => {
    expect(build((p) => withService(p, "web", { serviceArn: API_ARN }))).toThrow(
      /services\.web\.serviceArn: ".+" names service acme-staging\/acme-staging-api, not acme-staging\/acme-staging-web/,
    );
  });

  it("fails when the scalable target ARN or resource id is wrong", () => {
    expect(build((p) => withScaling(p, { scalableTargetArn: API_ARN }))).toThrow(
      /services\.api\.autoScaling\.scalableTargetArn: ".+" must be an Application Auto Scaling target ARN \(arn:aws:application-autoscaling:<region>:<account>:scalable-target\/<id>\)/,
    );
    expect(build((p) => withScaling(p, { resourceId: "service/acme-staging/acme-staging-web" }))).toThrow(
      /services\.api\.autoScaling\.resourceId: "service\/acme-staging\/acme-staging-web" must be service\/acme-staging\/acme-staging-api/,
    );
  });

  it("fails when the database ARN does not match the identifier", () => {
    expect(
      build((p) => ({ ...p, database: { instanceIdentifier: "acme-staging-db", instanceArn: DB_ARN.replace("acme-staging-db", "acme-prod-db") } })),
    ).toThrow(/database\.instanceArn: ".+" names instance acme-prod-db, not acme-staging-db/);
  });

  it("fails when the database identifier is invalid", () => {
    expect(build((p) => ({ ...p, database: { instanceIdentifier: "1-db--", instanceArn: DB_ARN } }))).toThrow(
      /database\.instanceIdentifier: "1-db--" must be 1-63 letters/,
    );
  });

  it("fails when there is nothing to schedule", () => {
    expect(build((p) => ({ ...p, services: {}, database: undefined }))).toThrow(
      /scheduler\.services: \{\} has nothing to schedule; give at least one ECS service or a database/,
    );
  });

  it("fails when a service key cannot be a stable name", () => {
    expect(build((p) => ({ ...p, services: { Web: p.services.web! } }))).toThrow(/services\.Web: "Web" key must match/);
  });

  it("fails when the name prefix or log retention is invalid", () => {
    expect(build((p) => ({ ...p, namePrefix: "Acme_Staging" }))).toThrow(/namePrefix: "Acme_Staging" must be lower-case letters, digits and hyphens/);
    expect(build((p) => ({ ...p, logRetentionDays: 10 }))).toThrow(/logRetentionDays: 10 is not a CloudWatch Logs retention/);
  });

  it("fails when the services do not fit in the 4 KB Lambda environment", () => {
    const many = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => {
        const name = `acme-staging-a-rather-long-service-name-${i}`;
        return [
          `svc-${i}`,
          {
            clusterName: "acme-staging",
            serviceName: name,
            serviceArn: `arn:aws:ecs:ap-northeast-1:123456789012:service/acme-staging/${name}`,
            desiredCount: 1,
          },
        ];
      }),
    );
    expect(build((p) => ({ ...p, services: many }))).toThrow(/services: "50 services" need \d+ bytes of Lambda environment, over the 4 KB limit/);
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      build((p) => ({
        ...withScaling(withService(p, "web", { desiredCount: -1 }), { minCapacity: 3, maxCapacity: 2 }),
        schedule: { start: "cron(0 9 ? * MON-FRI *)", stop: "cron(bad)", timeZone: "Mars/Olympus" },
      }))();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual([
      "test-bad/scheduler.services.web.desiredCount",
      "test-bad/scheduler.services.api.autoScaling.minCapacity",
      "test-bad/scheduler.schedule.stop",
      "test-bad/scheduler.schedule.timeZone",
    ]);
  });
});

describe("ServiceScheduler on Japanese public holidays", () => {
  const variables = (skip?: boolean) => {
    const stack = testStack("holidays");
    const props = stagingProps();
    new ServiceScheduler(stack, "scheduler", { ...props, schedule: { ...props.schedule, skipStartOnJapanesePublicHolidays: skip } });
    return (onlyResource(synth(stack), "aws_lambda_function").environment as { variables: Record<string, string> }).variables;
  };

  it("tells the function to skip start on Japanese public holidays when asked", () => {
    expect(variables(true)[SKIP_START_ON_HOLIDAYS_ENV_VAR]).toBe("JP");
  });

  it("starts on every scheduled day by default", () => {
    expect(variables()).not.toHaveProperty(SKIP_START_ON_HOLIDAYS_ENV_VAR);
  });
});
