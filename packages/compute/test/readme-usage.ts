import { EcsCluster, FargateService } from "@platform/compute";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;
declare const vpcId: string;
declare const subnetIds: string[];
declare const securityGroupIds: string[];
declare const webRepository: { url: string; arn: string };

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
const cluster = new EcsCluster(stack, "cluster", { namePrefix: "acme-prod", containerInsights: true });
new FargateService(stack, "web", {
  namePrefix: "acme-prod",
  name: "web",
  cluster: cluster.ref,
  network: { vpcId, subnetIds, securityGroupIds },
  cpu: 1024,
  memoryMiB: 2048,
  containers: {
    web: { image: { repositoryUrl: webRepository.url, repositoryArn: webRepository.arn, tag: "v1.4.2" }, ports: { http: 3000 } },
  },
  logRetentionDays: 30,
  autoScaling: { minCapacity: 1, maxCapacity: 10, cpuTargetPercent: 70, memoryTargetPercent: 80 },
});
