import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";
import {
  type AlarmWindow,
  type PercentAlarmOptions,
  checkCount,
  checkPercent,
  enabled,
  resolveWindow,
} from "./alarm-options";
import { describeWindow, mathAlarm, metricAlarm } from "./metric-alarm";
import { RUNBOOK_ANCHORS, runbookLink } from "./runbook";

/** An alarm on the number of running tasks (a Container Insights metric). */
export interface RunningTasksAlarmOptions extends AlarmWindow {
  /**
   * Fewest running tasks that is still healthy; the alarm fires below it.
   * @default 1
   */
  readonly minimumTasks?: number;
}

/** One ECS service to watch. */
export interface ServiceAlarmTarget {
  /** The ECS service name, as in the `ServiceName` metric dimension. */
  readonly serviceName: string;
  /**
   * Average CPU above the threshold. Set `false` to turn off.
   * @default 80 % for 2 × 300 s
   */
  readonly cpu?: PercentAlarmOptions | false;
  /**
   * Average memory above the threshold. Set `false` to turn off.
   * @default 80 % for 2 × 300 s
   */
  readonly memory?: PercentAlarmOptions | false;
  /**
   * Running tasks below the minimum. Needs `containerInsights`; set `false` to turn off.
   * @default fewer than 1 task for 3 × 60 s when `containerInsights` is on, otherwise off
   */
  readonly runningTasks?: RunningTasksAlarmOptions | false;
  /**
   * The auto scaler's targets. An alarm at or below its target would fire under normal scaled
   * load, so the CPU and memory thresholds must exceed them (a ConfigError otherwise).
   * @default not auto scaled
   */
  readonly scalingTargets?: { readonly cpuPercent?: number; readonly memoryPercent?: number };
  /**
   * The scaler's maximum task count: enables the "scaling at maximum" alarm (desired tasks at the
   * maximum for a sustained period: the ceiling is too low or something is wrong). Needs
   * `containerInsights` (`DesiredTaskCount`).
   * @default not auto scaled: no alarm
   */
  readonly maxTasks?: number;
  /**
   * Desired tasks at `maxTasks` for this window. Set `false` to turn off.
   * @default 3 x 300 s (15 minutes)
   */
  readonly atMaximum?: AlarmWindow | false;
  /**
   * Running tasks below desired tasks (metric math `DesiredTaskCount - RunningTaskCount` of
   * Container Insights) for this window: tasks that cannot start or keep crashing. Set `false`
   * to turn off.
   * @default 10 x 60 s when `containerInsights` is on, otherwise off
   */
  readonly belowDesired?: AlarmWindow | false;
}

export interface ServiceAlarmsProps {
  /** Prefix of every alarm name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** Where ALARM and OK notifications go, e.g. an `AlarmTopic`. */
  readonly sink: AlarmSink;
  /** The ECS cluster name, as in the `ClusterName` metric dimension. */
  readonly clusterName: string;
  /** Services keyed by a short stable name (`web`, `api`); the key names the alarms. At least one. */
  readonly services: Readonly<Record<string, ServiceAlarmTarget>>;
  /**
   * Whether Container Insights is on for the cluster. The running-task metric exists only then.
   * @default false
   */
  readonly containerInsights?: boolean;
  /** Runbook page linked from every description (`docs/runbooks/alarms.md`). @default no link */
  readonly runbookUrl?: string;
}

/** The alarms of one service; absent ones were turned off. */
export interface ServiceAlarmSet {
  readonly cpu?: CloudwatchMetricAlarm;
  readonly memory?: CloudwatchMetricAlarm;
  readonly runningTasks?: CloudwatchMetricAlarm;
  readonly belowDesired?: CloudwatchMetricAlarm;
  readonly atMaximum?: CloudwatchMetricAlarm;
}

const UTILIZATION_DEFAULTS = { thresholdPercent: 80, periodSeconds: 300, evaluationPeriods: 2 } as const;
const RUNNING_TASKS_DEFAULTS = { minimumTasks: 1, periodSeconds: 60, evaluationPeriods: 3 } as const;
const BELOW_DESIRED_DEFAULTS = { periodSeconds: 60, evaluationPeriods: 10 } as const;
const AT_MAXIMUM_DEFAULTS = { periodSeconds: 300, evaluationPeriods: 3 } as const;
const INSIGHTS = "ECS/ContainerInsights";

/**
 * CPU, memory and (with Container Insights) running-task alarms for each ECS service.
 * Defaults follow the operations guide: CPU above 80 % for two 5-minute periods.
 */
export class ServiceAlarms extends Construct {
  /** Alarms keyed like `props.services`. */
  readonly alarms: Readonly<Record<string, ServiceAlarmSet>>;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const services = Object.entries(props.services ?? {});
    const insights = props.containerInsights ?? false;

    if (isKnown(props.clusterName)) {
      v.check(props.clusterName.trim().length > 0, "clusterName", props.clusterName, "must name the ECS cluster.");
    }
    v.check(
      services.length > 0,
      "services",
      props.services,
      'must list at least one service, e.g. { web: { serviceName: "acme-prod-web" } }; omit ServiceAlarms when there is nothing to watch.',
    );

    const plans = services.map(([key, target]) => {
      const field = `services.${key}`;
      v.check(
        CONSTRUCT_KEY_PATTERN.test(key),
        field,
        key,
        "key must be lower-case letters, digits and hyphens, starting with a letter (at most 31 characters).",
      );
      if (isKnown(target.serviceName)) {
        v.check(target.serviceName.trim().length > 0, `${field}.serviceName`, target.serviceName, "must name the ECS service.");
      }

      const cpu = enabled(target.cpu);
      const memory = enabled(target.memory);
      if (cpu) checkPercent(v, `${field}.cpu.thresholdPercent`, cpu.thresholdPercent ?? UTILIZATION_DEFAULTS.thresholdPercent);
      if (memory) {
        checkPercent(v, `${field}.memory.thresholdPercent`, memory.thresholdPercent ?? UTILIZATION_DEFAULTS.thresholdPercent);
      }
      if (!insights && target.runningTasks) {
        v.fail(
          `${field}.runningTasks`,
          target.runningTasks,
          "needs the Container Insights metric RunningTaskCount: set containerInsights: true (and enable it on the cluster) or remove runningTasks.",
        );
      }
      const running = insights ? enabled(target.runningTasks) : undefined;
      if (running) {
        const minimum = running.minimumTasks ?? RUNNING_TASKS_DEFAULTS.minimumTasks;
        if (checkCount(v, `${field}.runningTasks.minimumTasks`, minimum)) {
          v.check(minimum >= 1, `${field}.runningTasks.minimumTasks`, minimum, "must be at least 1, or the alarm can never fire.");
        }
      }
      const targets = target.scalingTargets ?? {};
      for (const [metric, options, scalingTarget] of [
        ["cpu", cpu, targets.cpuPercent],
        ["memory", memory, targets.memoryPercent],
      ] as const) {
        if (!options || scalingTarget === undefined) continue;
        const threshold = options.thresholdPercent ?? UTILIZATION_DEFAULTS.thresholdPercent;
        v.check(
          threshold > scalingTarget,
          `${field}.${metric}.thresholdPercent`,
          threshold,
          `must exceed the auto scaling ${metric} target (${scalingTarget} %): at or below it the alarm fires under normal scaled load; ` +
            `raise it (e.g. ${Math.min(99, scalingTarget + 5)}) or turn the alarm off.`,
        );
      }
      for (const [option, name] of [
        [target.atMaximum, "atMaximum"],
        [target.belowDesired, "belowDesired"],
      ] as const) {
        if (!insights && option) {
          v.fail(`${field}.${name}`, option, "needs the Container Insights task counts: set containerInsights: true (and enable it on the cluster) or remove it.");
        }
      }
      if (target.maxTasks !== undefined) {
        v.check(Number.isInteger(target.maxTasks) && target.maxTasks >= 1, `${field}.maxTasks`, target.maxTasks, "must be the scaler's maximum task count, a whole number of at least 1.");
      } else if (target.atMaximum) {
        v.fail(`${field}.atMaximum`, target.atMaximum, "needs maxTasks (the scaler's maximum task count); set it or remove atMaximum.");
      }
      const atMaximum = insights && target.maxTasks !== undefined ? enabled(target.atMaximum) : undefined;
      const belowDesired = insights ? enabled(target.belowDesired) : undefined;
      return {
        key,
        target,
        atMaximum: atMaximum && resolveWindow(v, `${field}.atMaximum`, atMaximum, AT_MAXIMUM_DEFAULTS),
        belowDesired: belowDesired && resolveWindow(v, `${field}.belowDesired`, belowDesired, BELOW_DESIRED_DEFAULTS),
        cpu: cpu && { options: cpu, window: resolveWindow(v, `${field}.cpu`, cpu, UTILIZATION_DEFAULTS) },
        memory: memory && { options: memory, window: resolveWindow(v, `${field}.memory`, memory, UTILIZATION_DEFAULTS) },
        running: running && {
          options: running,
          window: resolveWindow(v, `${field}.runningTasks`, running, RUNNING_TASKS_DEFAULTS),
        },
      };
    });
    v.throwIfAny();

    const alarms: Record<string, ServiceAlarmSet> = {};
    for (const plan of plans) {
      const scopeOf = new Construct(this, plan.key);
      const dimensions = { ClusterName: props.clusterName, ServiceName: plan.target.serviceName };
      const name = (suffix: string) => boundedName([props.namePrefix, "ecs", plan.key, suffix], NAME_LIMITS.alarmName);
      const set: { -readonly [K in keyof ServiceAlarmSet]: ServiceAlarmSet[K] } = {};

      if (plan.cpu) {
        const threshold = plan.cpu.options.thresholdPercent ?? UTILIZATION_DEFAULTS.thresholdPercent;
        set.cpu = metricAlarm(scopeOf, "cpu", {
          alarmName: name("cpu-high"),
          description:
            `ECS service ${plan.key} CPU above ${threshold} % for ${describeWindow(plan.cpu.window)}: ` +
            "check the dashboard's request rate and the latest deployment first, then scale out or raise the task CPU.",
          namespace: "AWS/ECS",
          metricName: "CPUUtilization",
          dimensions,
          statistic: "Average",
          comparison: "GreaterThanThreshold",
          threshold,
          window: plan.cpu.window,
          treatMissingData: "missing",
          sink: props.sink,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.ecsCpu),
        });
      }
      if (plan.memory) {
        const threshold = plan.memory.options.thresholdPercent ?? UTILIZATION_DEFAULTS.thresholdPercent;
        set.memory = metricAlarm(scopeOf, "memory", {
          alarmName: name("memory-high"),
          description:
            `ECS service ${plan.key} memory above ${threshold} % for ${describeWindow(plan.memory.window)}: ` +
            "look for a leak in the task's memory graph since the last deployment first, then raise the task memory.",
          namespace: "AWS/ECS",
          metricName: "MemoryUtilization",
          dimensions,
          statistic: "Average",
          comparison: "GreaterThanThreshold",
          threshold,
          window: plan.memory.window,
          treatMissingData: "missing",
          sink: props.sink,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.ecsMemory),
        });
      }
      if (plan.running) {
        const minimum = plan.running.options.minimumTasks ?? RUNNING_TASKS_DEFAULTS.minimumTasks;
        set.runningTasks = metricAlarm(scopeOf, "running-tasks", {
          alarmName: name("tasks-low"),
          description:
            `ECS service ${plan.key} ran fewer than ${minimum} task(s) for ${describeWindow(plan.running.window)}: ` +
            "read the stopped tasks' stoppedReason in the ECS console first (image pull, health check, out of memory).",
          namespace: "ECS/ContainerInsights",
          metricName: "RunningTaskCount",
          dimensions,
          statistic: "Average",
          comparison: "LessThanThreshold",
          threshold: minimum,
          window: plan.running.window,
          // No datapoints means no tasks are reporting at all: that is the outage this alarm is for.
          treatMissingData: "breaching",
          sink: props.sink,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.ecsTasksLow),
        });
      }
      if (plan.belowDesired) {
        set.belowDesired = mathAlarm(scopeOf, "below-desired", {
          alarmName: name("tasks-below-desired"),
          description:
            `ECS service ${plan.key} ran fewer tasks than desired for ${describeWindow(plan.belowDesired)}: ` +
            "tasks cannot start or keep stopping; read the service events and the stopped tasks' stoppedReason first.",
          expression: "desired - running",
          label: "Desired minus running tasks",
          metrics: [
            { id: "desired", namespace: INSIGHTS, metricName: "DesiredTaskCount", dimensions, statistic: "Average" },
            { id: "running", namespace: INSIGHTS, metricName: "RunningTaskCount", dimensions, statistic: "Average" },
          ],
          comparison: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          window: plan.belowDesired,
          // Without datapoints (a stopped service reports nothing) the tasks-low alarm speaks.
          treatMissingData: "notBreaching",
          sink: props.sink,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.ecsBelowDesired),
        });
      }
      if (plan.atMaximum && plan.target.maxTasks !== undefined) {
        const max = plan.target.maxTasks;
        set.atMaximum = metricAlarm(scopeOf, "at-maximum", {
          alarmName: name("scaling-at-max"),
          description:
            `ECS service ${plan.key} wanted its maximum of ${max} task(s) for ${describeWindow(plan.atMaximum)}: ` +
            "the scaler cannot add capacity; check request rate and latency first, then raise maxCapacity or the task size.",
          namespace: INSIGHTS,
          metricName: "DesiredTaskCount",
          dimensions,
          statistic: "Minimum",
          comparison: "GreaterThanOrEqualToThreshold",
          threshold: max,
          window: plan.atMaximum,
          treatMissingData: "notBreaching",
          sink: props.sink,
          runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.ecsAtMaximum),
        });
      }
      alarms[plan.key] = set;
    }
    this.alarms = alarms;
  }
}
