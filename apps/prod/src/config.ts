import type { EnvironmentPlan } from "@platform/layers";
import { account } from "../../bootstrap/src/config";

/** Production (seeds 003, 000, 001): two AZs, hardened defaults, monitored. */
export const prod: EnvironmentPlan = {
  environment: {
    ...account,
    name: "prod",
  },
  network: {
    vpcCidr: "10.1.0.0/16",
    availabilityZoneCount: 2,
    // Seed 003's cost choice: one NAT gateway (~$45/month) instead of one per AZ (~$90).
    // It is a single point of failure for egress: if its AZ fails, tasks in the other AZ
    // lose internet access (ECR, logs and S3 still work through the endpoints). For HA egress
    // change this one line to "perAz".
    natMode: "single",
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
    flowLogs: { logRetentionDays: 30 },
  },
};
