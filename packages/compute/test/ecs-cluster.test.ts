import { policyStatements, resourceAt, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { EcsCluster } from "../src/ecs-cluster";
import { FargateService, errorOf, repository, serviceProps } from "./fixtures";

describe("EcsCluster", () => {
  it("turns Container Insights off explicitly for a cost-optimised staging", () => {
    const stack = testStack();
    new EcsCluster(stack, "cluster", { namePrefix: "bookmark-manager-staging", containerInsights: false });
    const cluster = resourceAt(synth(stack), "aws_ecs_cluster", "cluster");
    expect(cluster.name).toBe("bookmark-manager-staging-cluster");
    expect(cluster.setting).toEqual([{ name: "containerInsights", value: "disabled" }]);
  });

  it("has Container Insights on by default and FARGATE + FARGATE_SPOT attached, FARGATE by default", () => {
    const stack = testStack();
    new EcsCluster(stack, "cluster", { namePrefix: "acme-prod" });
    const json = synth(stack);
    expect(resourceAt(json, "aws_ecs_cluster", "cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(resourceAt(json, "aws_ecs_cluster", "cluster").configuration).toBeUndefined();
    expect(resourceAt(json, "aws_ecs_cluster_capacity_providers", "cluster/capacity-providers")).toMatchObject({
      capacity_providers: ["FARGATE", "FARGATE_SPOT"],
      default_capacity_provider_strategy: [{ capacity_provider: "FARGATE", weight: 1, base: 0 }],
    });
  });

  describe("with ECS Exec session logging", () => {
    const stack = testStack();
    const keyArn = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    const cluster = new EcsCluster(stack, "cluster", { namePrefix: "acme-staging", execLogging: { logRetentionDays: 30, kmsKeyArn: keyArn } });
    new FargateService(stack, "web", serviceProps({
      cluster: cluster.ref,
      enableExecuteCommand: true,
      containers: { web: { image: { ...repository("acme-web"), tag: "v1" }, ports: { http: 3000 }, readonlyRootFilesystem: false } },
    }));
    const json = synth(stack);

    it("records sessions in a log group with retention, encrypted with the key", () => {
      expect(resourceAt(json, "aws_cloudwatch_log_group", "cluster/exec-logs")).toMatchObject({
        name: "/ecs/exec/acme-staging-cluster",
        retention_in_days: 30,
        kms_key_id: keyArn,
      });
      expect(resourceAt(json, "aws_ecs_cluster", "cluster").configuration).toEqual({
        execute_command_configuration: {
          kms_key_id: keyArn,
          logging: "OVERRIDE",
          log_configuration: {
            cloud_watch_log_group_name: expect.stringMatching(/cluster_exec-logs_[0-9A-F]{8}\.name\}$/),
            cloud_watch_encryption_enabled: true,
          },
        },
      });
    });

    it("lets exec-enabled tasks write session logs to that group only, and decrypt with the key", () => {
      const statements = policyStatements(json, "web/task-role/permissions");
      const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
      expect(bySid.ExecSessionLogs).toMatchObject({
        actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        resources: [expect.stringMatching(/exec-logs_[0-9A-F]{8}\.arn\}$/), expect.stringMatching(/exec-logs_[0-9A-F]{8}\.arn\}:\*$/)],
      });
      // DescribeLogGroups is a list call: scoped to the stack's account and region, not to one group.
      expect(bySid.ExecLogGroupLookup!.resources).toEqual(["arn:aws:logs:ap-northeast-1:123456789012:log-group:*"]);
      expect(bySid.ExecSessionKey).toMatchObject({ actions: ["kms:Decrypt"], resources: [keyArn] });
      expect(bySid.EcsExecSsmChannels).toBeDefined();
    });
  });

  it("fails when the exec log retention is one CloudWatch Logs does not accept", () => {
    expect(errorOf(() => new EcsCluster(testStack(), "cluster", { namePrefix: "acme", execLogging: { logRetentionDays: 8 } }))).toContain(
      "cluster.execLogging.logRetentionDays: 8 is not a CloudWatch Logs retention",
    );
  });
});
