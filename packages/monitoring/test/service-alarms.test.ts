import { describe, expect, it } from "vitest";
import { listResources, synth, testStack } from "@platform/core/testing";
import { ServiceAlarms, type ServiceAlarmsProps } from "../src/index";
import { SINK, alarmsByName } from "./fixtures";

const BASE: ServiceAlarmsProps = {
  namePrefix: "acme-prod",
  sink: SINK,
  clusterName: "acme-prod",
  services: { web: { serviceName: "acme-prod-web" }, api: { serviceName: "acme-prod-api" } },
};

function build(props: Partial<ServiceAlarmsProps>) {
  const stack = testStack("monitoring");
  const construct = new ServiceAlarms(stack, "ecs", { ...BASE, ...props });
  return { construct, alarms: alarmsByName(listResources(synth(stack), "aws_cloudwatch_metric_alarm")) };
}

describe("ServiceAlarms with defaults", () => {
  const { construct, alarms } = build({});

  it("alarms on CPU above 80 % for 2 x 300 s, as the operations guide sets it", () => {
    expect(alarms["acme-prod-ecs-web-cpu-high"]).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: "CPUUtilization",
      statistic: "Average",
      comparison_operator: "GreaterThanThreshold",
      threshold: 80,
      period: 300,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      dimensions: { ClusterName: "acme-prod", ServiceName: "acme-prod-web" },
    });
  });

  it("alarms on memory above 80 % per service", () => {
    expect(alarms["acme-prod-ecs-api-memory-high"]).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: "MemoryUtilization",
      threshold: 80,
      period: 300,
      evaluation_periods: 2,
      dimensions: { ClusterName: "acme-prod", ServiceName: "acme-prod-api" },
    });
  });

  it("creates no running-task alarm without Container Insights", () => {
    expect(Object.keys(alarms).sort()).toEqual([
      "acme-prod-ecs-api-cpu-high",
      "acme-prod-ecs-api-memory-high",
      "acme-prod-ecs-web-cpu-high",
      "acme-prod-ecs-web-memory-high",
    ]);
    expect(construct.alarms.web!.runningTasks).toBeUndefined();
  });

  it("sends ALARM and OK to the sink", () => {
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual(SINK.alarmActionArns);
      expect(alarm.ok_actions).toEqual(SINK.okActionArns);
      expect(alarm.actions_enabled).toBe(true);
    }
  });

  it("describes what to look at first", () => {
    expect(alarms["acme-prod-ecs-web-cpu-high"]!.alarm_description).toMatch(
      /^ECS service web CPU above 80 % for 2 x 300 s: check .+ first/,
    );
  });
});

describe("ServiceAlarms with Container Insights and overrides", () => {
  const { alarms } = build({
    containerInsights: true,
    services: {
      web: { serviceName: "acme-prod-web", cpu: { thresholdPercent: 70, periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3 } },
      worker: { serviceName: "acme-prod-worker", memory: false, runningTasks: { minimumTasks: 2 } },
      batch: { serviceName: "acme-prod-batch", runningTasks: false },
    },
  });

  it("applies M-of-N overrides", () => {
    expect(alarms["acme-prod-ecs-web-cpu-high"]).toMatchObject({ threshold: 70, period: 60, evaluation_periods: 5, datapoints_to_alarm: 3 });
    expect(alarms["acme-prod-ecs-web-cpu-high"]!.alarm_description).toContain("3 of 5 x 60 s");
  });

  it("alarms on running tasks below the minimum from Container Insights, treating silence as an outage", () => {
    expect(alarms["acme-prod-ecs-web-tasks-low"]).toMatchObject({
      namespace: "ECS/ContainerInsights",
      metric_name: "RunningTaskCount",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      period: 60,
      evaluation_periods: 3,
      treat_missing_data: "breaching",
      dimensions: { ClusterName: "acme-prod", ServiceName: "acme-prod-web" },
    });
    expect(alarms["acme-prod-ecs-worker-tasks-low"]!.threshold).toBe(2);
  });

  it("leaves out alarms turned off with false", () => {
    expect(alarms["acme-prod-ecs-worker-memory-high"]).toBeUndefined();
    expect(alarms["acme-prod-ecs-batch-tasks-low"]).toBeUndefined();
    expect(alarms["acme-prod-ecs-batch-cpu-high"]).toBeDefined();
  });
});

describe("ServiceAlarms validation", () => {
  const attempt = (props: Partial<ServiceAlarmsProps>) => () => new ServiceAlarms(testStack(), "ecs", { ...BASE, ...props });

  it("fails when the service list is empty", () => {
    expect(attempt({ services: {} })).toThrow(/ecs\.services: \{\} must list at least one service/);
  });

  it("fails when a CPU threshold is not a percentage", () => {
    expect(attempt({ services: { web: { serviceName: "w", cpu: { thresholdPercent: 120 } } } })).toThrow(
      /ecs\.services\.web\.cpu\.thresholdPercent: 120 must be a percentage greater than 0 and less than 100/,
    );
    expect(attempt({ services: { web: { serviceName: "w", memory: { thresholdPercent: 0 } } } })).toThrow(
      /services\.web\.memory\.thresholdPercent: 0 must be a percentage/,
    );
  });

  it("fails when a period is not a multiple of 60", () => {
    expect(attempt({ services: { web: { serviceName: "w", cpu: { periodSeconds: 90 } } } })).toThrow(
      /services\.web\.cpu\.periodSeconds: 90 must be a multiple of 60 .*10\/20\/30 s high-resolution/,
    );
    expect(attempt({ services: { web: { serviceName: "w", cpu: { periodSeconds: 30 } } } })).toThrow(
      /services\.web\.cpu\.periodSeconds: 30 must be a multiple of 60/,
    );
  });

  it("fails when evaluation periods are fewer than 1", () => {
    expect(attempt({ services: { web: { serviceName: "w", cpu: { evaluationPeriods: 0 } } } })).toThrow(
      /services\.web\.cpu\.evaluationPeriods: 0 must be a whole number of at least 1/,
    );
  });

  it("fails when datapoints to alarm exceed the evaluation periods", () => {
    expect(attempt({ services: { web: { serviceName: "w", cpu: { evaluationPeriods: 2, datapointsToAlarm: 3 } } } })).toThrow(
      /services\.web\.cpu\.datapointsToAlarm: 3 must be a whole number from 1 to evaluationPeriods \(2\)/,
    );
  });

  it("fails when the evaluation range exceeds one day", () => {
    expect(attempt({ services: { web: { serviceName: "w", cpu: { periodSeconds: 300, evaluationPeriods: 289 } } } })).toThrow(
      /cpu\.evaluationPeriods: 289 times periodSeconds \(300\) must not exceed 86400 s/,
    );
  });

  it("fails when running tasks are asked for without Container Insights", () => {
    expect(attempt({ services: { web: { serviceName: "w", runningTasks: { minimumTasks: 1 } } } })).toThrow(
      /services\.web\.runningTasks: \{"minimumTasks":1\} needs the Container Insights metric RunningTaskCount: set containerInsights: true/,
    );
  });

  it("fails when a service key is not a stable construct key, listing every problem at once", () => {
    let message = "";
    try {
      attempt({ services: { Web_1: { serviceName: "", cpu: { thresholdPercent: 101 } } } })();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/3 problems/);
    expect(message).toMatch(/services\.Web_1: "Web_1" key must be lower-case/);
    expect(message).toMatch(/services\.Web_1\.serviceName: "" must name the ECS service/);
  });
});
