import type { FargateServiceRef, LoadBalancerRef } from "@platform/compute";
import { EnvironmentStack, type Environment } from "@platform/core";
import { Monitoring, type AuroraClusterIdentity, type RdsInstanceIdentity } from "@platform/monitoring";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { MonitoringConfig } from "./environment-config";

export interface MonitoringDeps {
  readonly containerInsights: boolean;
  readonly loadBalancer: LoadBalancerRef;
  readonly services: Readonly<Record<string, FargateServiceRef>>;
  readonly database: AuroraClusterIdentity | RdsInstanceIdentity;
}

/** `<env>-monitoring`: the alarm topic, alarms for services, ALB and database, and a dashboard. */
export class MonitoringStack extends EnvironmentStack {
  readonly monitoring: Monitoring;

  constructor(scope: Construct, environment: Environment, config: MonitoringConfig, deps: MonitoringDeps) {
    super(scope, { environment, layer: "monitoring" });
    const services = Object.entries(deps.services);
    this.monitoring = new Monitoring(this, "monitoring", {
      namePrefix: `${environment.project}-${environment.name}`,
      accountId: environment.accountId,
      region: environment.region,
      alarmEmails: config.alarmEmails,
      ecs: {
        clusterName: services[0]![1].clusterName,
        containerInsights: deps.containerInsights,
        services: Object.fromEntries(services.map(([name, s]) => [name, { serviceName: s.serviceName }])),
      },
      loadBalancer: {
        loadBalancerArnSuffix: deps.loadBalancer.albArnSuffix,
        targetGroups: Object.fromEntries(
          services.flatMap(([name, s]) => (s.targetGroupArnSuffix ? [[name, { arnSuffix: s.targetGroupArnSuffix }]] : [])),
        ),
      },
      database: { database: deps.database, maxConnections: config.databaseMaxConnections },
      dashboard: config.dashboard,
    });
    new TerraformOutput(this, "alarm_topic_arn", { value: this.monitoring.ref.topicArn, description: "SNS topic of every alarm" });
  }
}
