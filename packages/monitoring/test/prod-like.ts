import { App } from "cdktf";
import { PROD_LIKE_NAME_PREFIX, prodLikeStack } from "@platform/core/testing";
import { Monitoring } from "../src/index";
import { ACCOUNT_ID, LB_SUFFIX, RUNBOOK_URL, TG_API_SUFFIX, TG_WEB_SUFFIX } from "./fixtures";

/**
 * The prod monitoring layer of the seed environment (ap-northeast-1, web + api services,
 * Aurora Serverless v2 0.5-2 ACU, Container Insights on) with literal names, as the
 * unit tests and the real-provider check (validate + offline plan) use it.
 */
export function prodLikeMonitoringStack(app: App = new App({ skipValidation: false })) {
  const stack = prodLikeStack("monitoring", app);
  const monitoring = new Monitoring(stack, "monitoring", {
    namePrefix: PROD_LIKE_NAME_PREFIX,
    accountId: ACCOUNT_ID,
    region: "ap-northeast-1",
    alarmEmails: ["ops@example.com"],
    ecs: {
      clusterName: "acme-prod-cluster",
      containerInsights: true,
      services: {
        web: { serviceName: "acme-prod-web", memory: { thresholdPercent: 85 }, scalingTargets: { cpuPercent: 70, memoryPercent: 80 }, maxTasks: 10 },
        api: { serviceName: "acme-prod-api", memory: { thresholdPercent: 85 }, scalingTargets: { cpuPercent: 70, memoryPercent: 80 }, maxTasks: 10 },
      },
    },
    loadBalancer: {
      loadBalancerArnSuffix: LB_SUFFIX,
      targetGroups: { web: { arnSuffix: TG_WEB_SUFFIX }, api: { arnSuffix: TG_API_SUFFIX } },
    },
    database: {
      database: { kind: "aurora-cluster", clusterIdentifier: "acme-prod", serverlessMaxCapacityAcu: 2 },
      maxConnections: 400,
    },
    deploymentEvents: { clusterName: "acme-prod-cluster" },
    lambda: {
      functions: {
        "database-url": { functionName: "acme-prod-database-url-publisher", purpose: "writes DATABASE_URL" },
        scheduler: { functionName: "acme-prod-service-scheduler", purpose: "starts and stops services", throttles: false },
      },
    },
    nat: { natGatewayIds: ["nat-0123456789abcdef0"] },
    budget: { monthlyLimitUsd: 400, costAllocationTag: { key: "environment", value: "prod" } },
    runbookUrl: RUNBOOK_URL,
  });
  return { stack, monitoring };
}
