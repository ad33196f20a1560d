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
  /** Link to the alarm's runbook section, appended to the description. @default none */
  readonly runbook?: string;
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
    alarmDescription: describeWithRunbook(spec.description, spec.runbook),
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

/** One metric of a metric-math alarm: `id` is the name the expression uses. */
export interface MathMetric {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: AlarmStatistic;
}

/** A metric-math alarm: `expression` over `metrics`, compared with the threshold. */
export interface MathAlarmSpec extends Omit<MetricAlarmSpec, "namespace" | "metricName" | "dimensions" | "statistic"> {
  /** CloudWatch metric math over the metrics' ids, e.g. `desired - running`. */
  readonly expression: string;
  /** Label of the expression's line in the console. */
  readonly label: string;
  readonly metrics: readonly MathMetric[];
}

/** Creates a metric-math alarm (same actions and description rules as {@link metricAlarm}). */
export function mathAlarm(scope: Construct, id: string, spec: MathAlarmSpec): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: spec.alarmName,
    alarmDescription: describeWithRunbook(spec.description, spec.runbook),
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.window.evaluationPeriods,
    datapointsToAlarm: spec.window.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    actionsEnabled: true,
    alarmActions: [...spec.sink.alarmActionArns],
    okActions: [...spec.sink.okActionArns],
    metricQuery: [
      { id: "e1", expression: spec.expression, label: spec.label, returnData: true },
      ...spec.metrics.map((m) => ({
        id: m.id,
        returnData: false,
        metric: {
          namespace: m.namespace,
          metricName: m.metricName,
          dimensions: { ...m.dimensions },
          stat: m.statistic,
          period: spec.window.periodSeconds,
        },
      })),
    ],
  });
}

/**
 * The description with its runbook link at the end; the text is shortened, never the link,
 * when both exceed what CloudWatch accepts.
 */
export function describeWithRunbook(description: string, runbook?: string): string {
  if (!runbook) return description.slice(0, MAX_DESCRIPTION_LENGTH);
  const suffix = ` Runbook: ${runbook}`;
  return description.slice(0, MAX_DESCRIPTION_LENGTH - suffix.length) + suffix;
}
