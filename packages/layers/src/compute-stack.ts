import { EnvironmentStack, arn, awsContext, type Environment } from "@platform/core";
import {
  EcsCluster,
  FargateService,
  LoadBalancer,
  ServiceTraffic,
  type FargateServiceRef,
  type LoadBalancerRef,
  type LoadBalancerRoute,
} from "@platform/compute";
import { RedeployOnParameterChange } from "@platform/database";
import type { StorageRef } from "@platform/storage";
import type { NetworkRef } from "@platform/network";
import type { RegistryRef } from "@platform/registry";
import { ServiceScheduler } from "@platform/scheduler";
import type { SecurityGroupsRef } from "@platform/security";
import type { AccessLogBucketRef } from "@platform/storage";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ComputeConfig, SchedulerConfig } from "./environment-config";
import { serviceContainers, serviceGrants } from "./service-containers";

/** What the compute stack reads from the stacks before it. */
export interface ComputeDeps {
  readonly network: NetworkRef;
  readonly security: SecurityGroupsRef;
  readonly registry: RegistryRef;
  /** SSM parameter holding DATABASE_URL, injected into every service that asks for it. */
  readonly databaseUrlParameterArn: string;
  /** Its name: services that read it are redeployed when it changes (password rotation). */
  readonly databaseUrlParameterName: string;
  /** KMS key of the environment's secrets: every task execution role may decrypt with it (through SSM / Secrets Manager). */
  readonly secretsKmsKeyArn?: string;
  /** RDS instance the scheduler may stop and start with the services. */
  readonly databaseInstance?: { readonly identifier: string; readonly arn: string };
  /** Validated certificate for the HTTPS listener. */
  readonly certificateArn?: string;
  readonly albAccessLogs?: AccessLogBucketRef;
  /** The environment's asset bucket, for services granted `assets` access. */
  readonly assetsBucket?: StorageRef;
}

/** `<env>-compute`: the ECS cluster, the ALB and one Fargate service per configured service. */
export class ComputeStack extends EnvironmentStack {
  readonly cluster: EcsCluster;
  readonly services: Readonly<Record<string, FargateService>>;
  readonly loadBalancer: LoadBalancer;
  readonly scheduler?: ServiceScheduler;
  readonly redeployOnDatabaseUrlChange?: RedeployOnParameterChange;
  /** Service Connect namespace and per-service security groups (calls, per-service egress). */
  readonly traffic: ServiceTraffic;
  readonly ref: { readonly loadBalancer: LoadBalancerRef; readonly services: Readonly<Record<string, FargateServiceRef>> };

  constructor(scope: Construct, environment: Environment, config: ComputeConfig, deps: ComputeDeps, scheduler?: SchedulerConfig) {
    super(scope, { environment, layer: "compute" });
    const namePrefix = `${environment.project}-${environment.name}`;
    const aws = awsContext(this);

    this.cluster = new EcsCluster(this, "cluster", {
      namePrefix,
      containerInsights: config.containerInsights,
      execLogging: config.ecsExec ? { logRetentionDays: config.logRetentionDays } : undefined,
    });

    this.traffic = new ServiceTraffic(this, "traffic", {
      namePrefix,
      vpcId: deps.network.vpcId,
      services: Object.fromEntries(
        Object.entries(config.services).map(([name, service]) => [name, { port: service.port, portName: "http", calls: service.calls, egress: service.egress }]),
      ),
    });

    const inPublicSubnets = config.taskSubnets === "public";
    const services: Record<string, FargateService> = {};
    for (const [name, service] of Object.entries(config.services)) {
      const repositoryUrl = deps.registry.repositoryUrls[name]!;
      const repositoryArn = deps.registry.repositoryArns[name]!;
      const app = {
        image: { repositoryUrl, repositoryArn, tag: service.imageTag },
        ports: { http: service.port },
        environment: service.environment,
        secrets: {
          ...(service.databaseUrl === false ? {} : { DATABASE_URL: { parameterArn: deps.databaseUrlParameterArn } }),
          ...Object.fromEntries(
            Object.entries(service.parameters ?? {}).map(([env, parameterName]) => [
              env,
              { parameterArn: arn(aws, { service: "ssm", resource: `parameter${parameterName}` }) },
            ]),
          ),
        },
        // The construct's secure default unless the config relaxes it (a config rule requires that with ECS Exec).
        readonlyRootFilesystem: service.readonlyRootFilesystem,
      };
      services[name] = new FargateService(this, name, {
        namePrefix,
        name,
        cluster: this.cluster.ref,
        network: {
          vpcId: deps.network.vpcId,
          subnetIds: inPublicSubnets ? deps.network.publicSubnetIds : deps.network.privateSubnetIds,
          securityGroupIds: [deps.security.serviceSecurityGroupId, ...this.traffic.securityGroupIdsOf(name)],
          assignPublicIp: inPublicSubnets,
        },
        cpu: service.cpu,
        memoryMiB: service.memoryMiB,
        cpuArchitecture: service.cpuArchitecture,
        capacityProviderStrategy: service.capacityProviderStrategy,
        containers: serviceContainers(app, service, environment.name, name),
        grants: serviceGrants(service, aws, deps),
        serviceConnect: this.traffic.serviceConnectOf(name),
        logRetentionDays: config.logRetentionDays,
        loadBalancing: { containerName: "app", containerPort: service.port, healthCheck: service.healthCheck },
        healthCheckGraceSeconds: service.healthCheckGraceSeconds,
        desiredCount: service.desiredCount,
        // The scheduler stops and starts services; Terraform must not undo that.
        desiredCountManagedExternally: scheduler !== undefined,
        autoScaling: service.autoScaling,
        enableExecuteCommand: config.ecsExec,
        secretsKmsKeyArns: deps.secretsKmsKeyArn ? [deps.secretsKmsKeyArn] : undefined,
        accountId: environment.accountId,
      });
    }
    this.services = services;

    const defaultService = Object.keys(config.services).find((n) => config.services[n]!.route === "default")!;
    const routes: Record<string, LoadBalancerRoute> = {};
    for (const [name, service] of Object.entries(config.services)) {
      if (service.route !== "default") {
        routes[name] = { priority: service.route.priority, pathPatterns: service.route.pathPatterns, target: services[name]!.target };
      }
    }
    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      namePrefix,
      subnetIds: deps.network.publicSubnetIds,
      ipAddressType: deps.network.ipv6Enabled ? "dualstack" : "ipv4",
      securityGroupIds: [deps.security.albSecurityGroupId],
      certificateArn: deps.certificateArn,
      defaultTarget: services[defaultService]!.target,
      routes,
      deletionProtection: config.albDeletionProtection,
      accessLogs: deps.albAccessLogs
        ? { bucketName: deps.albAccessLogs.bucketName, prefix: deps.albAccessLogs.logPrefix || undefined }
        : undefined,
    });

    // Service ARNs as literals (arn:…:ecs:…:service/<cluster>/<service>, what aws_ecs_service.id
    // holds), not references: Terraform reads a policy document that references a service only at
    // apply whenever that service changes, so every release would show the Lambdas' role policies
    // as "known after apply" next to the task definition it is about.
    const serviceArnOf = (s: FargateService) => arn(aws, { service: "ecs", resource: `service/${this.cluster.clusterName}/${s.serviceName}` });

    // Tasks read DATABASE_URL only at start; after RDS rotates the password (every 7 days),
    // replace them so new connections use the new one.
    const databaseClients = Object.entries(services).filter(([name]) => config.services[name]!.databaseUrl !== false);
    if (databaseClients.length > 0) {
      this.redeployOnDatabaseUrlChange = new RedeployOnParameterChange(this, "redeploy-on-database-url-change", {
        namePrefix,
        parameterName: deps.databaseUrlParameterName,
        services: Object.fromEntries(
          databaseClients.map(([name, s]) => [
            name,
            { clusterName: s.ref.clusterName, serviceName: s.ref.serviceName, serviceArn: serviceArnOf(s) },
          ]),
        ),
        logRetentionDays: config.logRetentionDays,
        accountId: environment.accountId,
      });
    }

    if (scheduler) {
      this.scheduler = new ServiceScheduler(this, "scheduler", {
        namePrefix,
        services: Object.fromEntries(
          Object.entries(services).map(([name, s]) => [
            name,
            {
              clusterName: s.ref.clusterName,
              serviceName: s.ref.serviceName,
              serviceArn: serviceArnOf(s),
              desiredCount: s.ref.desiredCount,
              autoScaling: s.ref.scaling,
            },
          ]),
        ),
        database:
          scheduler.stopDatabase && deps.databaseInstance
            ? { instanceIdentifier: deps.databaseInstance.identifier, instanceArn: deps.databaseInstance.arn }
            : undefined,
        schedule: {
          start: scheduler.start,
          stop: scheduler.stop,
          timeZone: scheduler.timeZone,
          skipStartOnJapanesePublicHolidays: scheduler.skipStartOnJapanesePublicHolidays,
        },
        logRetentionDays: config.logRetentionDays,
        accountId: environment.accountId,
      });
      new TerraformOutput(this, "scheduler_stop_command", { value: this.scheduler.stopCommand, description: "Stop every service now" });
      new TerraformOutput(this, "scheduler_start_command", { value: this.scheduler.startCommand, description: "Start every service now" });
    }

    this.ref = {
      loadBalancer: this.loadBalancer.ref,
      services: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.ref])),
    };
    new TerraformOutput(this, "alb_dns_name", { value: this.loadBalancer.ref.albDnsName, description: "DNS name of the load balancer" });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName, description: "ECS cluster" });
    new TerraformOutput(this, "service_names", {
      value: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.serviceName])),
      description: "ECS services by key",
    });
    new TerraformOutput(this, "log_groups", {
      value: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.ref.logGroupName])),
      description: "aws logs tail <group> --follow",
    });
  }
}
