import type { NetworkRef } from "@platform/network";
import type { SecurityGroupsRef } from "@platform/security";
import { Construct } from "constructs";
import { type ContainerImage, EcsCluster, EfsVolume, FargateService, LoadBalancer } from "@platform/compute";

export interface SingleContainerExampleRefs {
  /** e.g. `weather-prod`. */
  readonly namePrefix: string;
  readonly network: NetworkRef;
  readonly securityGroups: SecurityGroupsRef;
  /** The app image (`@platform/registry` gives URL and ARN), pinned by tag. */
  readonly image: ContainerImage;
  /** ACM certificate of the public host name. */
  readonly certificateArn: string;
  /** Secrets Manager secret holding the API keys as JSON (`{"WXTECH_API_KEY": …, "OPENAI_API_KEY": …}`), full ARN. */
  readonly apiKeysSecretArn: string;
}

export interface SingleContainerExample {
  readonly cluster: EcsCluster;
  readonly loadBalancer: LoadBalancer;
  readonly cache: EfsVolume;
  readonly service: FargateService;
}

/**
 * Seed 004 (Streamlit + FastAPI in one container): one Fargate task of 1 vCPU / 2 GB listening
 * on 8501 (UI, behind the ALB over HTTPS) and 8000 (API, used by the UI inside the task), an
 * encrypted EFS cache at /app/cache, API keys injected from Secrets Manager, and 1–4 tasks
 * tracking CPU 70 % / memory 80 %.
 *
 * Differences from the seed: the image is pinned by tag (not `latest`); each API key is its own
 * `secrets` entry pointing at one JSON key, so the role reads exactly that secret; the EFS volume
 * is mounted through an access point with IAM authorisation, not as the whole file system.
 */
export function buildSingleContainerExample(scope: Construct, refs: SingleContainerExampleRefs): SingleContainerExample {
  const root = new Construct(scope, "single-container");
  const { namePrefix, network, securityGroups } = refs;

  const cluster = new EcsCluster(root, "cluster", { namePrefix, containerInsights: true });

  const cache = new EfsVolume(root, "cache", {
    namePrefix,
    name: "cache",
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    clientSecurityGroupIds: [securityGroups.serviceSecurityGroupId],
    accessPoint: { path: "/cache", uid: 1000, gid: 1000 },
    transitionToIaDays: 30,
  });

  const apiKey = (jsonKey: string) => ({ secretArn: refs.apiKeysSecretArn, jsonKey });
  const service = new FargateService(root, "app", {
    namePrefix,
    name: "app",
    cluster: cluster.ref,
    network: {
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      securityGroupIds: [securityGroups.serviceSecurityGroupId],
    },
    cpu: 1024,
    memoryMiB: 2048,
    containers: {
      app: {
        image: refs.image,
        ports: { ui: 8501, api: 8000 },
        environment: { ENV: "production", MAX_PARALLEL_WORKERS: "4" },
        secrets: {
          WXTECH_API_KEY: apiKey("WXTECH_API_KEY"),
          OPENAI_API_KEY: apiKey("OPENAI_API_KEY"),
          GEMINI_API_KEY: apiKey("GEMINI_API_KEY"),
          ANTHROPIC_API_KEY: apiKey("ANTHROPIC_API_KEY"),
        },
        mounts: { cache: { containerPath: "/app/cache" } },
        // Streamlit and Python write temporary files; everything else stays read-only.
        scratchPaths: ["/tmp"],
      },
    },
    volumes: { cache: { efs: cache.ref } },
    logRetentionDays: 30,
    loadBalancing: { containerPort: 8501, healthCheck: { path: "/", intervalSeconds: 30 } },
    healthCheckGraceSeconds: 120,
    deployment: { minimumHealthyPercent: 100, maximumPercent: 200 },
    autoScaling: { minCapacity: 1, maxCapacity: 4, cpuTargetPercent: 70, memoryTargetPercent: 80 },
  });

  const loadBalancer = new LoadBalancer(root, "load-balancer", {
    namePrefix,
    subnetIds: network.publicSubnetIds,
    securityGroupIds: [securityGroups.albSecurityGroupId],
    certificateArn: refs.certificateArn,
    defaultTarget: service.target,
    deletionProtection: true,
  });

  return { cluster, loadBalancer, cache, service };
}
