import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, onlyResource, resourceAddresses, synth, testStack } from "@platform/core/testing";
import { Monitoring } from "../src/index";
import { ACCOUNT_ID } from "./fixtures";
import { prodLikeMonitoringStack } from "./prod-like";

describe("Monitoring for prod", () => {
  const { stack, monitoring } = prodLikeMonitoringStack(Testing.app());
  const json = synth(stack);
  const alarms = listResources(json, "aws_cloudwatch_metric_alarm");

  it("creates the topic, every alarm group and the dashboard", () => {
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      "acme-prod-alb-api-unhealthy-hosts",
      "acme-prod-alb-elb-5xx",
      "acme-prod-alb-latency-high",
      "acme-prod-alb-target-4xx-ratio",
      "acme-prod-alb-target-5xx",
      "acme-prod-alb-web-unhealthy-hosts",
      "acme-prod-db-acu-near-max",
      "acme-prod-db-connections-high",
      "acme-prod-db-cpu-high",
      "acme-prod-db-memory-low",
      "acme-prod-db-read-latency-high",
      "acme-prod-db-write-latency-high",
      "acme-prod-ecs-api-cpu-high",
      "acme-prod-ecs-api-memory-high",
      "acme-prod-ecs-api-scaling-at-max",
      "acme-prod-ecs-api-tasks-below-desired",
      "acme-prod-ecs-api-tasks-low",
      "acme-prod-ecs-web-cpu-high",
      "acme-prod-ecs-web-memory-high",
      "acme-prod-ecs-web-scaling-at-max",
      "acme-prod-ecs-web-tasks-below-desired",
      "acme-prod-ecs-web-tasks-low",
      "acme-prod-lambda-database-url-errors",
      "acme-prod-lambda-database-url-throttles",
      "acme-prod-lambda-scheduler-errors",
      "acme-prod-nat-0-bytes-out-high",
    ]);
    expect(onlyResource(json, "aws_cloudwatch_dashboard").dashboard_name).toBe("acme-prod-overview");
    expect(monitoring.ref.topicArn).toBe(monitoring.topic.topicArn);
  });

  it("routes every alarm's ALARM and OK actions to the encrypted topic", () => {
    const topicName = Object.keys(json.resource!.aws_sns_topic!)[0];
    const arn = `\${aws_sns_topic.${topicName}.arn}`;
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([arn]);
      expect(alarm.ok_actions).toEqual([arn]);
    }
  });

  it("keeps its Terraform addresses stable", () => {
    expect(resourceAddresses(json)).toMatchSnapshot();
  });
});

describe("Monitoring for a cheap staging", () => {
  const stack = testStack("monitoring");
  const monitoring = new Monitoring(stack, "monitoring", {
    namePrefix: "acme-staging",
    accountId: ACCOUNT_ID,
    region: "ap-northeast-1",
    ecs: { clusterName: "acme-staging", services: { web: { serviceName: "acme-staging-web", memory: false } } },
    dashboard: false,
    extraSinks: [{ alarmActionArns: ["arn:aws:sns:ap-northeast-1:123456789012:datadog"], okActionArns: [] }],
  });
  const json = synth(stack);

  it("gets only what its config asks for", () => {
    expect(listResources(json, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name)).toEqual(["acme-staging-ecs-web-cpu-high"]);
    expect(listResources(json, "aws_cloudwatch_dashboard")).toHaveLength(0);
    expect(listResources(json, "aws_sns_topic_subscription")).toHaveLength(0);
    expect(monitoring.loadBalancerAlarms).toBeUndefined();
    expect(monitoring.databaseAlarms).toBeUndefined();
  });

  it("also notifies extra sinks", () => {
    const [alarm] = listResources(json, "aws_cloudwatch_metric_alarm");
    expect(alarm!.alarm_actions).toEqual([
      expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/),
      "arn:aws:sns:ap-northeast-1:123456789012:datadog",
    ]);
    expect(alarm!.ok_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/)]);
  });

  it("fails when ECS alarms are asked for with no services", () => {
    expect(
      () =>
        new Monitoring(testStack(), "monitoring", {
          namePrefix: "acme-staging",
          accountId: ACCOUNT_ID,
          region: "ap-northeast-1",
          ecs: { clusterName: "acme-staging", services: {} },
        }),
    ).toThrow(/monitoring\/ecs\.services: \{\} must list at least one service/);
  });
});
