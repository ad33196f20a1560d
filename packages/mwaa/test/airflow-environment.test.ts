import { describe, expect, it } from "vitest";
import { listResources, onlyResource, synth, testStack } from "@platform/core/testing";
import { AirflowEnvironment, type AirflowEnvironmentProps } from "../src/index";

const BASE: AirflowEnvironmentProps = {
  namePrefix: "acme-prod",
  accountId: "123456789012",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
};

function build(props: Partial<AirflowEnvironmentProps> = {}) {
  const stack = testStack("airflow");
  const construct = new AirflowEnvironment(stack, "airflow", { ...BASE, ...props });
  return { construct, json: synth(stack) };
}

describe("AirflowEnvironment with defaults", () => {
  const { construct, json } = build();
  const environment = onlyResource(json, "aws_mwaa_environment");
  const documents = json.data!.aws_iam_policy_document as Record<string, { statement: Array<Record<string, any>> }>;
  const policy = Object.entries(documents).find(([key]) => key.includes("execution-policy"))![1].statement;
  const bySid = Object.fromEntries(policy.map((s) => [s.sid, s]));

  it("is private, the smallest class, one worker, DAGs from the bucket", () => {
    expect(environment).toMatchObject({
      name: "acme-prod-airflow",
      environment_class: "mw1.micro",
      webserver_access_mode: "PRIVATE_ONLY",
      dag_s3_path: "dags/",
      min_workers: 1,
      max_workers: 1,
      schedulers: 1,
      network_configuration: { subnet_ids: BASE.privateSubnetIds },
    });
    expect(environment.source_bucket_arn).toMatch(/^\$\{aws_s3_bucket\..+\.arn\}$/);
  });

  it("logs every module to CloudWatch into log groups created first, with a retention", () => {
    const logging = environment.logging_configuration as Record<string, { enabled: boolean; log_level: string }>;
    expect(Object.keys(logging).sort()).toEqual(["dag_processing_logs", "scheduler_logs", "task_logs", "webserver_logs", "worker_logs"]);
    for (const module of Object.values(logging)) expect(module.enabled).toBe(true);
    expect(logging.task_logs!.log_level).toBe("INFO");
    const groups = listResources(json, "aws_cloudwatch_log_group");
    expect(groups.map((g) => g.name).sort()).toEqual(
      ["DAGProcessing", "Scheduler", "Task", "WebServer", "Worker"].map((m) => `airflow-acme-prod-airflow-${m}`),
    );
    for (const group of groups) expect(group.retention_in_days).toBe(30);
    expect((environment.depends_on as string[]).filter((d) => d.startsWith("aws_cloudwatch_log_group"))).toHaveLength(5);
  });

  it("keeps DAGs in a versioned, encrypted, closed bucket named airflow-*", () => {
    expect(onlyResource(json, "aws_s3_bucket").bucket).toBe("airflow-acme-prod-123456789012");
    expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    const sse = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule as Array<Record<string, any>>;
    expect(sse[0]!.apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(construct.dagsUri).toBe("s3://airflow-acme-prod-123456789012/dags/");
  });

  it("scopes the execution role to this bucket, these log groups and MWAA's queues", () => {
    expect(bySid.ReadDagBucket!.resources).toEqual([expect.stringMatching(/aws_s3_bucket\..+\.arn\}$/), expect.stringMatching(/aws_s3_bucket\..+\.arn\}\/\*$/)]);
    expect(bySid.WriteOwnLogs!.resources[0]).toMatch(/:logs:.+:123456789012:log-group:airflow-acme-prod-airflow-\*$/);
    expect(bySid.PublishMetrics!.resources[0]).toMatch(/:airflow:.+:123456789012:environment\/acme-prod-airflow$/);
    expect(bySid.CeleryQueues!.resources[0]).toMatch(/:sqs:.+:\*:airflow-celery-\*$/);
    expect(bySid.CeleryQueueKeysThroughSqs).toMatchObject({
      not_resources: [expect.stringMatching(/:kms:\*:123456789012:key\/\*$/)],
      condition: [{ test: "StringLike", variable: "kms:ViaService", values: [expect.stringMatching(/^sqs\..+\.amazonaws\.com$/)] }],
    });
    const writes = policy.filter((s) => s.effect !== "Deny").flatMap((s) => s.actions as string[]);
    expect(writes.filter((a) => a.startsWith("s3:Put") || a === "s3:*")).toEqual([]);
  });

  it("lets only MWAA of this account assume the role", () => {
    const trust = Object.entries(documents).find(([key]) => key.includes("trust"))![1].statement[0]!;
    expect(trust.principals[0].identifiers).toEqual(["airflow.amazonaws.com", "airflow-env.amazonaws.com"]);
    expect(trust.condition).toEqual([{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }]);
  });
});

describe("AirflowEnvironment validation", () => {
  it("reports every problem at once with its field", () => {
    expect(() => build({ privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaaa"], maxWorkers: 3, logRetentionDays: 10 })).toThrow(
      /privateSubnetIds[\s\S]*exactly two[\s\S]*maxWorkers[\s\S]*must be 1 for mw1\.micro[\s\S]*logRetentionDays/,
    );
  });

  it("scales workers on larger classes", () => {
    const { json } = build({ environmentClass: "mw1.small", maxWorkers: 4 });
    const environment = onlyResource(json, "aws_mwaa_environment");
    expect([environment.environment_class, environment.max_workers, environment.schedulers]).toEqual(["mw1.small", 4, undefined]);
  });
});
