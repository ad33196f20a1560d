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
import { describeWindow, metricAlarm } from "./metric-alarm";

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
}

/** The alarms of one service; absent ones were turned off. */
export interface ServiceAlarmSet {
  readonly cpu?: CloudwatchMetricAlarm;
  readonly memory?: CloudwatchMetricAlarm;
  readonly runningTasks?: CloudwatchMetricAlarm;
}

const UTILIZATION_DEFAULTS = { thresholdPercent: 80, periodSeconds: 300, evaluationPeriods: 2 } as const;
const RUNNING_TASKS_DEFAULTS = { minimumTasks: 1, periodSeconds: 60, evaluationPeriods: 3 } as const;

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
      return {
        key,
        target,
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
        });
      }
      alarms[plan.key] = set;
    }
    this.alarms = alarms;
  }
}
