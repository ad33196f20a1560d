import type { NetworkRef } from "@platform/network";
import type { SecurityGroupsRef } from "@platform/security";
import { mapRecord } from "@platform/core";
import { Construct } from "constructs";
import { type AutoScalingProps, type ContainerImage, EcsCluster, FargateService, LoadBalancer, ServiceTraffic } from "@platform/compute";

export interface TwoBackendsExampleRefs {
  /** e.g. `neuraknot-prod`. */
  readonly namePrefix: string;
  readonly network: NetworkRef;
  readonly securityGroups: SecurityGroupsRef;
  readonly images: { readonly go: ContainerImage; readonly python: ContainerImage };
  /** ACM certificate of the API host name. */
  readonly certificateArn: string;
}

export interface TwoBackendsExampleOptions {
  /**
   * The migration switch of seed 000. `true`: both services 256/512 scaling 1–5 tasks.
   * `false`: the rollback path, the fixed pre-migration sizes and counts (Go 2 tasks,
   * Python 512/1024 × 1); Terraform manages desired_count again.
   * @default true
   */
  readonly autoScaling?: boolean;
}

export interface TwoBackendsExample {
  readonly cluster: EcsCluster;
  readonly loadBalancer: LoadBalancer;
  readonly services: Readonly<Record<"backend-go" | "backend-python", FargateService>>;
  /** Service Connect namespace and the call path Go → Python on 8000. */
  readonly traffic: ServiceTraffic;
}

/** Seed 000's scaling: 1–5 tasks, CPU 70 %, memory 80 %, scale out after 60 s, in after 300 s. */
const SCALING: AutoScalingProps = {
  minCapacity: 1,
  maxCapacity: 5,
  cpuTargetPercent: 70,
  memoryTargetPercent: 80,
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
};

/**
 * Seed 000 (ECS auto scaling migration): a Go API behind the ALB and a Python AI backend the Go
 * API calls, each with its own CPU/memory and target-tracking auto scaling. While scaling is on
 * the services ignore desired_count (the scaler owns it); `autoScaling: false` is the seed's
 * rollback, which the seed could only describe as "this variable needs to be added to the module".
 */
export function buildTwoBackendsExample(
  scope: Construct,
  refs: TwoBackendsExampleRefs,
  options: TwoBackendsExampleOptions = {},
): TwoBackendsExample {
  const root = new Construct(scope, "two-backends");
  const { namePrefix, network, securityGroups } = refs;
  const scaled = options.autoScaling ?? true;

  const cluster = new EcsCluster(root, "cluster", { namePrefix });

  const config = {
    "backend-go": {
      image: refs.images.go,
      port: 8080,
      ...(scaled ? { cpu: 256, memoryMiB: 512 } : { cpu: 256, memoryMiB: 512, desiredCount: 2 }),
      public: true,
    },
    "backend-python": {
      image: refs.images.python,
      port: 8000,
      ...(scaled ? { cpu: 256, memoryMiB: 512 } : { cpu: 512, memoryMiB: 1024, desiredCount: 1 }),
      public: false,
    },
  } as const;

  // The seed's call path: the Go API calls the Python AI backend as http://backend-python:8000
  // through Service Connect; only that call is opened, Go's group → Python's group on 8000.
  const traffic = new ServiceTraffic(root, "traffic", {
    namePrefix,
    vpcId: network.vpcId,
    services: {
      "backend-go": { port: config["backend-go"].port, portName: "http", calls: ["backend-python"] },
      "backend-python": { port: config["backend-python"].port, portName: "http" },
    },
  });

  const services = mapRecord(
    config,
    (svc, key) =>
      new FargateService(root, key, {
        namePrefix,
        name: key,
        cluster: cluster.ref,
        network: {
          vpcId: network.vpcId,
          subnetIds: network.privateSubnetIds,
          securityGroupIds: [securityGroups.serviceSecurityGroupId, ...traffic.securityGroupIdsOf(key)],
        },
        serviceConnect: traffic.serviceConnectOf(key),
        cpu: svc.cpu,
        memoryMiB: svc.memoryMiB,
        desiredCount: "desiredCount" in svc ? svc.desiredCount : undefined,
        containers: {
          app: {
            image: svc.image,
            ports: { http: svc.port },
            environment: {
              PORT: String(svc.port),
              ...(svc.public ? { AI_BACKEND_URL: `http://backend-python:${config["backend-python"].port}` } : {}),
            },
            scratchPaths: ["/tmp"],
            // The Python backend has no load balancer, so its own health check is what replaces a hung task.
            healthCheck: svc.public
              ? undefined
              : { command: ["CMD-SHELL", `curl -fsS http://localhost:${svc.port}/health || exit 1`], startPeriodSeconds: 60 },
          },
        },
        logRetentionDays: 30,
        loadBalancing: svc.public ? { containerPort: svc.port, healthCheck: { path: "/health" } } : undefined,
        autoScaling: scaled ? SCALING : false,
      }),
  ) as Record<keyof typeof config, FargateService>;

  const loadBalancer = new LoadBalancer(root, "load-balancer", {
    namePrefix,
    subnetIds: network.publicSubnetIds,
    securityGroupIds: [securityGroups.albSecurityGroupId],
    certificateArn: refs.certificateArn,
    defaultTarget: services["backend-go"].target,
  });

  return { cluster, loadBalancer, services, traffic };
}
