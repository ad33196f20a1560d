import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { ContainerProps } from "./container";
import type { EcsClusterRef } from "./ecs-cluster";
import type { EfsVolumeRef } from "./efs-volume";
import type { AutoScalingProps } from "./service-auto-scaling";
import type { TargetHealthCheckProps } from "./target-health-check";

/** Where the tasks run. */
export interface ServiceNetworkProps {
  /** VPC of the subnets (and of the target group). */
  readonly vpcId: string;
  /** Subnets for the tasks' network interfaces, one per AZ. */
  readonly subnetIds: readonly string[];
  /** Security groups of the tasks, e.g. `[securityGroups.serviceSecurityGroupId]`. */
  readonly securityGroupIds: readonly string[];
  /**
   * Gives each task a public IP. Only for tasks in public subnets of a VPC without NAT, which
   * otherwise cannot pull images or reach AWS APIs; their security group must then refuse
   * inbound traffic from anywhere but the load balancer.
   * @default false
   */
  readonly assignPublicIp?: boolean;
}

/** How the load balancer reaches the service. */
export interface ServiceLoadBalancingProps {
  /**
   * Container that receives the traffic.
   * @default the only container (required when there are several)
   */
  readonly containerName?: string;
  /** Port of that container that receives the traffic (one of its `ports`). */
  readonly containerPort: number;
  /**
   * Health check of the target group.
   * @default GET / every 30 s, timeout 5 s, 3 successes / 3 failures, HTTP 200
   */
  readonly healthCheck?: TargetHealthCheckProps;
  /**
   * Seconds a deregistering task keeps serving in-flight requests, 0–3600.
   * @default 60
   */
  readonly deregistrationDelaySeconds?: number;
}

/** A volume the task can mount. */
export interface ServiceVolumeProps {
  /** An `EfsVolume` (its `ref`): mounted with TLS and IAM authorisation through its access point. */
  readonly efs: EfsVolumeRef;
}

/** How the application may use an S3 bucket: objects only, never the bucket's configuration. */
export type BucketAccess = "read" | "read-write";

/** An S3 bucket the application uses (the environment's asset bucket). */
export interface BucketGrant {
  readonly bucketName: string;
  readonly bucketArn: string;
  /**
   * `read`: `s3:ListBucket` on the bucket, `s3:GetObject` on its objects. `read-write` adds
   * `s3:PutObject`, `s3:DeleteObject` and `s3:AbortMultipartUpload` on its objects.
   */
  readonly access: BucketAccess;
  /**
   * Environment variable of every essential container that carries the bucket name.
   * @default "ASSETS_BUCKET"
   */
  readonly environmentVariable?: string;
}

/**
 * What the application itself may read or write at runtime (its task role), each grant scoped to
 * exact resources. Secrets injected at start (`ContainerProps.secrets`) need no grant here: the
 * execution role reads those.
 */
export interface TaskGrants {
  /**
   * An S3 bucket, with its name in an environment variable.
   * @default no bucket access
   */
  readonly bucket?: BucketGrant;
  /**
   * SSM parameters the application reads (`ssm:GetParameter(s)`), as ARNs; an ARN ending in `/*`
   * grants the path below it (and `ssm:GetParametersByPath` on it).
   * @default none
   */
  readonly parameterArns?: readonly string[];
  /**
   * Secrets Manager secrets of this account and region the application reads
   * (`secretsmanager:GetSecretValue`), by name.
   * @default none
   */
  readonly secretNames?: readonly string[];
  /**
   * Customer-managed KMS keys of those parameters or secrets; decrypt only through SSM or Secrets Manager.
   * @default none (AWS-managed keys need no grant)
   */
  readonly kmsKeyArns?: readonly string[];
}

/** ECS Service Connect: calls between services by name through the namespace's proxies. */
export interface ServiceConnectProps {
  /** The namespace (`aws_service_discovery_http_namespace.arn`), one per environment. */
  readonly namespaceArn: string;
  /**
   * Publishes this service as `http://<discoveryName>:<port>` to the namespace's other services.
   * @default client only: the service calls others but is not called
   */
  readonly publish?: {
    /** Name of a TCP port of a container (`ContainerProps.ports`). */
    readonly portName: string;
    /** Host name callers use, e.g. `ai`. */
    readonly discoveryName: string;
    /** Port callers use, usually the container port. */
    readonly port: number;
  };
}

/** Share of tasks placed on one capacity provider. */
export interface CapacityProviderShare {
  readonly capacityProvider: "FARGATE" | "FARGATE_SPOT";
  /** Relative share of tasks beyond `base`, 0–1000. */
  readonly weight: number;
  /**
   * Tasks always placed here first, 0–100000; at most one provider may have a base.
   * @default 0
   */
  readonly base?: number;
}

/** Deployment behaviour of the service. */
export interface ServiceDeploymentProps {
  /**
   * Stops a deployment whose tasks keep failing and rolls back to the last working task definition.
   * @default true
   */
  readonly circuitBreakerRollback?: boolean;
  /**
   * Lower bound of running tasks during a deployment, as % of the desired count (0–100).
   * @default 100 (never below the desired count)
   */
  readonly minimumHealthyPercent?: number;
  /**
   * Upper bound of tasks during a deployment, as % of the desired count; must exceed minimumHealthyPercent.
   * @default 200
   */
  readonly maximumPercent?: number;
}

export interface FargateServiceProps {
  /** Prefix of every name, e.g. `acme-staging`; the service is `<namePrefix>-<name>`. */
  readonly namePrefix: string;
  /** Service name part, e.g. `web` or `api` (usually the key in the app's `services` record). */
  readonly name: string;
  /** The cluster (`EcsCluster.ref`). */
  readonly cluster: EcsClusterRef;
  readonly network: ServiceNetworkProps;
  /** Task CPU units (256 = 0.25 vCPU … 16384 = 16 vCPU). */
  readonly cpu: number;
  /** Task memory (MiB); must be a size Fargate offers for `cpu`. */
  readonly memoryMiB: number;
  /**
   * CPU architecture of the images. ARM64 (Graviton) costs ~20 % less for the same size.
   * @default "X86_64"
   */
  readonly cpuArchitecture?: "X86_64" | "ARM64";
  /** Containers of the task, keyed by container name, e.g. `{ app: { image, ports: { http: 8501 } } }`. */
  readonly containers: Readonly<Record<string, ContainerProps>>;
  /** Retention of the service's log group; must be a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /**
   * KMS key that encrypts the log group.
   * @default CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /**
   * Registers the tasks in a target group for a `LoadBalancer` (pass `service.target` to it).
   * @default no load balancer (a worker or internal service)
   */
  readonly loadBalancing?: ServiceLoadBalancingProps;
  /**
   * Seconds after a task starts during which failed load balancer health checks are ignored,
   * 0–2147483647. Set it above the application's start time, or slow starters are killed in a loop.
   * @default 60 (only with loadBalancing)
   */
  readonly healthCheckGraceSeconds?: number;
  /**
   * Tasks to run. With auto scaling this is only the initial count: the scaler owns it afterwards.
   * @default autoScaling.minCapacity, or 1
   */
  readonly desiredCount?: number;
  /**
   * Something outside Terraform sets the task count (a start/stop scheduler), so Terraform
   * sets `desiredCount` only at creation and then ignores drift, instead of restarting
   * services that were stopped for the night on the next apply.
   * @default false (true in effect whenever autoScaling is on)
   */
  readonly desiredCountManagedExternally?: boolean;
  /**
   * Target-tracking auto scaling on CPU and memory. `false`/absent turns it off, and Terraform
   * manages desired_count again.
   * @default off
   */
  readonly autoScaling?: AutoScalingProps | false;
  /**
   * @default circuit breaker with rollback, 100 % minimum healthy, 200 % maximum
   */
  readonly deployment?: ServiceDeploymentProps;
  /**
   * ECS Exec (`aws ecs execute-command`): shells and port forwarding into running tasks through SSM.
   * Needs containers with a writable root filesystem.
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Volumes containers can mount (see `ContainerProps.mounts`), keyed by volume name.
   * @default none
   */
  readonly volumes?: Readonly<Record<string, ServiceVolumeProps>>;
  /**
   * Where tasks are placed. Put interruptible services on FARGATE_SPOT (~70 % cheaper).
   * @default all tasks on FARGATE
   */
  readonly capacityProviderStrategy?: readonly CapacityProviderShare[];
  /**
   * Permissions of the application itself (its task role), scoped to specific resources.
   * @default none beyond what volumes, ECS Exec and `grants` need
   */
  readonly taskRoleStatements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Bucket, parameters and secrets the application uses at runtime. The task role exists only
   * when something is granted (or volumes or ECS Exec need it).
   * @default nothing granted
   */
  readonly grants?: TaskGrants;
  /**
   * Joins the environment's Service Connect namespace (as a client, and published when `publish` is set).
   * @default no Service Connect
   */
  readonly serviceConnect?: ServiceConnectProps;
  /**
   * Customer-managed KMS keys that encrypt the injected secrets/parameters; the execution role may decrypt with them.
   * @default none (AWS-managed keys need no grant)
   */
  readonly secretsKmsKeyArns?: readonly string[];
  /**
   * Account of the service: its task roles trust ECS tasks only on behalf of this account
   * (`aws:SourceAccount`, and `aws:SourceArn` of its ECS resources).
   * @default no condition (the account is not known offline)
   */
  readonly accountId?: string;
}

/** Scaling facts other stacks (the scheduler) need to pause and resume a scaled service. */
export interface FargateServiceScalingRef {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** `service/<cluster>/<service>`. */
  readonly resourceId: string;
  readonly scalableTargetArn: string;
}

/** What other stacks (scheduler, monitoring) need to know about a service. */
export interface FargateServiceRef {
  readonly clusterName: string;
  readonly serviceName: string;
  /** The service ARN (`aws_ecs_service.id`). */
  readonly serviceArn: string;
  /** Task count Terraform sets (the initial count when scaled). */
  readonly desiredCount: number;
  readonly logGroupName: string;
  /** `targetgroup/<name>/<id>`: the `TargetGroup` dimension of ALB metrics. Absent without load balancing. */
  readonly targetGroupArnSuffix?: string;
  /** Present when auto scaling is on. */
  readonly scaling?: FargateServiceScalingRef;
}
