import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";
import type { ResolvedWindow } from "./alarm-options";

export type ComparisonOperator =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

/** What to do while the metric has no datapoints. */
export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";

/** A plain statistic, or a percentile like `p95`. */
export type AlarmStatistic = "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

/** Everything one single-metric alarm needs; groups build these from their props. */
export interface MetricAlarmSpec {
  readonly alarmName: string;
  /** One runbook sentence: what is wrong and what to look at first. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: AlarmStatistic;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly window: ResolvedWindow;
  readonly treatMissingData: TreatMissingData;
  readonly sink: AlarmSink;
}

/** CloudWatch rejects longer alarm descriptions. */
const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * Creates one metric alarm that notifies the sink on ALARM and on OK (so a recovery is seen
 * and nobody investigates a problem that already went away).
 */
export function metricAlarm(scope: Construct, id: string, spec: MetricAlarmSpec): CloudwatchMetricAlarm {
  const percentile = /^p\d+(\.\d+)?$/.test(spec.statistic);
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: spec.alarmName,
    alarmDescription: spec.description.slice(0, MAX_DESCRIPTION_LENGTH),
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: { ...spec.dimensions },
    statistic: percentile ? undefined : spec.statistic,
    extendedStatistic: percentile ? spec.statistic : undefined,
    // A percentile over a handful of requests is noise; evaluate it only with enough samples.
    evaluateLowSampleCountPercentiles: percentile ? "ignore" : undefined,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    period: spec.window.periodSeconds,
    evaluationPeriods: spec.window.evaluationPeriods,
    datapointsToAlarm: spec.window.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    actionsEnabled: true,
    alarmActions: [...spec.sink.alarmActionArns],
    okActions: [...spec.sink.okActionArns],
  });
}

/** "2 x 300 s" or "3 of 5 x 60 s", for descriptions. */
export function describeWindow(window: ResolvedWindow): string {
  const count =
    window.datapointsToAlarm === window.evaluationPeriods
      ? `${window.evaluationPeriods}`
      : `${window.datapointsToAlarm} of ${window.evaluationPeriods}`;
  return `${count} x ${window.periodSeconds} s`;
}
