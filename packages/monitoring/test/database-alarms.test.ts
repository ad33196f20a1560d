import { describe, expect, it } from "vitest";
import { listResources, synth, testStack } from "@platform/core/testing";
import { DatabaseAlarms, type DatabaseAlarmsProps } from "../src/index";
import { SINK, alarmsByName } from "./fixtures";

function build(props: Omit<DatabaseAlarmsProps, "namePrefix" | "sink">) {
  const stack = testStack("monitoring");
  const construct = new DatabaseAlarms(stack, "db", { namePrefix: "acme-prod", sink: SINK, ...props });
  return { construct, alarms: alarmsByName(listResources(synth(stack), "aws_cloudwatch_metric_alarm")) };
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

describe("DatabaseAlarms for an Aurora Serverless v2 cluster", () => {
  const { alarms } = build({
    database: { kind: "aurora-cluster", clusterIdentifier: "acme-prod", serverlessMaxCapacityAcu: 2 },
    maxConnections: 400,
  });
  const dimensions = { DBClusterIdentifier: "acme-prod" };

  it("watches cluster-level CPU above 80 % for 2 x 300 s", () => {
    expect(alarms["acme-prod-db-cpu-high"]).toMatchObject({
      namespace: "AWS/RDS",
      metric_name: "CPUUtilization",
      statistic: "Average",
      comparison_operator: "GreaterThanThreshold",
      threshold: 80,
      period: 300,
      evaluation_periods: 2,
      dimensions,
    });
  });

  it("alarms at 80 % of max_connections on the busiest instance", () => {
    expect(alarms["acme-prod-db-connections-high"]).toMatchObject({
      metric_name: "DatabaseConnections",
      statistic: "Maximum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 320,
      dimensions,
    });
  });

  it("alarms when freeable memory of the lowest instance drops below 256 MiB", () => {
    expect(alarms["acme-prod-db-memory-low"]).toMatchObject({
      metric_name: "FreeableMemory",
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 256 * MIB,
      dimensions,
    });
  });

  it("alarms when the busiest instance's ACUUtilization reaches 90 % of the max ACU", () => {
    expect(alarms["acme-prod-db-acu-near-max"]).toMatchObject({
      metric_name: "ACUUtilization",
      statistic: "Maximum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 90,
      period: 300,
      evaluation_periods: 3,
      dimensions,
    });
  });

  it("has no instance-only alarm and notifies the sink on ALARM and OK", () => {
    expect(Object.keys(alarms).sort()).toEqual([
      "acme-prod-db-acu-near-max",
      "acme-prod-db-connections-high",
      "acme-prod-db-cpu-high",
      "acme-prod-db-memory-low",
      "acme-prod-db-read-latency-high",
      "acme-prod-db-write-latency-high",
    ]);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual(SINK.alarmActionArns);
      expect(alarm.ok_actions).toEqual(SINK.okActionArns);
      expect(alarm.alarm_description).toMatch(/^Aurora cluster acme-prod .+: .+ first/);
    }
  });
});

describe("DatabaseAlarms for an RDS instance", () => {
  const { construct, alarms } = build({
    database: { kind: "rds-instance", instanceIdentifier: "acme-staging-db", freeStorage: { thresholdGiB: 5 } },
    cpu: { thresholdPercent: 90 },
    freeableMemory: { thresholdMiB: 128 },
  });
  const dimensions = { DBInstanceIdentifier: "acme-staging-db" };

  it("uses instance dimensions and overrides", () => {
    expect(alarms["acme-prod-db-cpu-high"]).toMatchObject({ threshold: 90, dimensions });
    expect(alarms["acme-prod-db-memory-low"]).toMatchObject({ threshold: 128 * MIB, dimensions });
  });

  it("alarms on free storage below the floor", () => {
    expect(alarms["acme-prod-db-storage-low"]).toMatchObject({
      metric_name: "FreeStorageSpace",
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 5 * GIB,
      period: 300,
      evaluation_periods: 1,
      dimensions,
    });
  });

  it("has no connections alarm without max_connections and no capacity alarm", () => {
    expect(construct.connections).toBeUndefined();
    expect(construct.capacity).toBeUndefined();
    expect(Object.keys(alarms)).toHaveLength(5);
  });

  it("alarms on average read and write latency above 20 ms (RDS reports seconds) for 3 x 300 s", () => {
    for (const [name, metric] of [["acme-prod-db-read-latency-high", "ReadLatency"], ["acme-prod-db-write-latency-high", "WriteLatency"]]) {
      expect(alarms[name!]).toMatchObject({
        namespace: "AWS/RDS",
        metric_name: metric,
        statistic: "Average",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0.02,
        period: 300,
        evaluation_periods: 3,
      });
    }
  });
});

describe("DatabaseAlarms latency overrides and runbook links", () => {
  const stack = testStack("monitoring");
  new DatabaseAlarms(stack, "db", {
    namePrefix: "acme-prod",
    sink: SINK,
    database: { kind: "rds-instance", instanceIdentifier: "acme-prod-db" },
    readLatency: { thresholdMilliseconds: 50 },
    writeLatency: false,
    runbookUrl: "https://example.com/docs/runbooks/alarms.md",
  });
  const alarms = alarmsByName(listResources(synth(stack), "aws_cloudwatch_metric_alarm"));

  it("uses the configured threshold and leaves out what is turned off", () => {
    expect(alarms["acme-prod-db-read-latency-high"]).toMatchObject({ threshold: 0.05 });
    expect(alarms["acme-prod-db-write-latency-high"]).toBeUndefined();
  });

  it("ends every description with the link to its runbook section", () => {
    expect(alarms["acme-prod-db-read-latency-high"]!.alarm_description).toMatch(/ Runbook: https:\/\/example\.com\/docs\/runbooks\/alarms\.md#db-read-latency-high$/);
    expect(alarms["acme-prod-db-storage-low"]!.alarm_description).toMatch(/#db-storage-low$/);
    expect(alarms["acme-prod-db-cpu-high"]!.alarm_description).toMatch(/#db-cpu-high$/);
  });
});

describe("DatabaseAlarms validation", () => {
  const aurora = { kind: "aurora-cluster", clusterIdentifier: "acme-prod" } as const;
  const attempt = (props: Omit<DatabaseAlarmsProps, "namePrefix" | "sink">) => () =>
    new DatabaseAlarms(testStack(), "db", { namePrefix: "acme-prod", sink: SINK, ...props });

  it("fails when the CPU threshold is out of range", () => {
    expect(attempt({ database: aurora, cpu: { thresholdPercent: 100 } })).toThrow(
      /db\.cpu\.thresholdPercent: 100 must be a percentage greater than 0 and less than 100/,
    );
  });

  it("fails when a connections alarm is asked for without max_connections", () => {
    expect(attempt({ database: aurora, connections: { thresholdPercent: 70 } })).toThrow(
      /db\.connections: \{"thresholdPercent":70\} needs maxConnections/,
    );
  });

  it("fails when the connections share of max_connections is less than one connection", () => {
    expect(attempt({ database: aurora, maxConnections: 1, connections: { thresholdPercent: 50 } })).toThrow(
      /db\.connections\.thresholdPercent: 50 of maxConnections \(1\) is less than one connection; raise the percentage/,
    );
  });

  it("fails when a capacity alarm is asked for without the max ACU, or the max ACU is impossible", () => {
    expect(attempt({ database: { ...aurora, capacity: { thresholdPercent: 95 } } })).toThrow(
      /db\.database\.capacity: \{"thresholdPercent":95\} needs database\.serverlessMaxCapacityAcu/,
    );
    expect(attempt({ database: { ...aurora, serverlessMaxCapacityAcu: 1.3 } })).toThrow(
      /db\.database\.serverlessMaxCapacityAcu: 1\.3 must be the cluster's Serverless v2 max capacity: 1 to 256 in steps of 0\.5/,
    );
  });

  it("fails when evaluation periods are fewer than 1 or datapoints exceed them", () => {
    expect(attempt({ database: aurora, freeableMemory: { evaluationPeriods: 0 } })).toThrow(
      /freeableMemory\.evaluationPeriods: 0 must be a whole number of at least 1/,
    );
    expect(attempt({ database: aurora, cpu: { evaluationPeriods: 1, datapointsToAlarm: 2 } })).toThrow(
      /cpu\.datapointsToAlarm: 2 must be a whole number from 1 to evaluationPeriods \(1\)/,
    );
  });

  it("fails when a floor is not positive or the identifier is malformed", () => {
    expect(
      attempt({ database: { kind: "rds-instance", instanceIdentifier: "1db", freeStorage: { thresholdGiB: 0 } } }),
    ).toThrow(/database\.instanceIdentifier: "1db" must be the DB instance identifier[\s\S]*database\.freeStorage\.thresholdGiB: 0 must be greater than 0/);
  });

  it("fails when a period is not a multiple of 60", () => {
    expect(attempt({ database: aurora, cpu: { periodSeconds: 45 } })).toThrow(/db\.cpu\.periodSeconds: 45 must be a multiple of 60/);
  });
});
