import { describe, expect, it } from "vitest";
import { RULES, evaluatePolicy, type PolicyEnvironment } from "../src";
import { environmentWith, type Mutable } from "./fixture";

/** Resource attributes of `type.name` in the fixture stack. */
const r = (s: Mutable, type: string, name: string) => s.resource[type]![name]!;
const container = (s: Mutable, patch: Record<string, unknown>) => {
  const td = r(s, "aws_ecs_task_definition", "app");
  td.container_definitions = JSON.stringify([{ ...JSON.parse(td.container_definitions as string)[0], ...patch }]);
};
const statement = (s: Mutable, doc: string, i: number) => (s.data.aws_iam_policy_document![doc]!.statement as Record<string, unknown>[])[i]!;

interface Case {
  /** The change that breaks the rule in the otherwise compliant fixture. */
  readonly breakIt: (s: Mutable) => void;
  readonly environment?: Partial<PolicyEnvironment>;
  /** The environment of the compliant run. @default `environment` */
  readonly compliantEnvironment?: Partial<PolicyEnvironment>;
}

const NON_PROD_SHARED: Partial<PolicyEnvironment> = { production: false, name: "staging", otherAccounts: { prod: "111111111111" } };

/** One non-compliant variant per rule (the compliant one is the fixture itself). */
const CASES: Record<string, Case> = {
  "PLAT-NET-001": { breakIt: (s) => (r(s, "aws_default_security_group", "default").ingress = [{ from_port: 0, to_port: 0, protocol: "-1", self: true }]) },
  "PLAT-NET-002": { breakIt: (s) => delete s.resource.aws_flow_log },
  "PLAT-NET-003": { breakIt: (s) => (r(s, "aws_subnet", "public_a").map_public_ip_on_launch = true) },
  "PLAT-NET-004": {
    breakIt: (s) => (r(s, "aws_vpc_security_group_ingress_rule", "service_from_alb").cidr_ipv4 = "0.0.0.0/0"),
  },
  "PLAT-EDGE-001": { breakIt: (s) => (r(s, "aws_lb_listener", "https").ssl_policy = "ELBSecurityPolicy-2016-08") },
  "PLAT-EDGE-002": { breakIt: (s) => (r(s, "aws_lb_listener", "http").default_action = [{ type: "forward" }]) },
  "PLAT-EDGE-003": {
    breakIt: (s) => {
      r(s, "aws_lb_listener", "http").default_action = [{ type: "forward" }];
      r(s, "aws_vpc_security_group_ingress_rule", "alb_443").from_port = 80;
      r(s, "aws_vpc_security_group_ingress_rule", "alb_443").to_port = 80;
    },
  },
  "PLAT-EDGE-004": { breakIt: (s) => delete s.resource.aws_wafv2_web_acl_association },
  "PLAT-EDGE-005": { breakIt: (s) => (r(s, "aws_lb", "alb").drop_invalid_header_fields = false) },
  "PLAT-EDGE-006": { breakIt: (s) => delete r(s, "aws_lb", "alb").access_logs },
  "PLAT-EDGE-007": { breakIt: (s) => (r(s, "aws_lb", "alb").enable_deletion_protection = false) },
  "PLAT-EDGE-008": { breakIt: (s) => delete s.resource.aws_wafv2_web_acl_logging_configuration },
  "PLAT-ECS-001": { breakIt: (s) => container(s, { privileged: true }) },
  "PLAT-ECS-002": { breakIt: (s) => container(s, { readonlyRootFilesystem: false }) },
  "PLAT-ECS-003": { breakIt: (s) => (r(s, "aws_ecs_service", "app").enable_execute_command = true) },
  "PLAT-ECS-004": { breakIt: (s) => (r(s, "aws_ecs_service", "app").network_configuration = { assign_public_ip: true, subnets: ["${aws_subnet.private_a.id}"] }) },
  "PLAT-ECS-005": { breakIt: (s) => (r(s, "aws_ecs_service", "app").network_configuration = { assign_public_ip: false, subnets: ["${aws_subnet.public_a.id}"] }) },
  "PLAT-ECS-006": { breakIt: (s) => (r(s, "aws_ecs_cluster", "cluster").setting = [{ name: "containerInsights", value: "disabled" }]) },
  "PLAT-ECS-007": { breakIt: (s) => container(s, { logConfiguration: undefined }) },
  "PLAT-EC2-001": { breakIt: (s) => (r(s, "aws_instance", "bastion").metadata_options = { http_tokens: "optional" }) },
  "PLAT-EC2-002": { breakIt: (s) => (r(s, "aws_launch_template", "bastion").block_device_mappings = [{ ebs: { encrypted: "false" } }]) },
  "PLAT-EC2-003": { breakIt: (s) => (r(s, "aws_instance", "bastion").associate_public_ip_address = true) },
  "PLAT-RDS-001": { breakIt: (s) => (r(s, "aws_db_instance", "db").storage_encrypted = false) },
  "PLAT-RDS-002": { breakIt: (s) => (r(s, "aws_rds_cluster", "aurora").deletion_protection = false) },
  "PLAT-RDS-003": { breakIt: (s) => (r(s, "aws_db_instance", "db").backup_retention_period = 3) },
  "PLAT-RDS-004": { breakIt: (s) => (r(s, "aws_db_instance", "db").skip_final_snapshot = true) },
  "PLAT-RDS-005": { breakIt: (s) => (r(s, "aws_rds_cluster_instance", "reader").publicly_accessible = true) },
  "PLAT-RDS-006": { breakIt: (s) => delete r(s, "aws_db_instance", "db").iam_database_authentication_enabled },
  "PLAT-RDS-007": { breakIt: (s) => (r(s, "aws_rds_cluster_parameter_group", "cpg").parameter = []) },
  "PLAT-RDS-008": { breakIt: (s) => (r(s, "aws_db_instance", "db").enabled_cloudwatch_logs_exports = []) },
  "PLAT-RDS-009": { breakIt: (s) => (r(s, "aws_db_instance", "db").auto_minor_version_upgrade = false) },
  "PLAT-RDS-010": { breakIt: (s) => delete s.resource.aws_rds_cluster_instance!.reader },
  "PLAT-S3-001": { breakIt: (s) => (r(s, "aws_s3_bucket_public_access_block", "assets").restrict_public_buckets = false) },
  "PLAT-S3-002": { breakIt: (s) => delete s.resource.aws_s3_bucket_policy!.assets },
  "PLAT-S3-003": { breakIt: (s) => delete s.resource.aws_s3_bucket_server_side_encryption_configuration!.assets },
  "PLAT-S3-004": { breakIt: (s) => (r(s, "aws_s3_bucket_versioning", "assets").versioning_configuration = { status: "Suspended" }) },
  "PLAT-S3-005": { breakIt: (s) => (r(s, "aws_s3_bucket_lifecycle_configuration", "assets").rule = [{ status: "Enabled", expiration: [{ days: 1 }] }]) },
  "PLAT-S3-006": { breakIt: (s) => (r(s, "aws_s3_bucket_ownership_controls", "assets").rule = { object_ownership: "ObjectWriter" }) },
  "PLAT-ECR-001": { breakIt: (s) => (r(s, "aws_ecr_repository", "app").image_tag_mutability = "MUTABLE") },
  "PLAT-ECR-002": { breakIt: (s) => (r(s, "aws_ecr_repository", "app").image_scanning_configuration = { scan_on_push: false }) },
  "PLAT-ECR-003": { breakIt: (s) => (r(s, "aws_ecr_repository", "app").force_delete = true) },
  "PLAT-ECR-004": { breakIt: (s) => delete s.resource.aws_ecr_lifecycle_policy },
  "PLAT-DDB-001": { breakIt: (s) => (r(s, "aws_dynamodb_table", "locks").point_in_time_recovery = { enabled: false }) },
  "PLAT-IAM-001": {
    breakIt: (s) => (r(s, "aws_iam_role_policy", "apply").policy = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })),
  },
  "PLAT-IAM-002": {
    breakIt: (s) => (s.data.aws_iam_policy_document!.bucket_policy = { statement: [{ actions: ["s3:GetObject"], principals: [{ type: "AWS", identifiers: ["*"] }], resources: ["*"] }] }),
  },
  "PLAT-IAM-003": { breakIt: (s) => (statement(s, "task_trust", 0).condition = []) },
  "PLAT-IAM-004": {
    breakIt: (s) => ((statement(s, "apply_trust", 0).condition as Record<string, unknown>[])[1]!.values = ["repo:acme/*"]),
  },
  "PLAT-IAM-005": { breakIt: (s) => (statement(s, "plan_permissions", 1).actions = ["ssm:GetParameter*"]) },
  "PLAT-IAM-006": { breakIt: (s) => (statement(s, "apply_permissions", 0).condition = []) },
  "PLAT-IAM-007": { breakIt: (s) => delete r(s, "aws_iam_role", "apply").permissions_boundary, environment: NON_PROD_SHARED },
  "PLAT-LOG-001": { breakIt: (s) => delete r(s, "aws_cloudwatch_log_group", "app").retention_in_days },
  "PLAT-LOG-002": { breakIt: (s) => (r(s, "aws_cloudwatch_log_group", "app").retention_in_days = 7) },
  "PLAT-LOG-003": {
    breakIt: (s) => {
      r(s, "aws_ecs_cluster", "cluster").configuration = {
        execute_command_configuration: { logging: "OVERRIDE", log_configuration: { cloud_watch_encryption_enabled: false, cloud_watch_log_group_name: "${aws_cloudwatch_log_group.app.name}" } },
      };
    },
  },
  "PLAT-MON-001": { breakIt: (s) => delete s.resource.aws_sns_topic_subscription },
  "PLAT-MON-002": { breakIt: (s) => delete r(s, "aws_sns_topic", "alarms").kms_master_key_id },
  "PLAT-KMS-001": { breakIt: (s) => (r(s, "aws_kms_key", "secrets").enable_key_rotation = false) },
  "PLAT-STATE-001": { breakIt: (s) => delete s.resource.aws_s3_bucket_versioning!.state },
  "PLAT-STATE-002": { breakIt: (s) => delete r(s, "aws_dynamodb_table", "locks").lifecycle },
  "PLAT-SEC-001": { breakIt: (s) => (statement(s, "publisher_permissions", 1).resources = ["*"]) },
  "PLAT-SEC-002": { breakIt: (s) => container(s, { environment: [{ name: "STRIPE_TOKEN", value: "sk_live_abc123" }] }) },
  "PLAT-SEC-003": { breakIt: (s) => container(s, { secrets: [{ name: "DATABASE_URL", valueFrom: "arn:aws:ssm:ap-northeast-1:111111111111:parameter/acme/staging/DATABASE_URL" }] }) },
  "PLAT-ACCT-001": { breakIt: () => {}, environment: NON_PROD_SHARED, compliantEnvironment: { ...NON_PROD_SHARED, otherAccounts: { prod: "333333333333" } } },
};

function firing(ruleId: string, kase?: Case): string[] {
  const input = environmentWith(kase?.breakIt, kase?.environment);
  const rule = RULES.find((x) => x.id === ruleId)!;
  return rule.check(input).map((v) => `${v.stack}/${v.resource}: ${v.message}`);
}

describe("rules", () => {
  it("has at least 40 rules with unique ids, a rationale and a case each", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(RULES.map((x) => x.id)).size).toBe(RULES.length);
    expect(RULES.filter((x) => x.rationale.length < 20).map((x) => x.id)).toEqual([]);
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((x) => x.id).sort());
  });

  it("the compliant fixture passes the whole pack, as production and as a non-production environment alone in its account", () => {
    expect(evaluatePolicy(environmentWith()).findings).toEqual([]);
    expect(evaluatePolicy(environmentWith(() => {}, { production: false, name: "staging", otherAccounts: {} })).findings).toEqual([]);
  });

  it.each(RULES.map((x) => x.id))("%s: compliant passes", (id) => {
    expect(firing(id, { breakIt: () => {}, environment: CASES[id]?.compliantEnvironment ?? CASES[id]?.environment })).toEqual([]);
  });

  it.each(RULES.map((x) => x.id))("%s: non-compliant fires", (id) => {
    expect(firing(id, CASES[id])).not.toEqual([]);
  });

  it("production-only rules do not run outside production", () => {
    const staging = evaluatePolicy(environmentWith((s) => (r(s, "aws_ecr_repository", "app").force_delete = true), { production: false, otherAccounts: {} }));
    expect(staging.rulesRun).not.toContain("PLAT-ECR-003");
    expect(staging.findings.map((f) => f.rule)).toEqual([]);
  });

  it("PLAT-IAM-001 leaves permissions boundaries alone (they cap a role, they grant nothing)", () => {
    const boundary = (attach: boolean) =>
      firing("PLAT-IAM-001", {
        breakIt: (s) => {
          s.data.aws_iam_policy_document!.boundary = { statement: [{ actions: ["*"], resources: ["*"] }] };
          s.resource.aws_iam_policy = { boundary: { policy: "${data.aws_iam_policy_document.boundary.json}" } };
          r(s, "aws_iam_role", "apply").permissions_boundary = attach ? "${aws_iam_policy.boundary.arn}" : "arn:aws:iam::111111111111:policy/other";
        },
      });
    expect(boundary(true)).toEqual([]);
    expect(boundary(false)).toHaveLength(1);
  });

  it("PLAT-IAM-004 accepts a trailing wildcard after a literal branch or tag prefix of one repository, and nothing wider", () => {
    const trusting = (sub: string) =>
      firing("PLAT-IAM-004", { breakIt: (s) => ((statement(s, "apply_trust", 0).condition as Record<string, unknown>[])[1]!.values = [sub]) });
    expect(trusting("repo:acme/app:ref:refs/tags/v*")).toEqual([]);
    expect(trusting("repo:acme/app:ref:refs/heads/release/*")).toEqual([]);
    for (const wide of ["repo:acme/app:ref:refs/tags/*", "repo:acme/app:*", "repo:acme/*:ref:refs/tags/v*", "repo:acme/app:ref:refs/tags/v*:x*", "repo:acme/app:environment:prod*"]) {
      expect({ wide, findings: trusting(wide).length }).toEqual({ wide, findings: 1 });
    }
  });

  it("PLAT-IAM-003 exempts EC2 instance profiles only (EC2 sends neither aws:SourceAccount nor aws:SourceArn)", () => {
    const trustedBy = (service: string) =>
      firing("PLAT-IAM-003", {
        breakIt: (s) => {
          statement(s, "task_trust", 0).condition = [];
          statement(s, "task_trust", 0).principals = [{ type: "Service", identifiers: [service] }];
        },
      });
    expect(trustedBy("ec2.amazonaws.com")).toEqual([]);
    expect(trustedBy("lambda.amazonaws.com")).not.toEqual([]);
  });

  it("PLAT-IAM-005 accepts a read policy narrower than ReadOnlyAccess instead of denies", () => {
    const narrow = (actions: string[]) =>
      firing("PLAT-IAM-005", {
        breakIt: (s) => {
          delete s.resource.aws_iam_role_policy_attachment;
          statement(s, "plan_permissions", 1).effect = "Allow";
          statement(s, "plan_permissions", 1).actions = actions;
        },
      });
    expect(narrow(["ecs:Describe*", "rds:Describe*"])).toEqual([]);
    expect(narrow(["ssm:Get*"])).toHaveLength(1);
  });

  it("PLAT-SEC-001 accepts a key policy that grants the writer's role instead of its own policy", () => {
    const viaKeyPolicy = (principal: string) =>
      firing("PLAT-SEC-001", {
        breakIt: (s) => {
          (s.data.aws_iam_policy_document!.publisher_permissions!.statement as unknown[]).splice(1, 1);
          r(s, "aws_kms_key", "secrets").policy = JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: ["kms:Encrypt", "kms:Decrypt"], Resource: "*" }],
          });
        },
      });
    expect(viaKeyPolicy("${aws_iam_role.publisher.arn}")).toEqual([]);
    expect(viaKeyPolicy("${aws_iam_role.task.arn}")).toHaveLength(1);
  });

  it("PLAT-IAM-006 also keeps S3 lock-file writes under the environment's prefix", () => {
    const withWrite = (resource: string) =>
      firing("PLAT-IAM-006", {
        breakIt: (s) => (s.data.aws_iam_policy_document!.apply_permissions!.statement as unknown[]).push({ sid: "State", actions: ["s3:PutObject"], resources: [resource] }),
      });
    expect(withWrite("arn:aws:s3:::acme-state/prod/*")).toEqual([]);
    expect(withWrite("arn:aws:s3:::acme-state/*")).toHaveLength(1);
  });

  it("secret-looking values are recognised by name or by shape, and references are not", () => {
    const env = (variables: Record<string, string>) =>
      environmentWith((s) => (r(s, "aws_lambda_function", "fn").environment = { variables })).stacks;
    const fire = (variables: Record<string, string>) =>
      RULES.find((x) => x.id === "PLAT-SEC-002")!.check({ environment: environmentWith().environment, stacks: env(variables) }).length;
    expect(fire({ API_KEY: "abc" })).toBe(1);
    expect(fire({ WEBHOOK: "https://user:pass@example.com/x" })).toBe(1);
    expect(fire({ AWS_KEY: "AKIAABCDEFGHIJKLMNOP" })).toBe(1);
    expect(fire({ DB_PASSWORD: "${aws_ssm_parameter.x.value}", SECRET_ARN: "arn:aws:secretsmanager:x", MODE: "prod" })).toBe(0);
  });
});
