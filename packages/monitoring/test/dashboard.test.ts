import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { onlyResource, synth, testStack } from "@platform/core/testing";
import { Dashboard, type DashboardProps, type MetricWidgetProperties, layoutWidgets } from "../src/index";
import { LB_SUFFIX, TG_WEB_SUFFIX } from "./fixtures";

interface BodyWidget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: MetricWidgetProperties & { markdown?: string };
}

function build(props: Partial<DashboardProps>) {
  const stack = testStack("monitoring");
  new Dashboard(stack, "dashboard", { namePrefix: "acme-prod", region: "ap-northeast-1", ...props });
  const resource = onlyResource(synth(stack), "aws_cloudwatch_dashboard");
  const body = JSON.parse(resource.dashboard_body as string) as { widgets: BodyWidget[] };
  const byTitle = Object.fromEntries(body.widgets.filter((w) => w.type === "metric").map((w) => [w.properties.title, w.properties]));
  return { resource, body, byTitle };
}

describe("Dashboard for a full prod stack", () => {
  const { resource, body, byTitle } = build({
    ecs: { clusterName: "acme-prod", services: { web: "acme-prod-web", api: "acme-prod-api" }, containerInsights: true },
    loadBalancer: { arnSuffix: LB_SUFFIX, targetGroups: { web: TG_WEB_SUFFIX } },
    database: { kind: "aurora-cluster", clusterIdentifier: "acme-prod", serverlessMaxCapacityAcu: 2 },
  });

  it("is named after the prefix and renders a JSON body", () => {
    expect(resource.dashboard_name).toBe("acme-prod-overview");
    expect(typeof resource.dashboard_body).toBe("string");
  });

  it("graphs ECS CPU and memory with one line per service in the given region", () => {
    const cpu = byTitle["ECS CPU utilization (%)"]!;
    expect(cpu.region).toBe("ap-northeast-1");
    expect(cpu.stat).toBe("Average");
    expect(cpu.period).toBe(60);
    expect(cpu.metrics).toEqual([
      ["AWS/ECS", "CPUUtilization", "ClusterName", "acme-prod", "ServiceName", "acme-prod-web", { label: "web" }],
      ["AWS/ECS", "CPUUtilization", "ClusterName", "acme-prod", "ServiceName", "acme-prod-api", { label: "api" }],
    ]);
    expect(cpu.yAxis).toEqual({ left: { min: 0, max: 100 } });
    expect(byTitle["ECS memory utilization (%)"]!.metrics).toHaveLength(2);
    expect(byTitle["ECS running tasks"]!.metrics[0]!.slice(0, 2)).toEqual(["ECS/ContainerInsights", "RunningTaskCount"]);
  });

  it("graphs ALB requests, 5xx and latency", () => {
    expect(byTitle["ALB requests"]).toMatchObject({
      stat: "Sum",
      metrics: [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", LB_SUFFIX, { label: "requests" }]],
    });
    expect(byTitle["ALB 5xx responses"]!.metrics.map((m) => m[1])).toEqual(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]);
    expect(byTitle["ALB target response time (s)"]!.metrics).toEqual([
      ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", LB_SUFFIX, { stat: "p95", label: "p95" }],
      ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", LB_SUFFIX, { stat: "Average", label: "average" }],
    ]);
    expect(byTitle["Target health (hosts)"]!.metrics[1]).toEqual([
      "AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", LB_SUFFIX, "TargetGroup", TG_WEB_SUFFIX, { stat: "Maximum", label: "web unhealthy" },
    ]);
  });

  it("graphs database CPU, connections and ACU against the max", () => {
    expect(byTitle["DB CPU utilization (%)"]!.metrics).toEqual([
      ["AWS/RDS", "CPUUtilization", "DBClusterIdentifier", "acme-prod", { label: "CPU" }],
    ]);
    expect(byTitle["DB connections"]!.stat).toBe("Maximum");
    expect(byTitle["Aurora Serverless v2 capacity (ACU)"]).toMatchObject({
      metrics: [["AWS/RDS", "ServerlessDatabaseCapacity", "DBClusterIdentifier", "acme-prod", { label: "capacity" }]],
      annotations: { horizontal: [{ value: 2, label: "max ACU" }] },
    });
    expect(byTitle["DB free storage (bytes)"]).toBeUndefined();
  });

  it("lays widgets on the 24-column grid without overlap", () => {
    const cells = new Set<string>();
    for (const w of body.widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
    expect(body.widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown)).toEqual([
      "## ECS services",
      "## Load balancer",
      "## Database (Aurora)",
    ]);
  });
});

describe("Dashboard details", () => {
  it("shows only the sections it is given, with RDS instance storage", () => {
    const { byTitle } = build({ database: { kind: "rds-instance", instanceIdentifier: "acme-staging" }, periodSeconds: 300 });
    expect(Object.keys(byTitle).sort()).toEqual([
      "DB CPU utilization (%)",
      "DB connections",
      "DB free storage (bytes)",
      "DB freeable memory (bytes)",
    ]);
    expect(byTitle["DB free storage (bytes)"]!.metrics[0]).toEqual([
      "AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", "acme-staging", { label: "free storage" },
    ]);
    expect(byTitle["DB connections"]!.period).toBe(300);
  });

  it("resolves Terraform references inside the body", () => {
    const stack = testStack("monitoring");
    const cluster = new TerraformVariable(stack, "cluster", { type: "string" });
    new Dashboard(stack, "dashboard", {
      namePrefix: "acme-prod",
      region: "ap-northeast-1",
      ecs: { clusterName: cluster.stringValue, services: { web: "acme-prod-web" } },
    });
    const body = onlyResource(synth(stack), "aws_cloudwatch_dashboard").dashboard_body as string;
    expect(body).toContain('"ClusterName","${var.cluster}"');
  });

  it("appends extra widgets from the typed model", () => {
    const { byTitle } = build({
      extraWidgets: [
        { kind: "metric", title: "Queue depth", statistic: "Maximum", periodSeconds: 60, lines: [{ namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: "jobs" } }] },
      ],
    });
    expect(byTitle["Queue depth"]!.metrics).toEqual([["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "jobs"]]);
  });

  it("starts a new row for each section heading", () => {
    const body = layoutWidgets(
      [
        { kind: "metric", title: "a", statistic: "Sum", periodSeconds: 60, lines: [] },
        { kind: "text", markdown: "## next" },
        { kind: "metric", title: "b", statistic: "Sum", periodSeconds: 60, lines: [] },
      ],
      "ap-northeast-1",
    );
    expect(body.widgets.map((w) => [w.type, w.x, w.y, w.width])).toEqual([
      ["metric", 0, 0, 12],
      ["text", 0, 6, 24],
      ["metric", 0, 7, 12],
    ]);
  });

  it("fails when the region is malformed or the period is not a multiple of 60", () => {
    expect(
      () =>
        new Dashboard(testStack(), "dashboard", {
          namePrefix: "acme-prod",
          region: "tokyo",
          periodSeconds: 30,
          ecs: { clusterName: "c", services: { web: "w" } },
        }),
    ).toThrow(/dashboard\.region: "tokyo" must be an AWS region name[\s\S]*dashboard\.periodSeconds: 30 must be a multiple of 60/);
  });

  it("fails when it would be empty or has an empty service list", () => {
    expect(() => new Dashboard(testStack(), "dashboard", { namePrefix: "x", region: "ap-northeast-1" })).toThrow(
      /a dashboard needs at least one of ecs, loadBalancer, database or extraWidgets/,
    );
    expect(
      () => new Dashboard(testStack(), "dashboard", { namePrefix: "x", region: "ap-northeast-1", ecs: { clusterName: "c", services: {} } }),
    ).toThrow(/dashboard\.ecs\.services: \{\} must list at least one service/);
  });

  it("fails when the dashboard name has characters CloudWatch rejects", () => {
    expect(
      () =>
        new Dashboard(testStack(), "dashboard", {
          namePrefix: "x",
          region: "ap-northeast-1",
          dashboardName: "acme prod/overview",
          ecs: { clusterName: "c", services: { web: "w" } },
        }),
    ).toThrow(/dashboardName: "acme prod\/overview" must be 1-255 letters, digits, hyphens or underscores/);
  });
});
