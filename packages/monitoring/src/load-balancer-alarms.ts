import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";
import {
  type AlarmWindow,
  type CountAlarmOptions,
  type LatencyAlarmOptions,
  checkCount,
  checkPercent,
  checkPositive,
  enabled,
  resolveWindow,
} from "./alarm-options";
import { describeWindow, mathAlarm, metricAlarm } from "./metric-alarm";
import { RUNBOOK_ANCHORS, runbookLink } from "./runbook";

/** An alarm on the share of target responses that are 4xx. */
export interface ErrorRatioAlarmOptions extends AlarmWindow {
  /**
   * Percentage of requests answered 4xx by the targets above which the alarm fires.
   * @default 20
   */
  readonly thresholdPercent?: number;
  /**
   * Fewest requests in a period for the ratio to count; quieter periods never breach (ten 404s
   * of a scanner at night are not an incident).
   * @default 100
   */
  readonly minimumRequests?: number;
}

/** One target group to watch for unhealthy hosts. */
export interface TargetGroupAlarmTarget {
  /** ARN suffix of the target group, `targetgroup/<name>/<id>` (the `TargetGroup` dimension). */
  readonly arnSuffix: string;
  /**
   * Unhealthy hosts above the threshold. Set `false` to turn off.
   * @default more than 0 unhealthy hosts in 3 of 5 × 60 s (a single slow deployment minute does not page)
   */
  readonly unhealthyHosts?: CountAlarmOptions | false;
}

export interface LoadBalancerAlarmsProps {
  /** Prefix of every alarm name, e.g. `acme-prod`; the construct ID follows it. */
  readonly namePrefix: string;
  /** Where ALARM and OK notifications go, e.g. an `AlarmTopic`. */
  readonly sink: AlarmSink;
  /** ARN suffix of the ALB, `app/<name>/<id>` (the `LoadBalancer` dimension; aws_lb's `arn_suffix`). */
  readonly loadBalancerArnSuffix: string;
  /**
   * 5xx responses the load balancer generated itself (no healthy target, timeouts), summed per period.
   * Set `false` to turn off.
   * @default more than 10 in 1 × 300 s
   */
  readonly elb5xx?: CountAlarmOptions | false;
  /**
   * 5xx responses returned by the targets (application errors), summed per period. Set `false` to turn off.
   * @default more than 10 in 1 × 300 s
   */
  readonly target5xx?: CountAlarmOptions | false;
  /**
   * Target response time above the threshold. Set `false` to turn off.
   * @default p95 above 1 s for 2 × 300 s
   */
  readonly responseTime?: LatencyAlarmOptions | false;
  /**
   * Share of requests the targets answered 4xx (`HTTPCode_Target_4XX_Count / RequestCount`): a
   * broken client release, an expired auth key, a route that disappeared. Set `false` to turn off.
   * @default above 20 % with at least 100 requests, 3 x 300 s
   */
  readonly target4xxRatio?: ErrorRatioAlarmOptions | false;
  /** Runbook page linked from every description (`docs/runbooks/alarms.md`). @default no link */
  readonly runbookUrl?: string;
  /**
   * Target groups keyed by a short stable name (`web`, `api`), each with an unhealthy-host alarm.
   * @default none
   */
  readonly targetGroups?: Readonly<Record<string, TargetGroupAlarmTarget>>;
}

const ERRORS_DEFAULTS = { threshold: 10, periodSeconds: 300, evaluationPeriods: 1 } as const;
const LATENCY_DEFAULTS = { thresholdSeconds: 1, statistic: "p95", periodSeconds: 300, evaluationPeriods: 2 } as const;
const RATIO_DEFAULTS = { thresholdPercent: 20, minimumRequests: 100, periodSeconds: 300, evaluationPeriods: 3 } as const;
const UNHEALTHY_DEFAULTS = { threshold: 0, periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

const LB_SUFFIX_PATTERN = /^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,16}$/;
const TG_SUFFIX_PATTERN = /^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,16}$/;

/**
 * Alarms on an Application Load Balancer: 5xx counts from the load balancer and from the
 * targets, target response time, and unhealthy hosts per target group. Periods without
 * requests publish no datapoints and count as healthy.
 */
export class LoadBalancerAlarms extends Construct {
  readonly elb5xx?: CloudwatchMetricAlarm;
  readonly target5xx?: CloudwatchMetricAlarm;
  readonly responseTime?: CloudwatchMetricAlarm;
  readonly target4xxRatio?: CloudwatchMetricAlarm;
  /** Unhealthy-host alarms keyed like `props.targetGroups`. */
  readonly unhealthyHosts: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    if (isKnown(props.loadBalancerArnSuffix)) {
      v.check(
        LB_SUFFIX_PATTERN.test(props.loadBalancerArnSuffix),
        "loadBalancerArnSuffix",
        props.loadBalancerArnSuffix,
        'must be the ALB ARN suffix "app/<name>/<id>" (aws_lb arn_suffix), not the full ARN or the DNS name.',
      );
    }
    const elb5xx = enabled(props.elb5xx);
    const target5xx = enabled(props.target5xx);
    const latency = enabled(props.responseTime);
    if (elb5xx) checkCount(v, "elb5xx.threshold", elb5xx.threshold ?? ERRORS_DEFAULTS.threshold);
    if (target5xx) checkCount(v, "target5xx.threshold", target5xx.threshold ?? ERRORS_DEFAULTS.threshold);
    if (latency) checkPositive(v, "responseTime.thresholdSeconds", latency.thresholdSeconds ?? LATENCY_DEFAULTS.thresholdSeconds, "1.5");
    const elb5xxWindow = elb5xx && resolveWindow(v, "elb5xx", elb5xx, ERRORS_DEFAULTS);
    const target5xxWindow = target5xx && resolveWindow(v, "target5xx", target5xx, ERRORS_DEFAULTS);
    const latencyWindow = latency && resolveWindow(v, "responseTime", latency, LATENCY_DEFAULTS);
    const ratio = enabled(props.target4xxRatio);
    if (ratio) {
      checkPercent(v, "target4xxRatio.thresholdPercent", ratio.thresholdPercent ?? RATIO_DEFAULTS.thresholdPercent);
      checkCount(v, "target4xxRatio.minimumRequests", ratio.minimumRequests ?? RATIO_DEFAULTS.minimumRequests);
    }
    const ratioWindow = ratio && resolveWindow(v, "target4xxRatio", ratio, RATIO_DEFAULTS);

    const groups = Object.entries(props.targetGroups ?? {}).map(([key, group]) => {
      const field = `targetGroups.${key}`;
      v.check(
        CONSTRUCT_KEY_PATTERN.test(key),
        field,
        key,
        "key must be lower-case letters, digits and hyphens, starting with a letter (at most 31 characters).",
      );
      if (isKnown(group.arnSuffix)) {
        v.check(
          TG_SUFFIX_PATTERN.test(group.arnSuffix),
          `${field}.arnSuffix`,
          group.arnSuffix,
          'must be the target group ARN suffix "targetgroup/<name>/<id>" (aws_lb_target_group arn_suffix).',
        );
      }
      const unhealthy = enabled(group.unhealthyHosts);
      if (unhealthy) checkCount(v, `${field}.unhealthyHosts.threshold`, unhealthy.threshold ?? UNHEALTHY_DEFAULTS.threshold);
      return {
        key,
        group,
        unhealthy: unhealthy && { options: unhealthy, window: resolveWindow(v, `${field}.unhealthyHosts`, unhealthy, UNHEALTHY_DEFAULTS) },
      };
    });
    v.throwIfAny();

    const name = (suffix: string) => boundedName([props.namePrefix, id, suffix], NAME_LIMITS.alarmName);
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };

    if (elb5xx && elb5xxWindow) {
      const threshold = elb5xx.threshold ?? ERRORS_DEFAULTS.threshold;
      this.elb5xx = metricAlarm(this, "elb-5xx", {
        alarmName: name("elb-5xx"),
        description:
          `Load balancer returned more than ${threshold} 5xx of its own in ${describeWindow(elb5xxWindow)}: ` +
          "check the target groups' healthy host count first (502/503 mean no healthy target or a target that closed the connection).",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        dimensions: lb,
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold,
        window: elb5xxWindow,
        treatMissingData: "notBreaching",
        sink: props.sink,
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.elb5xx),
      });
    }
    if (target5xx && target5xxWindow) {
      const threshold = target5xx.threshold ?? ERRORS_DEFAULTS.threshold;
      this.target5xx = metricAlarm(this, "target-5xx", {
        alarmName: name("target-5xx"),
        description:
          `Targets returned more than ${threshold} 5xx in ${describeWindow(target5xxWindow)}: ` +
          "search the application logs for ERROR since the alarm started and compare with the latest deployment first.",
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: lb,
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold,
        window: target5xxWindow,
        treatMissingData: "notBreaching",
        sink: props.sink,
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.target5xx),
      });
    }
    if (latency && latencyWindow) {
      const threshold = latency.thresholdSeconds ?? LATENCY_DEFAULTS.thresholdSeconds;
      const statistic = latency.statistic ?? LATENCY_DEFAULTS.statistic;
      this.responseTime = metricAlarm(this, "response-time", {
        alarmName: name("latency-high"),
        description:
          `Target response time ${statistic} above ${threshold} s for ${describeWindow(latencyWindow)}: ` +
          "check database CPU and connections on the dashboard first, then the services' CPU.",
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: lb,
        statistic,
        comparison: "GreaterThanThreshold",
        threshold,
        window: latencyWindow,
        // No requests, no latency datapoints: quiet hours must not page.
        treatMissingData: "notBreaching",
        sink: props.sink,
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.albLatency),
      });
    }

    if (ratio && ratioWindow) {
      const percent = ratio.thresholdPercent ?? RATIO_DEFAULTS.thresholdPercent;
      const minimum = ratio.minimumRequests ?? RATIO_DEFAULTS.minimumRequests;
      this.target4xxRatio = mathAlarm(this, "target-4xx-ratio", {
        alarmName: name("target-4xx-ratio"),
        description:
          `Targets answered more than ${percent} % of requests with 4xx (periods with at least ${minimum} requests) for ${describeWindow(ratioWindow)}: ` +
          "find the path and status in the ALB access logs or the service logs first (a removed route, an expired key, a client release).",
        // IF keeps quiet periods at 0; FILL turns "no 4xx at all" (no datapoint) into 0.
        expression: `IF(requests >= ${minimum}, 100 * FILL(errors, 0) / requests, 0)`,
        label: "Target 4xx, % of requests",
        metrics: [
          { id: "errors", namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_4XX_Count", dimensions: lb, statistic: "Sum" },
          { id: "requests", namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: lb, statistic: "Sum" },
        ],
        comparison: "GreaterThanThreshold",
        threshold: percent,
        window: ratioWindow,
        treatMissingData: "notBreaching",
        sink: props.sink,
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.target4xx),
      });
    }

    const unhealthyHosts: Record<string, CloudwatchMetricAlarm> = {};
    for (const { key, group, unhealthy } of groups) {
      if (!unhealthy) continue;
      const threshold = unhealthy.options.threshold ?? UNHEALTHY_DEFAULTS.threshold;
      unhealthyHosts[key] = metricAlarm(this, `unhealthy-${key}`, {
        alarmName: name(`${key}-unhealthy-hosts`),
        description:
          `Target group ${key} had more than ${threshold} unhealthy host(s) in ${describeWindow(unhealthy.window)}: ` +
          "read the target health reason in the EC2 console's target group page first (failed health check path, port, or timeout).",
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { ...lb, TargetGroup: group.arnSuffix },
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold,
        window: unhealthy.window,
        treatMissingData: "notBreaching",
        sink: props.sink,
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.unhealthyHosts),
      });
    }
    this.unhealthyHosts = unhealthyHosts;
  }
}
