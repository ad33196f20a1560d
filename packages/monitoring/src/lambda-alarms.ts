import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";
import { type CountAlarmOptions, checkCount, enabled, resolveWindow } from "./alarm-options";
import { describeWindow, metricAlarm } from "./metric-alarm";
import { RUNBOOK_ANCHORS, runbookLink } from "./runbook";

/** One Lambda function to watch, by name (the `FunctionName` dimension). */
export interface LambdaAlarmTarget {
  /** The function name, as the stacks pass it around (not its ARN). */
  readonly functionName: string;
  /** What it does, for the description (e.g. "writes DATABASE_URL"). */
  readonly purpose: string;
  /**
   * Invocations that failed (`Errors`, summed). Set `false` to turn off.
   * @default more than 0 in 1 x 300 s: these functions run rarely, and one failure matters
   */
  readonly errors?: CountAlarmOptions | false;
  /**
   * Invocations refused for concurrency (`Throttles`, summed). Set `false` to turn off.
   * @default more than 0 in 1 x 300 s
   */
  readonly throttles?: CountAlarmOptions | false;
}

export interface LambdaAlarmsProps {
  /** Prefix of every alarm name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** Where ALARM and OK notifications go. */
  readonly sink: AlarmSink;
  /** Functions keyed by a short stable name (`scheduler`, `redeploy`); the key names the alarms. */
  readonly functions: Readonly<Record<string, LambdaAlarmTarget>>;
  /** Runbook page linked from every description (`docs/runbooks/alarms.md`). @default no link */
  readonly runbookUrl?: string;
}

/** The alarms of one function; absent ones were turned off. */
export interface LambdaAlarmSet {
  readonly errors?: CloudwatchMetricAlarm;
  readonly throttles?: CloudwatchMetricAlarm;
}

const DEFAULTS = { threshold: 0, periodSeconds: 300, evaluationPeriods: 1 } as const;

/**
 * `Errors` and `Throttles` of the platform's own Lambda functions (DATABASE_URL publisher,
 * redeploy on parameter change, service scheduler). They run a few times a day, so a single
 * failure fires; periods without invocations publish nothing and count as fine.
 */
export class LambdaAlarms extends Construct {
  /** Alarms keyed like `props.functions`. */
  readonly alarms: Readonly<Record<string, LambdaAlarmSet>>;

  constructor(scope: Construct, id: string, props: LambdaAlarmsProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const plans = Object.entries(props.functions).map(([key, target]) => {
      const field = `functions.${key}`;
      v.check(CONSTRUCT_KEY_PATTERN.test(key), field, key, "key must be lower-case letters, digits and hyphens, starting with a letter (at most 31 characters).");
      if (isKnown(target.functionName)) {
        v.check(/^[A-Za-z0-9_-]{1,64}$/.test(target.functionName), `${field}.functionName`, target.functionName, "must be a Lambda function name (1-64 letters, digits, hyphens, underscores), not an ARN.");
      }
      const errors = enabled(target.errors);
      const throttles = enabled(target.throttles);
      if (errors) checkCount(v, `${field}.errors.threshold`, errors.threshold ?? DEFAULTS.threshold);
      if (throttles) checkCount(v, `${field}.throttles.threshold`, throttles.threshold ?? DEFAULTS.threshold);
      return {
        key,
        target,
        errors: errors && { threshold: errors.threshold ?? DEFAULTS.threshold, window: resolveWindow(v, `${field}.errors`, errors, DEFAULTS) },
        throttles: throttles && { threshold: throttles.threshold ?? DEFAULTS.threshold, window: resolveWindow(v, `${field}.throttles`, throttles, DEFAULTS) },
      };
    });
    v.throwIfAny();

    const alarms: Record<string, LambdaAlarmSet> = {};
    for (const plan of plans) {
      const scopeOf = new Construct(this, plan.key);
      const name = (suffix: string) => boundedName([props.namePrefix, "lambda", plan.key, suffix], NAME_LIMITS.alarmName);
      const common = {
        namespace: "AWS/Lambda",
        dimensions: { FunctionName: plan.target.functionName },
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        // No invocation, no datapoint: a quiet hour is not a failure.
        treatMissingData: "notBreaching",
        sink: props.sink,
      } as const;
      const set: { -readonly [K in keyof LambdaAlarmSet]: LambdaAlarmSet[K] } = {};
      if (plan.errors) {
        set.errors = metricAlarm(scopeOf, "errors", {
          ...common,
          alarmName: name("errors"),
          description:
            `Lambda ${plan.target.functionName} (${plan.target.purpose}) failed more than ${plan.errors.threshold} time(s) in ${describeWindow(plan.errors.window)}: ` +
            "read the error in its log group /aws/lambda/<function> first, then invoke it again by hand.",
          metricName: "Errors",
          threshold: plan.errors.threshold,
          window: plan.errors.window,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.lambdaErrors),
        });
      }
      if (plan.throttles) {
        set.throttles = metricAlarm(scopeOf, "throttles", {
          ...common,
          alarmName: name("throttles"),
          description:
            `Lambda ${plan.target.functionName} (${plan.target.purpose}) was throttled more than ${plan.throttles.threshold} time(s) in ${describeWindow(plan.throttles.window)}: ` +
            "check the account's concurrent executions and any reserved concurrency first.",
          metricName: "Throttles",
          threshold: plan.throttles.threshold,
          window: plan.throttles.window,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.lambdaThrottles),
        });
      }
      alarms[plan.key] = set;
    }
    this.alarms = alarms;
  }
}
