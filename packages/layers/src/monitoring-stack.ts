import type { FargateServiceRef, LoadBalancerRef } from "@platform/compute";
import { EnvironmentStack, type Environment } from "@platform/core";
import {
  Monitoring,
  type AuroraClusterIdentity,
  type LambdaAlarmTarget,
  type RdsInstanceIdentity,
  type ServiceAlarmTarget,
} from "@platform/monitoring";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ALARM_THRESHOLD_DEFAULTS, AUTO_SCALING_TARGET_DEFAULTS } from "./monitoring-defaults";
import type { ComputeConfig, MonitoringConfig } from "./environment-config";

export { ALARM_THRESHOLD_DEFAULTS } from "./monitoring-defaults";

export interface MonitoringDeps {
  readonly containerInsights: boolean;
  readonly loadBalancer: LoadBalancerRef;
  readonly services: Readonly<Record<string, FargateServiceRef>>;
  readonly database: AuroraClusterIdentity | RdsInstanceIdentity;
  /** Each service's auto scaling, for the scaling-target comparison. @default none scaled */
  readonly autoScaling?: Readonly<Record<string, ComputeConfig["services"][string]["autoScaling"]>>;
  /**
   * The Lambda functions this environment deploys, keyed by a short name, by function name (as the
   * stacks already pass it; known at synth, so no cross-stack output).
   */
  readonly functions?: Readonly<Record<string, Pick<LambdaAlarmTarget, "functionName" | "purpose">>>;
  /** NAT gateway IDs of the network (an output of `<env>-network`). @default no NAT */
  readonly natGatewayIds?: readonly string[];
}

/**
 * `<env>-monitoring`: the alarm topic, alarms for services, ALB, database, Lambdas and NAT,
 * deployment-failure rules, the monthly budget, and a dashboard. `alarmSet: "essential"` keeps
 * deployment failures, ALB 5xx and Lambda errors only.
 */
export class MonitoringStack extends EnvironmentStack {
  readonly monitoring: Monitoring;

  constructor(scope: Construct, environment: Environment, config: MonitoringConfig, deps: MonitoringDeps) {
    super(scope, { environment, layer: "monitoring" });
    const namePrefix = `${environment.project}-${environment.name}`;
    const full = (config.alarmSet ?? "full") === "full";
    const t = { ...ALARM_THRESHOLD_DEFAULTS, ...config.thresholds };
    const services = Object.entries(deps.services);
    const clusterName = services[0]![1].clusterName;

    this.monitoring = new Monitoring(this, "monitoring", {
      namePrefix,
      accountId: environment.accountId,
      region: environment.region,
      alarmEmails: config.alarmEmails,
      runbookUrl: config.runbookUrl,
      deploymentEvents: { clusterName },
      ecs: full
        ? {
            clusterName,
            containerInsights: deps.containerInsights,
            services: Object.fromEntries(services.map(([name, s]) => [name, serviceTarget(s, deps.autoScaling?.[name], t)])),
          }
        : undefined,
      loadBalancer: {
        loadBalancerArnSuffix: deps.loadBalancer.albArnSuffix,
        ...(full
          ? {
              target4xxRatio: { thresholdPercent: t.target4xxPercent },
              targetGroups: Object.fromEntries(
                services.flatMap(([name, s]) => (s.targetGroupArnSuffix ? [[name, { arnSuffix: s.targetGroupArnSuffix }]] : [])),
              ),
            }
          : { responseTime: false, target4xxRatio: false }),
      },
      database: full
        ? {
            database:
              deps.database.kind === "rds-instance"
                ? { ...deps.database, freeStorage: { thresholdGiB: t.databaseFreeStorageGiB } }
                : deps.database,
            maxConnections: config.databaseMaxConnections,
            readLatency: { thresholdMilliseconds: t.databaseReadLatencyMs },
            writeLatency: { thresholdMilliseconds: t.databaseWriteLatencyMs },
          }
        : undefined,
      lambda:
        deps.functions && Object.keys(deps.functions).length > 0
          ? {
              functions: Object.fromEntries(
                Object.entries(deps.functions).map(([key, f]) => [key, full ? f : { ...f, throttles: false as const }]),
              ),
            }
          : undefined,
      nat: full && deps.natGatewayIds?.length ? { natGatewayIds: deps.natGatewayIds, bytesOut: { thresholdGb: t.natGbPerHour } } : undefined,
      budget:
        config.monthlyBudgetUsd !== undefined
          ? { monthlyLimitUsd: config.monthlyBudgetUsd, costAllocationTag: { key: "environment", value: environment.name } }
          : undefined,
      dashboard: full ? config.dashboard : false,
    });
    new TerraformOutput(this, "alarm_topic_arn", { value: this.monitoring.ref.topicArn, description: "SNS topic of every alarm" });
  }
}

/** One service's alarms: thresholds from config, compared with its scaler's targets. */
function serviceTarget(
  service: FargateServiceRef,
  scaling: ComputeConfig["services"][string]["autoScaling"] | undefined,
  t: { readonly serviceCpuPercent: number; readonly serviceMemoryPercent: number },
): ServiceAlarmTarget {
  const scaled = scaling ? scaling : undefined;
  return {
    serviceName: service.serviceName,
    cpu: { thresholdPercent: t.serviceCpuPercent },
    memory: { thresholdPercent: t.serviceMemoryPercent },
    scalingTargets: scaled
      ? {
          cpuPercent: scaled.cpuTargetPercent === false ? undefined : (scaled.cpuTargetPercent ?? AUTO_SCALING_TARGET_DEFAULTS.cpuTargetPercent),
          memoryPercent: scaled.memoryTargetPercent === false ? undefined : (scaled.memoryTargetPercent ?? AUTO_SCALING_TARGET_DEFAULTS.memoryTargetPercent),
        }
      : undefined,
    maxTasks: service.scaling?.maxCapacity,
  };
}
