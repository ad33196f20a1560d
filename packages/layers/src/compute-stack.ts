import { EnvironmentStack, NAME_LIMITS, Validator, arn, awsContext, type Environment } from "@platform/core";
import {
  EcsCluster,
  FargateService,
  LoadBalancer,
  RedeployOnParameterChange,
  ServiceTraffic,
  type FargateServiceRef,
  type LoadBalancerRef,
  type LoadBalancerRoute,
} from "@platform/compute";
import type { StorageRef } from "@platform/storage";
import type { NetworkRef } from "@platform/network";
import type { RegistryRef } from "@platform/registry";
import { ServiceScheduler } from "@platform/scheduler";
import type { SecurityGroupsRef } from "@platform/security";
import type { AccessLogBucketRef } from "@platform/storage";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ComputePlan, SchedulerPlan } from "./plan";
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

  constructor(scope: Construct, environment: Environment, plan: ComputePlan, deps: ComputeDeps, scheduler?: SchedulerPlan) {
    super(scope, { environment, layer: "compute" });
    const namePrefix = `${environment.project}-${environment.name}`;
    const aws = awsContext(this);
    validateComputePlan(`${environment.name}.compute`, plan, deps.registry, namePrefix);

    this.cluster = new EcsCluster(this, "cluster", {
      namePrefix,
      containerInsights: plan.containerInsights,
      execLogging: plan.ecsExec ? { logRetentionDays: plan.logRetentionDays } : undefined,
    });

    this.traffic = new ServiceTraffic(this, "traffic", {
      namePrefix,
      vpcId: deps.network.vpcId,
      services: Object.fromEntries(
        Object.entries(plan.services).map(([name, service]) => [name, { port: service.port, portName: "http", calls: service.calls, egress: service.egress }]),
      ),
    });

    const inPublicSubnets = plan.taskSubnets === "public";
    const services: Record<string, FargateService> = {};
    for (const [name, service] of Object.entries(plan.services)) {
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
        // ECS Exec's agent needs a writable root filesystem.
        readonlyRootFilesystem: plan.ecsExec ? false : (service.readonlyRootFilesystem ?? false),
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
        logRetentionDays: plan.logRetentionDays,
        loadBalancing: { containerName: "app", containerPort: service.port, healthCheck: service.healthCheck },
        healthCheckGraceSeconds: service.healthCheckGraceSeconds,
        desiredCount: service.desiredCount,
        // The scheduler stops and starts services; Terraform must not undo that.
        desiredCountManagedExternally: scheduler !== undefined,
        autoScaling: service.autoScaling,
        enableExecuteCommand: plan.ecsExec,
        secretsKmsKeyArns: deps.secretsKmsKeyArn ? [deps.secretsKmsKeyArn] : undefined,
        accountId: environment.accountId,
      });
    }
    this.services = services;

    const defaultService = Object.keys(plan.services).find((n) => plan.services[n]!.route === "default")!;
    const routes: Record<string, LoadBalancerRoute> = {};
    for (const [name, service] of Object.entries(plan.services)) {
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
      deletionProtection: plan.albDeletionProtection,
      accessLogs: deps.albAccessLogs
        ? { bucketName: deps.albAccessLogs.bucketName, prefix: deps.albAccessLogs.logPrefix || undefined }
        : undefined,
    });

    // Tasks read DATABASE_URL only at start; after RDS rotates the password (every 7 days),
    // replace them so new connections use the new one.
    const databaseClients = Object.entries(services).filter(([name]) => plan.services[name]!.databaseUrl !== false);
    if (databaseClients.length > 0) {
      this.redeployOnDatabaseUrlChange = new RedeployOnParameterChange(this, "redeploy-on-database-url-change", {
        namePrefix,
        parameterName: deps.databaseUrlParameterName,
        services: Object.fromEntries(
          databaseClients.map(([name, s]) => [
            name,
            { clusterName: s.ref.clusterName, serviceName: s.ref.serviceName, serviceArn: s.ref.serviceArn },
          ]),
        ),
        logRetentionDays: plan.logRetentionDays,
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
              serviceArn: s.ref.serviceArn,
              desiredCount: s.ref.desiredCount,
              autoScaling: s.ref.scaling,
            },
          ]),
        ),
        database:
          scheduler.stopDatabase && deps.databaseInstance
            ? { instanceIdentifier: deps.databaseInstance.identifier, instanceArn: deps.databaseInstance.arn }
            : undefined,
        schedule: { start: scheduler.start, stop: scheduler.stop, timeZone: scheduler.timeZone },
        logRetentionDays: plan.logRetentionDays,
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

function validateComputePlan(prefix: string, plan: ComputePlan, registry: RegistryRef, namePrefix: string): void {
  const v = new Validator(prefix);
  const names = Object.keys(plan.services);
  v.check(names.length > 0, "services", plan.services, "is empty; configure at least one service.");
  for (const name of names) {
    v.check(
      registry.repositoryUrls[name] !== undefined,
      `services.${name}`,
      name,
      `has no image repository; add "${name}" to registry.repositories.`,
    );
  }
  // The secrets key (security stack) lets roles named <prefix>-*-execution decrypt; a name past
  // IAM's 64 characters would be shortened with a hash and lose that suffix.
  for (const name of names) {
    const roleName = `${namePrefix}-${name}-execution`;
    v.check(
      roleName.length <= NAME_LIMITS.iamRoleName,
      `services.${name}`,
      name,
      `makes the execution role name "${roleName}" longer than 64 characters; use a service key of at most ${NAME_LIMITS.iamRoleName - namePrefix.length - 11} characters.`,
    );
  }
  const defaults = names.filter((n) => plan.services[n]!.route === "default");
  v.check(
    defaults.length === 1,
    "services.*.route",
    defaults,
    'must be "default" for exactly one service (the one that answers every path no other route matches).',
  );
  v.throwIfAny();
}
