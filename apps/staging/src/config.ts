import type { EnvironmentPlan } from "@platform/layers";
import { account } from "../../bootstrap/src/config";

/**
 * Staging (seed 002): cost first. Every relaxation of the secure defaults is written here,
 * where a reviewer sees it.
 */
export const staging: EnvironmentPlan = {
  environment: {
    ...account,
    name: "staging",
  },
  network: {
    vpcCidr: "10.0.0.0/16",
    // Two AZs because the ALB and the RDS subnet group require two; nothing runs in the second
    // unless ECS places a task there.
    availabilityZoneCount: 2,
    // No NAT (saves ~$45/month): tasks run in public subnets with public IPs instead.
    natMode: "none",
    // Seed 002's endpoints, in one AZ only: each interface endpoint bills per AZ-hour.
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
    interfaceEndpointAzCount: 1,
  },
};
