/*
 * A construct-test fixture: FargateService, EcsCluster and LoadBalancer in the two shapes the
 * environments use (staging-like and prod-like web + api), so these tests exercise the constructs
 * the way the compute stack combines them. It is not an example and not the environments'
 * composition: that is ComputeStack in @platform/layers, tested on the real stacks in apps/<env>/test.
 */
import type { NetworkRef } from "@platform/network";
import type { SecurityGroupsRef } from "@platform/security";
import { Construct } from "constructs";
import type { ContainerImage } from "../src/container";
import { EcsCluster } from "../src/ecs-cluster";
import { FargateService } from "../src/fargate-service";
import { LoadBalancer } from "../src/load-balancer";

export interface WebAndApiFixtureRefs {
  /** e.g. `bookmark-manager-staging`. */
  readonly namePrefix: string;
  readonly network: NetworkRef;
  readonly securityGroups: SecurityGroupsRef;
  readonly images: { readonly web: ContainerImage; readonly api: ContainerImage };
  /** SSM SecureString holding DATABASE_URL (made by the database layer). */
  readonly databaseUrlParameterArn: string;
}

export interface ProdWebAndApiFixtureRefs extends WebAndApiFixtureRefs {
  /** ACM certificate (wildcard) of the site. */
  readonly certificateArn: string;
  /** Bucket for ALB access logs; its policy must allow ELB log delivery. */
  readonly accessLogsBucketName?: string;
}

export interface WebAndApiFixture {
  readonly cluster: EcsCluster;
  readonly loadBalancer: LoadBalancer;
  readonly services: Readonly<Record<"web" | "api", FargateService>>;
}

const PORTS = { web: 3000, api: 3000 } as const;
const HEALTH_PATHS = { web: "/health", api: "/api/health" } as const;

/**
 * Seed 002's staging compute: Next.js web + NestJS API at 0.25 vCPU / 512 MB, one task each, in
 * public subnets with public IPs (the VPC has no NAT), the ALB on HTTP behind an IP allowlist
 * (in its security group), 7-day logs, Container Insights off, lenient health checks (grace 120 s,
 * interval 60 s, 10 failures) and circuit-breaker rollback. ECS Exec is on for the seed's DB
 * port-forward, which needs a writable root filesystem. Deletion protection is off because
 * staging is torn down and rebuilt.
 */
export function buildStagingLikeFixture(scope: Construct, refs: WebAndApiFixtureRefs): WebAndApiFixture {
  const root = new Construct(scope, "staging-like");
  const { namePrefix, network, securityGroups } = refs;
  const cluster = new EcsCluster(root, "cluster", { namePrefix, containerInsights: false });

  const service = (key: "web" | "api") =>
    new FargateService(root, key, {
      namePrefix,
      name: key,
      cluster: cluster.ref,
      network: {
        vpcId: network.vpcId,
        subnetIds: network.publicSubnetIds,
        securityGroupIds: [securityGroups.serviceSecurityGroupId],
        // No NAT gateway in staging: without a public IP the task cannot reach ECR or Logs.
        assignPublicIp: true,
      },
      cpu: 256,
      memoryMiB: 512,
      containers: {
        [key]: {
          image: refs.images[key],
          ports: { http: PORTS[key] },
          environment: { NODE_ENV: "production", PORT: String(PORTS[key]) },
          secrets: { DATABASE_URL: { parameterArn: refs.databaseUrlParameterArn } },
          readonlyRootFilesystem: false,
        },
      },
      logRetentionDays: 7,
      loadBalancing: { containerPort: PORTS[key], healthCheck: { path: HEALTH_PATHS[key], intervalSeconds: 60, unhealthyThreshold: 10 } },
      healthCheckGraceSeconds: 120,
      enableExecuteCommand: true,
    });
  const services = { web: service("web"), api: service("api") };

  const loadBalancer = new LoadBalancer(root, "load-balancer", {
    namePrefix,
    subnetIds: network.publicSubnetIds,
    securityGroupIds: [securityGroups.albSecurityGroupId],
    deletionProtection: false,
    defaultTarget: services.web.target,
    routes: { api: { priority: 10, pathPatterns: ["/api/*"], target: services.api.target } },
  });
  return { cluster, loadBalancer, services };
}

/**
 * Seed 003's production compute: web + API at 1 vCPU / 2 GB in private subnets, auto scaling
 * 1–10 tasks on CPU 70 % / memory 80 % (scale-in after 5 min), HTTPS with the TLS 1.3 policy and
 * HTTP→HTTPS redirect, `/api/*` → API and everything else → web, 30-day logs, Container Insights
 * on, ALB deletion protection on.
 */
export function buildProdLikeFixture(scope: Construct, refs: ProdWebAndApiFixtureRefs): WebAndApiFixture {
  const root = new Construct(scope, "prod-like");
  const { namePrefix, network, securityGroups } = refs;
  const cluster = new EcsCluster(root, "cluster", { namePrefix, containerInsights: true });

  const service = (key: "web" | "api") =>
    new FargateService(root, key, {
      namePrefix,
      name: key,
      cluster: cluster.ref,
      network: { vpcId: network.vpcId, subnetIds: network.privateSubnetIds, securityGroupIds: [securityGroups.serviceSecurityGroupId] },
      cpu: 1024,
      memoryMiB: 2048,
      containers: {
        [key]: {
          image: refs.images[key],
          ports: { http: PORTS[key] },
          environment: { NODE_ENV: "production", PORT: String(PORTS[key]) },
          secrets: { DATABASE_URL: { parameterArn: refs.databaseUrlParameterArn } },
          scratchPaths: ["/tmp"],
        },
      },
      logRetentionDays: 30,
      loadBalancing: { containerPort: PORTS[key], healthCheck: { path: HEALTH_PATHS[key] } },
      healthCheckGraceSeconds: 60,
      autoScaling: { minCapacity: 1, maxCapacity: 10, cpuTargetPercent: 70, memoryTargetPercent: 80, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 },
    });
  const services = { web: service("web"), api: service("api") };

  const loadBalancer = new LoadBalancer(root, "load-balancer", {
    namePrefix,
    subnetIds: network.publicSubnetIds,
    securityGroupIds: [securityGroups.albSecurityGroupId],
    certificateArn: refs.certificateArn,
    defaultTarget: services.web.target,
    routes: { api: { priority: 10, pathPatterns: ["/api/*"], target: services.api.target } },
    accessLogs: refs.accessLogsBucketName ? { bucketName: refs.accessLogsBucketName, prefix: "alb" } : undefined,
  });
  return { cluster, loadBalancer, services };
}
