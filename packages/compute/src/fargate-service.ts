import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition, type EcsTaskDefinitionVolume } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { type AwsContext, ConfigError, NAME_LIMITS, arn, awsContext, boundedName } from "@platform/core";
import { TaskExecutionRole, TaskRole } from "@platform/security";
import { type ITerraformDependable, TerraformResource, dependable } from "cdktf";
import { Construct } from "constructs";
import {
  type ContainerProps,
  type ContainerSecret,
  containerDefinition,
  containerDefinitionsJson,
  isParameterSecret,
  scratchVolumeName,
  secretPermissionArn,
} from "./container";
import type { EcsClusterRef } from "./ecs-cluster";
import type { FargateServiceProps, FargateServiceRef } from "./fargate-service-props";
import { validateFargateService } from "./fargate-service-validation";
import type { LoadBalancerTarget } from "./load-balancer";
import { ServiceAutoScaling } from "./service-auto-scaling";
import { TARGET_HEALTH_CHECK_DEFAULTS } from "./target-health-check";
import { DEFAULT_BUCKET_VARIABLE, taskGrantStatements } from "./task-grants";

/**
 * One ECS service on Fargate: task definition, log group, execution and task roles scoped to
 * what the task uses, optional target group for a `LoadBalancer`, and optional target-tracking
 * auto scaling.
 */
export class FargateService extends Construct {
  readonly serviceName: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly executionRole: TaskExecutionRole;
  readonly taskRole?: TaskRole;
  readonly taskDefinition: EcsTaskDefinition;
  readonly targetGroup?: LbTargetGroup;
  readonly service: EcsService;
  readonly autoScaling?: ServiceAutoScaling;
  readonly ref: FargateServiceRef;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    validateFargateService(this.node.path, props);

    const containerNames = Object.keys(props.containers);
    const scaling = props.autoScaling || undefined;
    const execEnabled = props.enableExecuteCommand ?? false;
    this.serviceName = boundedName([props.namePrefix, props.name], NAME_LIMITS.ecsServiceName);

    const aws = awsContext(this);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/ecs/${this.serviceName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });

    const secretArnPrefix = arn(aws, { service: "secretsmanager", resource: "secret:" });
    const containerProps = withGrantedBucket(props);
    const containers = Object.values(containerProps);
    const secrets = containers.flatMap((c): ContainerSecret[] => [...Object.values(c.secrets ?? {}), ...Object.values(c.logRouting?.secretOptions ?? {})]);
    this.executionRole = new TaskExecutionRole(this, "execution-role", {
      namePrefix: props.namePrefix,
      name: props.name,
      repositoryArns: unique(containers.flatMap((c) => (c.image.repositoryArn === undefined ? [] : [c.image.repositoryArn]))),
      logGroupArns: [this.logGroup.arn],
      secretArns: unique(secrets.flatMap((s) => (isParameterSecret(s) ? [] : [secretPermissionArn(s, secretArnPrefix)]))),
      parameterArns: unique(secrets.flatMap((s) => (isParameterSecret(s) ? [s.parameterArn] : []))),
      kmsKeyArns: props.secretsKmsKeyArns ? [...props.secretsKmsKeyArns] : undefined,
      accountId: props.accountId,
    });

    const taskStatements = [
      ...volumeStatements(props),
      ...(execEnabled ? execLoggingStatements(props.cluster, aws) : []),
      ...(props.taskRoleStatements ?? []),
      ...taskGrantStatements(props.grants, secretArnPrefix),
    ];
    if (execEnabled || taskStatements.length > 0) {
      this.taskRole = new TaskRole(this, "task-role", {
        namePrefix: props.namePrefix,
        name: props.name,
        ecsExec: execEnabled,
        statements: taskStatements,
        accountId: props.accountId,
      });
    }

    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family: this.serviceName,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memoryMiB),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture ?? "X86_64" },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole?.arn,
      containerDefinitions: containerDefinitionsJson(
        containerNames.map((name) =>
          containerDefinition(name, containerProps[name]!, {
            logGroupName: this.logGroup.name,
            region: aws.region,
            execEnabled,
            secretArnPrefix,
          }),
        ),
      ),
      volume: taskVolumes(props),
      tags: { Name: this.serviceName },
    });

    const lb = props.loadBalancing;
    if (lb) {
      const health = { ...TARGET_HEALTH_CHECK_DEFAULTS, ...lb.healthCheck };
      const tgName = boundedName([props.namePrefix, props.name, String(lb.containerPort)], NAME_LIMITS.targetGroupName);
      this.targetGroup = new LbTargetGroup(this, "target-group", {
        // The port is in the name: changing it replaces the target group, and the new one must be
        // created (under a new name) before the old one is destroyed.
        name: tgName,
        targetType: "ip",
        protocol: "HTTP",
        port: lb.containerPort,
        vpcId: props.network.vpcId,
        deregistrationDelay: String(lb.deregistrationDelaySeconds ?? 60),
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: health.path,
          interval: health.intervalSeconds,
          timeout: health.timeoutSeconds,
          healthyThreshold: health.healthyThreshold,
          unhealthyThreshold: health.unhealthyThreshold,
          matcher: health.matcher,
        },
        lifecycle: { createBeforeDestroy: true },
        tags: { Name: tgName },
      });
    }

    const desiredCount = props.desiredCount ?? scaling?.minCapacity ?? 1;
    const deployment = props.deployment ?? {};
    const rollback = deployment.circuitBreakerRollback ?? true;
    this.service = new EcsService(this, "service", {
      name: this.serviceName,
      cluster: props.cluster.clusterName,
      taskDefinition: this.taskDefinition.arn,
      desiredCount,
      capacityProviderStrategy: (props.capacityProviderStrategy ?? [{ capacityProvider: "FARGATE", weight: 1 }]).map((s) => ({
        capacityProvider: s.capacityProvider,
        weight: s.weight,
        base: s.base ?? 0,
      })),
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: [...props.network.subnetIds],
        securityGroups: [...props.network.securityGroupIds],
        assignPublicIp: props.network.assignPublicIp ?? false,
      },
      loadBalancer: this.targetGroup
        ? [{ targetGroupArn: this.targetGroup.arn, containerName: lb!.containerName ?? containerNames[0]!, containerPort: lb!.containerPort }]
        : undefined,
      healthCheckGracePeriodSeconds: lb ? (props.healthCheckGraceSeconds ?? 60) : undefined,
      deploymentCircuitBreaker: { enable: rollback, rollback },
      deploymentMinimumHealthyPercent: deployment.minimumHealthyPercent ?? 100,
      deploymentMaximumPercent: deployment.maximumPercent ?? 200,
      enableExecuteCommand: execEnabled,
      serviceConnectConfiguration: props.serviceConnect
        ? {
            enabled: true,
            namespace: props.serviceConnect.namespaceArn,
            // The proxy's own logs, next to the application's.
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": this.logGroup.name, "awslogs-region": aws.region, "awslogs-stream-prefix": "service-connect" },
            },
            service: props.serviceConnect.publish
              ? [
                  {
                    portName: props.serviceConnect.publish.portName,
                    discoveryName: props.serviceConnect.publish.discoveryName,
                    clientAlias: { port: props.serviceConnect.publish.port, dnsName: props.serviceConnect.publish.discoveryName },
                  },
                ]
              : undefined,
          }
        : undefined,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      // Deployments are watched by the circuit breaker, not by a blocking apply.
      waitForSteadyState: false,
      // With auto scaling (or a start/stop scheduler) something else changes desired_count all
      // day; without this, every plan would "fix" it back to the initial count and an apply
      // would undo a scale-out or restart services stopped for the night.
      lifecycle: scaling || props.desiredCountManagedExternally ? { ignoreChanges: ["desired_count"] } : undefined,
      tags: { Name: this.serviceName },
      // Tasks must not start before their roles carry their policies: a missing grant fails the
      // image pull, secret injection or EFS mount, and the circuit breaker counts the failures.
      dependsOn: [this.executionRole, ...(this.taskRole ? [this.taskRole] : [])].flatMap((role) =>
        role.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource),
      ),
    });

    if (scaling) {
      this.autoScaling = new ServiceAutoScaling(this, "auto-scaling", {
        ...scaling,
        clusterName: props.cluster.clusterName,
        serviceName: this.service.name,
      });
    }

    this.ref = {
      clusterName: props.cluster.clusterName,
      serviceName: this.service.name,
      serviceArn: this.service.id,
      desiredCount,
      logGroupName: this.logGroup.name,
      targetGroupArnSuffix: this.targetGroup?.arnSuffix,
      scaling: this.autoScaling
        ? {
            minCapacity: scaling!.minCapacity,
            maxCapacity: scaling!.maxCapacity,
            resourceId: this.autoScaling.target.resourceId,
            scalableTargetArn: this.autoScaling.target.arn,
          }
        : undefined,
    };
  }

  /**
   * The service as a load balancer target (`LoadBalancer` `defaultTarget` or a route's `target`).
   * The ECS service then waits for the listener/rule that attaches its target group.
   */
  get target(): LoadBalancerTarget {
    const targetGroup = this.targetGroup;
    if (!targetGroup) {
      throw new ConfigError([
        { field: `${this.node.path}.loadBalancing`, value: undefined, fix: "is not set, so the service has no target group; set loadBalancing to route traffic to it." },
      ]);
    }
    return {
      targetGroupArn: targetGroup.arn,
      attachedVia: (dependables: readonly ITerraformDependable[]) => {
        const existing = this.service.dependsOn ?? [];
        this.service.dependsOn = unique([...existing, ...dependables.map((d) => dependable(d))]);
      },
    };
  }
}

/** The containers, with a granted bucket's name in the environment of every essential one. */
function withGrantedBucket(props: FargateServiceProps): Readonly<Record<string, ContainerProps>> {
  const bucket = props.grants?.bucket;
  if (!bucket) return props.containers;
  const variable = bucket.environmentVariable ?? DEFAULT_BUCKET_VARIABLE;
  return Object.fromEntries(
    Object.entries(props.containers).map(([name, c]) => [
      name,
      c.essential === false ? c : { ...c, environment: { ...c.environment, [variable]: bucket.bucketName } },
    ]),
  );
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** EFS volumes (through their access point, TLS and IAM) and scratch directories. */
function taskVolumes(props: FargateServiceProps): EcsTaskDefinitionVolume[] {
  const efs = Object.entries(props.volumes ?? {}).map(([name, volume]) => ({
    name,
    efsVolumeConfiguration: {
      fileSystemId: volume.efs.fileSystemId,
      transitEncryption: "ENABLED",
      authorizationConfig: { accessPointId: volume.efs.accessPointId, iam: "ENABLED" },
    },
  }));
  const scratch = Object.entries(props.containers).flatMap(([name, c]) =>
    (c.scratchPaths ?? []).map((path) => ({ name: scratchVolumeName(name, path) })),
  );
  return [...efs, ...scratch];
}

/** Mount (and, for writable mounts, write) through exactly the volume's access point. */
function volumeStatements(props: FargateServiceProps): DataAwsIamPolicyDocumentStatement[] {
  return Object.entries(props.volumes ?? {}).map(([name, volume]) => {
    const mounts = Object.values(props.containers).flatMap((c) => (c.mounts?.[name] ? [c.mounts[name]] : []));
    const writes = mounts.some((m) => !m.readOnly);
    return {
      sid: `Efs${name.replace(/(^|-)([a-z0-9])/g, (_m, _dash, ch: string) => ch.toUpperCase())}`,
      actions: ["elasticfilesystem:ClientMount", ...(writes ? ["elasticfilesystem:ClientWrite"] : [])],
      resources: [volume.efs.fileSystemArn],
      condition: [{ test: "StringEquals", variable: "elasticfilesystem:AccessPointArn", values: [volume.efs.accessPointArn] }],
    };
  });
}

/** What the SSM agent in each task needs to record ECS Exec sessions in the cluster's log group. */
function execLoggingStatements(cluster: EcsClusterRef, aws: AwsContext): DataAwsIamPolicyDocumentStatement[] {
  if (!cluster.execLogGroupArn) return [];
  const logGroupArn = cluster.execLogGroupArn;
  // The cluster's log group is in this stack's region and account; the agent looks it up by name prefix.
  const accountLogGroups = arn(aws, { service: "logs", resource: "log-group:*" });
  return [
    { sid: "ExecLogGroupLookup", actions: ["logs:DescribeLogGroups"], resources: [accountLogGroups] },
    {
      sid: "ExecSessionLogs",
      actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      resources: [logGroupArn, `${logGroupArn}:*`],
    },
    ...(cluster.execKmsKeyArn ? [{ sid: "ExecSessionKey", actions: ["kms:Decrypt"], resources: [cluster.execKmsKeyArn] }] : []),
  ];
}
