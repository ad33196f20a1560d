import { describe, expect, it } from "vitest";
import { listResources, synth, testStack } from "@platform/core/testing";
import { LoadBalancerAlarms, type LoadBalancerAlarmsProps } from "../src/index";
import { LB_SUFFIX, SINK, TG_API_SUFFIX, TG_WEB_SUFFIX, alarmsByName } from "./fixtures";

const BASE: LoadBalancerAlarmsProps = {
  namePrefix: "acme-prod",
  sink: SINK,
  loadBalancerArnSuffix: LB_SUFFIX,
  targetGroups: { web: { arnSuffix: TG_WEB_SUFFIX }, api: { arnSuffix: TG_API_SUFFIX } },
};

function build(props: Partial<LoadBalancerAlarmsProps>) {
  const stack = testStack("monitoring");
  const construct = new LoadBalancerAlarms(stack, "alb", { ...BASE, ...props });
  return { construct, alarms: alarmsByName(listResources(synth(stack), "aws_cloudwatch_metric_alarm")) };
}

describe("LoadBalancerAlarms with defaults", () => {
  const { alarms } = build({});

  it("sums 5xx from the load balancer and from targets, healthy when there is no traffic", () => {
    for (const [name, metric] of [
      ["acme-prod-alb-elb-5xx", "HTTPCode_ELB_5XX_Count"],
      ["acme-prod-alb-target-5xx", "HTTPCode_Target_5XX_Count"],
    ] as const) {
      expect(alarms[name]).toMatchObject({
        namespace: "AWS/ApplicationELB",
        metric_name: metric,
        statistic: "Sum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 10,
        period: 300,
        evaluation_periods: 1,
        treat_missing_data: "notBreaching",
        dimensions: { LoadBalancer: LB_SUFFIX },
      });
    }
  });

  it("alarms on p95 target response time above 1 s, ignoring percentiles of few samples", () => {
    const latency = alarms["acme-prod-alb-latency-high"]!;
    expect(latency).toMatchObject({
      metric_name: "TargetResponseTime",
      extended_statistic: "p95",
      evaluate_low_sample_count_percentiles: "ignore",
      threshold: 1,
      period: 300,
      evaluation_periods: 2,
      treat_missing_data: "notBreaching",
      dimensions: { LoadBalancer: LB_SUFFIX },
    });
    expect(latency.statistic).toBeUndefined();
  });

  it("alarms on any unhealthy host per target group, 3 of 5 minutes", () => {
    expect(alarms["acme-prod-alb-web-unhealthy-hosts"]).toMatchObject({
      metric_name: "UnHealthyHostCount",
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      period: 60,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: "notBreaching",
      dimensions: { LoadBalancer: LB_SUFFIX, TargetGroup: TG_WEB_SUFFIX },
    });
    expect(alarms["acme-prod-alb-api-unhealthy-hosts"]!.dimensions).toEqual({ LoadBalancer: LB_SUFFIX, TargetGroup: TG_API_SUFFIX });
  });

  it("sends ALARM and OK to the sink", () => {
    expect(Object.keys(alarms)).toHaveLength(6);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual(SINK.alarmActionArns);
      expect(alarm.ok_actions).toEqual(SINK.okActionArns);
    }
  });
});

describe("LoadBalancerAlarms target 4xx ratio", () => {
  const { alarms } = build({ target4xxRatio: { thresholdPercent: 30, minimumRequests: 500 }, runbookUrl: "https://example.com/alarms.md" });
  const ratio = alarms["acme-prod-alb-target-4xx-ratio"]!;
  const queries = ratio.metric_query as Array<Record<string, any>>;

  it("divides target 4xx by requests, counting only periods with enough requests", () => {
    expect(ratio).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 30, evaluation_periods: 3, treat_missing_data: "notBreaching" });
    expect(ratio.metric_name).toBeUndefined();
    const expression = queries.find((q) => q.expression);
    expect(expression).toMatchObject({ id: "e1", return_data: true, expression: "IF(requests >= 500, 100 * FILL(errors, 0) / requests, 0)" });
    const metrics = Object.fromEntries(queries.filter((q) => q.metric).map((q) => [q.id, q.metric]));
    expect(metrics.errors).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "HTTPCode_Target_4XX_Count", stat: "Sum", period: 300, dimensions: { LoadBalancer: LB_SUFFIX } });
    expect(metrics.requests).toMatchObject({ metric_name: "RequestCount", stat: "Sum", period: 300 });
  });

  it("links every alarm to its runbook section", () => {
    expect(ratio.alarm_description).toMatch(/Runbook: https:\/\/example\.com\/alarms\.md#alb-target-4xx-ratio$/);
    expect(alarms["acme-prod-alb-elb-5xx"]!.alarm_description).toMatch(/#alb-elb-5xx$/);
    expect(alarms["acme-prod-alb-web-unhealthy-hosts"]!.alarm_description).toMatch(/#alb-unhealthy-hosts$/);
  });
});

describe("LoadBalancerAlarms with overrides", () => {
  const { construct, alarms } = build({
    elb5xx: false,
    target5xx: { threshold: 25, periodSeconds: 60, evaluationPeriods: 3 },
    responseTime: { statistic: "Average", thresholdSeconds: 0.5 },
    target4xxRatio: false,
    targetGroups: { web: { arnSuffix: TG_WEB_SUFFIX, unhealthyHosts: false } },
  });

  it("leaves out what is turned off", () => {
    expect(construct.elb5xx).toBeUndefined();
    expect(construct.unhealthyHosts).toEqual({});
    expect(Object.keys(alarms).sort()).toEqual(["acme-prod-alb-latency-high", "acme-prod-alb-target-5xx"]);
    expect(construct.target4xxRatio).toBeUndefined();
  });

  it("uses a plain statistic for average latency", () => {
    const latency = alarms["acme-prod-alb-latency-high"]!;
    expect(latency).toMatchObject({ statistic: "Average", threshold: 0.5 });
    expect(latency.extended_statistic).toBeUndefined();
    expect(latency.evaluate_low_sample_count_percentiles).toBeUndefined();
  });

  it("applies threshold and window overrides", () => {
    expect(alarms["acme-prod-alb-target-5xx"]).toMatchObject({ threshold: 25, period: 60, evaluation_periods: 3, datapoints_to_alarm: 3 });
  });
});

describe("LoadBalancerAlarms validation", () => {
  const attempt = (props: Partial<LoadBalancerAlarmsProps>) => () =>
    new LoadBalancerAlarms(testStack(), "alb", { ...BASE, ...props });

  it("fails when the load balancer is given as a full ARN instead of its suffix", () => {
    expect(
      attempt({ loadBalancerArnSuffix: `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/${LB_SUFFIX}` }),
    ).toThrow(/alb\.loadBalancerArnSuffix: "arn:aws:elasticloadbalancing:.+" must be the ALB ARN suffix "app\/<name>\/<id>"/);
  });

  it("fails when a target group suffix is malformed", () => {
    expect(attempt({ targetGroups: { web: { arnSuffix: "acme-prod-web" } } })).toThrow(
      /targetGroups\.web\.arnSuffix: "acme-prod-web" must be the target group ARN suffix/,
    );
  });

  it("fails when a count threshold is negative or latency is not positive", () => {
    expect(attempt({ target5xx: { threshold: -1 }, responseTime: { thresholdSeconds: 0 } })).toThrow(
      /target5xx\.threshold: -1 must be a count of 0 or more[\s\S]*responseTime\.thresholdSeconds: 0 must be greater than 0/,
    );
  });

  it("fails when a period is not a multiple of 60", () => {
    expect(attempt({ elb5xx: { periodSeconds: 10 } })).toThrow(/elb5xx\.periodSeconds: 10 must be a multiple of 60/);
  });

  it("fails when datapoints to alarm exceed evaluation periods", () => {
    expect(
      attempt({ targetGroups: { web: { arnSuffix: TG_WEB_SUFFIX, unhealthyHosts: { evaluationPeriods: 2 } } } }),
    ).toThrow(/targetGroups\.web\.unhealthyHosts\.datapointsToAlarm: 3 must be a whole number from 1 to evaluationPeriods \(2\)/);
  });
});
