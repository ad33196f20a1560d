import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { listDataSources, listResources, policyStatements, resourceAt, synth, testStack } from "@platform/core/testing";
import { TaskExecutionRole, type TaskExecutionRoleProps, TaskRole } from "../src/index";

const ARN = {
  repo: "arn:aws:ecr:ap-northeast-1:123456789012:repository/acme-test-web",
  logs: "arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/acme-test-web",
  secret: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1234-AbCdEf",
  param: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/test/DATABASE_URL",
  key: "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

describe("TaskExecutionRole with every grant", () => {
  const stack = testStack("security");
  new TaskExecutionRole(stack, "exec", {
    namePrefix: "acme-test",
    name: "web",
    repositoryArns: [ARN.repo],
    logGroupArns: [ARN.logs],
    secretArns: [ARN.secret],
    parameterArns: [ARN.param],
    kmsKeyArns: [ARN.key],
    accountId: "123456789012",
  });
  const json = synth(stack);

  // Issue 10, "Task roles lack aws:SourceAccount": both confused-deputy keys AWS documents for ECS.
  it("is assumable by ECS tasks of the given account only (aws:SourceAccount and aws:SourceArn)", () => {
    expect(policyStatements(json, "exec/trust")).toEqual([
      {
        sid: "EcsTasksAssumeRole",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
          { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:*:ecs:*:123456789012:*"] },
        ],
      },
    ]);
    expect(resourceAt(json, "aws_iam_role", "exec/role").name).toBe("acme-test-web-execution");
  });

  it("scopes every statement to the given resources; only the ECR token is on *", () => {
    expect(policyStatements(json, "exec/permissions")).toEqual([
      { sid: "EcrAuthToken", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "EcrPull",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        resources: [ARN.repo],
      },
      { sid: "WriteLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${ARN.logs}:*`] },
      { sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: [ARN.secret] },
      { sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: [ARN.param] },
      {
        sid: "DecryptSecrets",
        actions: ["kms:Decrypt"],
        resources: [ARN.key],
        condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] }],
      },
    ]);
    expect(resourceAt(json, "aws_iam_role_policy", "exec/policy").policy).toMatch(/aws_iam_policy_document\.exec_permissions_[0-9A-F]{8}\.json/);
  });
});

describe("TaskExecutionRole with only logs", () => {
  const stack = testStack("security");
  new TaskExecutionRole(stack, "exec", { namePrefix: "acme-test", name: "worker", repositoryArns: [], logGroupArns: [ARN.logs] });
  const json = synth(stack);

  it("leaves out statements whose resource list is empty, and the trust condition without an account", () => {
    expect(policyStatements(json, "exec/permissions").map((s) => s.sid)).toEqual(["WriteLogs"]);
    expect(policyStatements(json, "exec/trust")[0]!.condition).toBeUndefined();
  });

  it("appends :* to token log group ARNs, and maps a token list with formatlist", () => {
    const s = testStack("tokens");
    const group = new CloudwatchLogGroup(s, "web", { name: "/ecs/web", retentionInDays: 7 });
    const list = new TerraformVariable(s, "groups", { type: "list(string)" });
    new TaskExecutionRole(s, "one", { namePrefix: "acme-test", name: "web", repositoryArns: [], logGroupArns: [group.arn] });
    new TaskExecutionRole(s, "many", { namePrefix: "acme-test", name: "api", repositoryArns: [], logGroupArns: list.listValue });
    const out = synth(s);
    expect(policyStatements(out, "one/permissions")[0]!.resources).toEqual([
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.web(_[0-9A-F]{8})?\.arn\}:\*$/),
    ]);
    expect(policyStatements(out, "many/permissions")[0]!.resources).toBe('${formatlist("%s:*", var.groups)}');
  });
});

describe("TaskExecutionRole naming and validation", () => {
  const props: TaskExecutionRoleProps = { namePrefix: "acme-test", name: "web", repositoryArns: [ARN.repo], logGroupArns: [ARN.logs] };

  it("keeps a long role name within 64 characters", () => {
    const stack = testStack("security");
    new TaskExecutionRole(stack, "exec", { ...props, namePrefix: "a-very-long-project-name-for-naming-tests-production" , name: "background-worker" });
    const name = listResources(synth(stack), "aws_iam_role")[0]!.name as string;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/-[0-9a-f]{6}$/);
  });

  it("fails when ARNs are of the wrong service or the log group ARN ends with :*", () => {
    expect(
      () =>
        new TaskExecutionRole(testStack("bad"), "exec", {
          ...props,
          repositoryArns: ["acme-test-web"],
          logGroupArns: [`${ARN.logs}:*`],
          secretArns: [ARN.param],
        }),
    ).toThrow(
      /exec\.repositoryArns: "acme-test-web" must be an ECR repository ARN \(.*\), pass e\.g\. aws_ecr_repository\.arn[\s\S]*exec\.logGroupArns: ".*:\*" must be the plain log group ARN[\s\S]*exec\.secretArns: "arn:aws:ssm:.*" must be a Secrets Manager secret ARN/,
    );
  });

  it("fails when the account ID or the service name are malformed", () => {
    expect(() => new TaskExecutionRole(testStack("bad"), "exec", { ...props, name: "Web App", accountId: "1234" })).toThrow(
      /exec\.name: "Web App" must be 1-31 lower-case letters[\s\S]*exec\.accountId: "1234" must be the 12-digit ID of an AWS account/,
    );
  });
});

describe("TaskRole", () => {
  const stack = testStack("security");
  new TaskRole(stack, "exec-on", {
    namePrefix: "acme-test",
    name: "web",
    ecsExec: true,
    statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-test-assets/*"] }],
  });
  new TaskRole(stack, "bare", { namePrefix: "acme-test", name: "api" });
  const json = synth(stack);

  it("grants the ECS Exec channels (on *, the only scope IAM offers) plus the app's statements", () => {
    expect(policyStatements(json, "exec-on/permissions")).toEqual([
      {
        sid: "EcsExecSsmChannels",
        actions: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        resources: ["*"],
      },
      { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-test-assets/*"] },
    ]);
    expect(resourceAt(json, "aws_iam_role", "exec-on/role").name).toBe("acme-test-web-task");
  });

  it("has no policy at all without ECS Exec or statements", () => {
    expect(listResources(json, "aws_iam_role_policy")).toHaveLength(1);
    expect(listDataSources(json, "aws_iam_policy_document")).toHaveLength(3); // two trusts + one permissions
    expect(resourceAt(json, "aws_iam_role", "bare/role").name).toBe("acme-test-api-task");
  });

  it("fails when a statement has no resources", () => {
    expect(
      () =>
        new TaskRole(testStack("bad"), "task", { namePrefix: "acme-test", name: "web", statements: [{ actions: ["s3:GetObject"], resources: [] }] }),
    ).toThrow(/task\.statements\[0\]\.resources: \[\] is empty; IAM rejects a statement without resources/);
  });
});
