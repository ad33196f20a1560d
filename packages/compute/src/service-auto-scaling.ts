import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Validator } from "@platform/core";
import { Construct } from "constructs";


/** Target tracking defaults (seed 000: CPU 70 %, memory 80 %); alarms must sit above them. */
export const AUTO_SCALING_TARGET_DEFAULTS = { cpuTargetPercent: 70, memoryTargetPercent: 80 } as const;

export interface AutoScalingProps {
  /** Fewest tasks the scaler keeps running. */
  readonly minCapacity: number;
  /** Most tasks the scaler may start (also the cost ceiling). */
  readonly maxCapacity: number;
  /**
   * Average CPU utilisation (%) to hold; `false` disables CPU tracking.
   * @default 70
   */
  readonly cpuTargetPercent?: number | false;
  /**
   * Average memory utilisation (%) to hold; `false` disables memory tracking.
   * @default 80
   */
  readonly memoryTargetPercent?: number | false;
  /**
   * Seconds after a scale-out before another scale-out may start.
   * @default 60
   */
  readonly scaleOutCooldownSeconds?: number;
  /**
   * Seconds after a scale-in before another scale-in may start; long, so a short dip does not remove tasks.
   * @default 300
   */
  readonly scaleInCooldownSeconds?: number;
}

export interface ServiceAutoScalingProps extends AutoScalingProps {
  /** Cluster name of the service. */
  readonly clusterName: string;
  /** Service name. */
  readonly serviceName: string;
}

/** Records the problems of auto scaling props; `prefix` is the prop path, e.g. `autoScaling`. */
export function validateAutoScaling(v: Validator, prefix: string, s: AutoScalingProps): void {
  const field = (key: string) => (prefix ? `${prefix}.${key}` : key);
  const minOk = v.check(Number.isInteger(s.minCapacity) && s.minCapacity >= 0, field("minCapacity"), s.minCapacity, "must be a whole number of tasks, 0 or more.");
  const maxOk = v.check(Number.isInteger(s.maxCapacity) && s.maxCapacity >= 1, field("maxCapacity"), s.maxCapacity, "must be a whole number of tasks, 1 or more.");
  if (minOk && maxOk) {
    v.check(
      s.minCapacity <= s.maxCapacity,
      field("minCapacity"),
      s.minCapacity,
      `is greater than maxCapacity (${s.maxCapacity}); set minCapacity <= maxCapacity.`,
    );
  }
  for (const key of ["cpuTargetPercent", "memoryTargetPercent"] as const) {
    const value = s[key];
    if (value === false || value === undefined) continue;
    v.check(typeof value === "number" && value >= 1 && value <= 100, field(key), value, "must be a utilisation between 1 and 100 (percent), or false to not track it.");
  }
  v.check(
    s.cpuTargetPercent !== false || s.memoryTargetPercent !== false,
    prefix || "cpuTargetPercent",
    { cpuTargetPercent: false, memoryTargetPercent: false },
    "tracks nothing; keep at least one of cpuTargetPercent and memoryTargetPercent, or turn autoScaling off.",
  );
  for (const key of ["scaleOutCooldownSeconds", "scaleInCooldownSeconds"] as const) {
    const value = s[key];
    if (value === undefined) continue;
    v.check(Number.isInteger(value) && value >= 0, field(key), value, "must be a whole number of seconds, 0 or more.");
  }
}

/**
 * Target-tracking auto scaling of an ECS service's desired count on average CPU and memory.
 * The scaler owns `desired_count` from then on; the service must ignore it (FargateService does).
 */
export class ServiceAutoScaling extends Construct {
  readonly target: AppautoscalingTarget;
  readonly cpuPolicy?: AppautoscalingPolicy;
  readonly memoryPolicy?: AppautoscalingPolicy;
  /** `service/<cluster>/<service>`, the Application Auto Scaling resource id. */
  readonly resourceId: string;

  constructor(scope: Construct, id: string, props: ServiceAutoScalingProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    validateAutoScaling(v, "", props);
    v.throwIfAny();

    this.resourceId = `service/${props.clusterName}/${props.serviceName}`;
    this.target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: this.resourceId,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
    });

    const policy = (id: string, metric: string, targetValue: number) =>
      new AppautoscalingPolicy(this, id, {
        name: `${props.serviceName}-${id}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.target.serviceNamespace,
        scalableDimension: this.target.scalableDimension,
        resourceId: this.target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          predefinedMetricSpecification: { predefinedMetricType: metric },
          scaleOutCooldown: props.scaleOutCooldownSeconds ?? 60,
          scaleInCooldown: props.scaleInCooldownSeconds ?? 300,
        },
      });

    const cpu = props.cpuTargetPercent ?? AUTO_SCALING_TARGET_DEFAULTS.cpuTargetPercent;
    if (cpu !== false) this.cpuPolicy = policy("cpu", "ECSServiceAverageCPUUtilization", cpu);
    const memory = props.memoryTargetPercent ?? AUTO_SCALING_TARGET_DEFAULTS.memoryTargetPercent;
    if (memory !== false) this.memoryPolicy = policy("memory", "ECSServiceAverageMemoryUtilization", memory);
  }
}
