import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, onlyResource, synth, testStack } from "@platform/core/testing";
import { RUNBOOK_ANCHORS, ServiceAlarms, type ServiceAlarmsProps } from "../src/index";
import { ACCOUNT_ID, RUNBOOK_URL, SINK, alarmsByName } from "./fixtures";
import { prodLikeMonitoringStack } from "./prod-like";

const { stack } = prodLikeMonitoringStack(Testing.app());
const json = synth(stack);
const alarms = alarmsByName(listResources(json, "aws_cloudwatch_metric_alarm"));
const topicRef = (attr: string) => expect.stringMatching(new RegExp(`^\\$\\{aws_sns_topic\\..+\\.${attr}\\}$`));

describe("deployment failures and circuit-breaker rollbacks", () => {
  const rules = Object.fromEntries(listResources(json, "aws_cloudwatch_event_rule").map((r) => [r.name as string, r]));

  it("matches SERVICE_DEPLOYMENT_FAILED of this cluster's services only", () => {
    const rule = rules["acme-prod-ecs-deployment-failed"]!;
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      resources: [{ prefix: expect.stringMatching(/:ecs:.+:123456789012:service\/acme-prod-cluster\/$/) }],
      detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
    });
    expect(rule.description).toMatch(/Runbook: .+#ecs-deployment-failed$/);
  });

  it("matches the rollback deployment the circuit breaker starts", () => {
    const pattern = JSON.parse(rules["acme-prod-ecs-deployment-rollback"]!.event_pattern as string);
    expect(pattern.detail).toEqual({
      eventName: ["SERVICE_DEPLOYMENT_IN_PROGRESS"],
      reason: [{ prefix: "ECS deployment circuit breaker: rolling back" }],
    });
    expect(pattern.resources).toEqual(JSON.parse(rules["acme-prod-ecs-deployment-failed"]!.event_pattern as string).resources);
  });

  it("sends both to the alarm topic", () => {
    const targets = listResources(json, "aws_cloudwatch_event_target");
    expect(targets).toHaveLength(2);
    for (const target of targets) expect(target.arn).toEqual(topicRef("arn"));
  });
});

describe("the topic admits EventBridge from the two rules and Budgets from this account", () => {
  const documents = json.data!.aws_iam_policy_document as Record<string, { statement: Array<Record<string, any>> }>;
  const topicPolicy = Object.entries(documents).find(([key]) => key.includes("topic-policy"))![1];
  const keyPolicy = Object.entries(documents).find(([key]) => key.includes("key-policy"))![1];
  const bySid = Object.fromEntries(topicPolicy.statement.map((s) => [s.sid, s]));

  it("scopes events.amazonaws.com by aws:SourceArn to exactly the two rules", () => {
    const events = bySid.EventsPublishFromNamedSources!;
    expect(events.principals).toEqual([{ type: "Service", identifiers: ["events.amazonaws.com"] }]);
    expect(events.actions).toEqual(["sns:Publish"]);
    expect(events.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT_ID] },
      {
        test: "ArnLike",
        variable: "aws:SourceArn",
        values: [
          expect.stringMatching(/:events:.+:123456789012:rule\/acme-prod-ecs-deployment-failed$/),
          expect.stringMatching(/:events:.+:123456789012:rule\/acme-prod-ecs-deployment-rollback$/),
        ],
      },
    ]);
  });

  it("scopes budgets.amazonaws.com to this account's budgets", () => {
    const budgets = bySid.BudgetsPublishFromNamedSources!;
    expect(budgets.principals).toEqual([{ type: "Service", identifiers: ["budgets.amazonaws.com"] }]);
    expect(budgets.condition[1]).toEqual({
      test: "ArnLike",
      variable: "aws:SourceArn",
      values: [expect.stringMatching(/:budgets::123456789012:\*$/)],
    });
  });

  it("keeps CloudWatch's own statement and lets every publisher use the topic key", () => {
    expect(bySid.ServicesOfThisAccountPublish!.principals[0].identifiers).toEqual(["cloudwatch.amazonaws.com"]);
    const use = keyPolicy.statement.find((s) => s.sid === "PublishersUseKey")!;
    expect(use.principals[0].identifiers).toEqual(["cloudwatch.amazonaws.com", "events.amazonaws.com", "budgets.amazonaws.com"]);
  });
});

describe("monthly cost budget", () => {
  const budget = onlyResource(json, "aws_budgets_budget");

  it("is a monthly COST budget in USD of this environment's tagged costs", () => {
    expect(budget).toMatchObject({
      name: "acme-prod-monthly-cost",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "400.0",
      limit_unit: "USD",
      cost_filter: [{ name: "TagKeyValue", values: ["user:environment$prod"] }],
    });
  });

  it("notifies the topic at 80 % actual and 100 % forecast", () => {
    expect(budget.notification).toEqual([
      { notification_type: "ACTUAL", comparison_operator: "GREATER_THAN", threshold: 80, threshold_type: "PERCENTAGE", subscriber_sns_topic_arns: [topicRef("arn")] },
      { notification_type: "FORECASTED", comparison_operator: "GREATER_THAN", threshold: 100, threshold_type: "PERCENTAGE", subscriber_sns_topic_arns: [topicRef("arn")] },
    ]);
  });
});

describe("ECS scaling alarms (Container Insights)", () => {
  it("fires when desired tasks stay at the scaler's maximum for 3 x 300 s", () => {
    expect(alarms["acme-prod-ecs-web-scaling-at-max"]).toMatchObject({
      namespace: "ECS/ContainerInsights",
      metric_name: "DesiredTaskCount",
      statistic: "Minimum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 10,
      period: 300,
      evaluation_periods: 3,
      dimensions: { ClusterName: "acme-prod-cluster", ServiceName: "acme-prod-web" },
    });
  });

  it("fires when running tasks stay below desired for 10 x 60 s (metric math)", () => {
    const alarm = alarms["acme-prod-ecs-api-tasks-below-desired"]!;
    expect(alarm).toMatchObject({ comparison_operator: "GreaterThanOrEqualToThreshold", threshold: 1, evaluation_periods: 10, datapoints_to_alarm: 10 });
    const queries = alarm.metric_query as Array<Record<string, any>>;
    expect(queries[0]).toMatchObject({ id: "e1", expression: "desired - running", return_data: true });
    expect(queries.slice(1).map((q) => [q.id, q.metric.namespace, q.metric.metric_name, q.metric.period])).toEqual([
      ["desired", "ECS/ContainerInsights", "DesiredTaskCount", 60],
      ["running", "ECS/ContainerInsights", "RunningTaskCount", 60],
    ]);
  });

  it("keeps the memory alarm above the scaling target", () => {
    expect(alarms["acme-prod-ecs-web-memory-high"]).toMatchObject({ threshold: 85 });
  });
});

describe("ServiceAlarms refuses thresholds at or below the scaling target", () => {
  const base: ServiceAlarmsProps = { namePrefix: "acme-prod", sink: SINK, clusterName: "acme-prod", containerInsights: true, services: {} };
  const attempt = (services: ServiceAlarmsProps["services"], insights = true) => () =>
    new ServiceAlarms(testStack(), "ecs", { ...base, containerInsights: insights, services });

  it("names the field, the value and the target", () => {
    expect(attempt({ web: { serviceName: "w", scalingTargets: { memoryPercent: 80 } } })).toThrow(
      /services\.web\.memory\.thresholdPercent[\s\S]*80[\s\S]*must exceed the auto scaling memory target \(80 %\)/,
    );
    expect(attempt({ web: { serviceName: "w", cpu: { thresholdPercent: 60 }, scalingTargets: { cpuPercent: 70 } } })).toThrow(/cpu target \(70 %\)/);
    expect(attempt({ web: { serviceName: "w", memory: { thresholdPercent: 85 }, scalingTargets: { memoryPercent: 80 } } })).not.toThrow();
  });

  it("asks for Container Insights and maxTasks where the alarms need them", () => {
    expect(attempt({ web: { serviceName: "w", atMaximum: {} } }, false)).toThrow(/atMaximum[\s\S]*Container Insights/);
    expect(attempt({ web: { serviceName: "w", atMaximum: {} } })).toThrow(/needs maxTasks/);
    expect(attempt({ web: { serviceName: "w", maxTasks: 0 } })).toThrow(/maxTasks/);
  });
});

describe("Lambda alarms", () => {
  it("alarm on any error or throttle per function, quiet without invocations", () => {
    expect(alarms["acme-prod-lambda-database-url-errors"]).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: "acme-prod-database-url-publisher" },
      statistic: "Sum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      period: 300,
      evaluation_periods: 1,
      treat_missing_data: "notBreaching",
    });
    expect(alarms["acme-prod-lambda-database-url-throttles"]).toMatchObject({ metric_name: "Throttles", threshold: 0 });
    expect(alarms["acme-prod-lambda-scheduler-throttles"]).toBeUndefined();
  });
});

describe("NAT data alarm", () => {
  it("sums BytesOutToDestination per NAT gateway over two hours at 1 GB each", () => {
    expect(alarms["acme-prod-nat-0-bytes-out-high"]).toMatchObject({
      namespace: "AWS/NATGateway",
      metric_name: "BytesOutToDestination",
      dimensions: { NatGatewayId: "nat-0123456789abcdef0" },
      statistic: "Sum",
      threshold: 1e9,
      period: 3600,
      evaluation_periods: 2,
    });
  });
});

describe("runbook links", () => {
  const docs = ["alarms.md", "alarms.ja.md"].map((file) => readFileSync(join(import.meta.dirname, "../../../docs/runbooks", file), "utf8"));

  it("every alarm's description ends with its runbook section", () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_description).toMatch(new RegExp(` Runbook: ${RUNBOOK_URL.replace(/[.]/g, "\\.")}#[a-z0-9-]+$`));
    }
  });

  it("every anchor exists in the English and the Japanese runbook", () => {
    for (const anchor of Object.values(RUNBOOK_ANCHORS)) {
      for (const doc of docs) expect(doc).toContain(`<a id="${anchor}"></a>`);
    }
  });
});
