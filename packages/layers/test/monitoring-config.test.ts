import { ConfigError, synthesizeApp, type ConfigIssue } from "@platform/core";
import { listResources } from "@platform/core/testing";
import { App } from "cdktf";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALARM_THRESHOLD_DEFAULTS, buildEnvironment, type EnvironmentLayersConfig, type MonitoringConfig } from "../src/index";
import { minimalConfig, configWith } from "./fixtures";

const web = minimalConfig.compute.services.web!;
const scaledWeb = { ...web, autoScaling: { minCapacity: 1, maxCapacity: 4, memoryTargetPercent: 80, cpuTargetPercent: 70 } };
const monitoring: MonitoringConfig = { alarmEmails: ["ops@example.com"], runbookUrl: "https://example.com/docs/runbooks/alarms.md" };

function plan(overrides: { monitoring?: MonitoringConfig; insights?: boolean; nat?: boolean } = {}): EnvironmentLayersConfig {
  return configWith({
    network: { ...minimalConfig.network, natMode: overrides.nat ? "single" : "none" },
    compute: { ...minimalConfig.compute, containerInsights: overrides.insights ?? true, services: { web: scaledWeb } },
    monitoring: overrides.monitoring ?? monitoring,
  });
}

function issues(p: EnvironmentLayersConfig): ConfigIssue[] {
  try {
    buildEnvironment(new App(), p);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

function monitoringStack(p: EnvironmentLayersConfig): Record<string, any> {
  const outdir = mkdtempSync(join(tmpdir(), "monitoring-config-"));
  synthesizeApp((app) => buildEnvironment(app, p), { outdir });
  return JSON.parse(readFileSync(join(outdir, "stacks", "staging-monitoring", "cdk.tf.json"), "utf8"));
}

describe("monitoring config rules", () => {
  it("refuses a memory threshold at or below a service's scaling target, naming both paths", () => {
    const found = issues(plan({ monitoring: { ...monitoring, thresholds: { serviceMemoryPercent: 80 } } }));
    expect(found).toEqual([
      {
        field: "staging.monitoring.thresholds.serviceMemoryPercent",
        value: 80,
        fix: expect.stringMatching(/must exceed compute\.services\.web\.autoScaling\.memoryTargetPercent \(80 %\).*e\.g\. 85/),
      },
    ]);
  });

  it("compares with the scaler's default target when the service leaves it out", () => {
    const defaults = configWith({
      compute: { ...minimalConfig.compute, services: { web: { ...web, autoScaling: { minCapacity: 1, maxCapacity: 2 } } } },
      monitoring: { ...monitoring, thresholds: { serviceCpuPercent: 70 } },
    });
    expect(issues(defaults).map((i) => i.field)).toEqual(["staging.monitoring.thresholds.serviceCpuPercent"]);
  });

  it("accepts the defaults: memory 85 % over the 80 % target", () => {
    expect(ALARM_THRESHOLD_DEFAULTS.serviceMemoryPercent).toBeGreaterThan(80);
    expect(issues(plan())).toEqual([]);
  });

  it("reports every bad monitoring value at once", () => {
    const bad = plan({
      monitoring: {
        ...monitoring,
        thresholds: { target4xxPercent: 0, natGbPerHour: -1, databaseReadLatencyMs: 0 },
        monthlyBudgetUsd: 0,
        runbookUrl: "http://example.com/alarms.md#x",
      },
    });
    expect(issues(bad).map((i) => i.field).sort()).toEqual([
      "staging.monitoring.monthlyBudgetUsd",
      "staging.monitoring.runbookUrl",
      "staging.monitoring.thresholds.databaseReadLatencyMs",
      "staging.monitoring.thresholds.natGbPerHour",
      "staging.monitoring.thresholds.target4xxPercent",
    ]);
  });
});

describe("the monitoring stack built from config", () => {
  it("full set: thresholds from config, scaling alarms from the scaler, NAT from the network, a budget", () => {
    const json = monitoringStack(
      plan({ nat: true, monitoring: { ...monitoring, thresholds: { serviceMemoryPercent: 90, natGbPerHour: 5 }, monthlyBudgetUsd: 120 } }),
    );
    const alarms = Object.fromEntries(listResources(json, "aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name, a]));
    expect(alarms["acme-staging-ecs-web-memory-high"]).toMatchObject({ threshold: 90 });
    expect(alarms["acme-staging-ecs-web-scaling-at-max"]).toMatchObject({ threshold: 4 });
    expect(alarms["acme-staging-nat-0-bytes-out-high"]).toMatchObject({ threshold: 5e9 });
    expect(alarms["acme-staging-db-storage-low"]).toMatchObject({ threshold: 10 * 1024 ** 3 });
    expect(alarms["acme-staging-lambda-database-url-errors"]!.dimensions).toEqual({ FunctionName: "acme-staging-database-url" });
    expect(listResources(json, "aws_budgets_budget")[0]).toMatchObject({ limit_amount: "120.0", cost_filter: [{ name: "TagKeyValue", values: ["user:environment$staging"] }] });
  });

  it("essential set: deployment rules, ALB 5xx and Lambda errors only, no dashboard", () => {
    const json = monitoringStack(plan({ insights: false, monitoring: { ...monitoring, alarmSet: "essential" } }));
    const names = listResources(json, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name).sort();
    expect(names).toEqual([
      "acme-staging-alb-elb-5xx",
      "acme-staging-alb-target-5xx",
      "acme-staging-lambda-database-url-errors",
      "acme-staging-lambda-redeploy-errors",
    ]);
    expect(listResources(json, "aws_cloudwatch_event_rule").map((r) => r.name).sort()).toEqual([
      "acme-staging-ecs-deployment-failed",
      "acme-staging-ecs-deployment-rollback",
    ]);
    expect(listResources(json, "aws_cloudwatch_dashboard")).toEqual([]);
  });
});
