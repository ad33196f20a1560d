/**
 * A small hand-written environment in which every rule passes: each rule test breaks one
 * attribute of a fresh copy and expects its rule to fire.
 */
import type { PolicyEnvironment, PolicyInput, StackJson } from "../src";

export const ENVIRONMENT: PolicyEnvironment = {
  name: "prod",
  accountId: "111111111111",
  region: "ap-northeast-1",
  production: true,
  otherAccounts: { staging: "222222222222" },
};

const doc = (...statement: Record<string, unknown>[]) => ({ statement });
const serviceTrust = (service: string) =>
  doc({
    actions: ["sts:AssumeRole"],
    principals: [{ type: "Service", identifiers: [service] }],
    condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }],
  });
const githubTrust = (sub: string) =>
  doc({
    actions: ["sts:AssumeRoleWithWebIdentity"],
    principals: [{ type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.github.arn}"] }],
    condition: [
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: [sub] },
    ],
  });
const lockStatement = {
  sid: "LockTable",
  actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
  resources: ["${aws_dynamodb_table.locks.arn}"],
  condition: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["state/prod/*"] }],
};
const denySecrets = {
  effect: "Deny",
  actions: ["ssm:GetParameter*", "secretsmanager:GetSecretValue", "kms:Decrypt"],
  resources: ["*"],
};

export function compliantStack(): StackJson {
  return {
    terraform: { backend: { s3: { bucket: "acme-state", dynamodb_table: "acme-locks", key: "prod/prod-all.tfstate" } } },
    data: {
      aws_iam_policy_document: {
        task_trust: serviceTrust("ecs-tasks.amazonaws.com"),
        plan_trust: githubTrust("repo:acme/infra:pull_request"),
        apply_trust: githubTrust("repo:acme/infra:environment:production"),
        plan_permissions: doc(lockStatement, denySecrets),
        apply_permissions: doc(lockStatement),
        publisher_permissions: doc(
          { actions: ["ssm:PutParameter"], resources: ["arn:aws:ssm:ap-northeast-1:111111111111:parameter/acme/prod/DATABASE_URL"] },
          { actions: ["kms:Encrypt", "kms:GenerateDataKey"], resources: ["${aws_kms_key.secrets.arn}"] },
        ),
        bucket_policy: doc({
          effect: "Deny",
          actions: ["s3:*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          resources: ["${aws_s3_bucket.assets.arn}/*"],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        }),
      },
    },
    resource: {
      aws_vpc: { vpc: { cidr_block: "10.1.0.0/16" } },
      aws_default_security_group: { default: { vpc_id: "${aws_vpc.vpc.id}", ingress: [], egress: [] } },
      aws_flow_log: { flow: { vpc_id: "${aws_vpc.vpc.id}", traffic_type: "ALL" } },
      aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.vpc.id}" } },
      aws_subnet: {
        public_a: { vpc_id: "${aws_vpc.vpc.id}", map_public_ip_on_launch: false },
        private_a: { vpc_id: "${aws_vpc.vpc.id}", map_public_ip_on_launch: false },
      },
      aws_route_table: { public: { vpc_id: "${aws_vpc.vpc.id}" }, private: { vpc_id: "${aws_vpc.vpc.id}" } },
      aws_route: { internet: { route_table_id: "${aws_route_table.public.id}", destination_cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" } },
      aws_route_table_association: {
        public_a: { subnet_id: "${aws_subnet.public_a.id}", route_table_id: "${aws_route_table.public.id}" },
        private_a: { subnet_id: "${aws_subnet.private_a.id}", route_table_id: "${aws_route_table.private.id}" },
      },
      aws_security_group: { alb: { vpc_id: "${aws_vpc.vpc.id}" }, service: { vpc_id: "${aws_vpc.vpc.id}" } },
      aws_vpc_security_group_ingress_rule: {
        alb_443: { security_group_id: "${aws_security_group.alb.id}", cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp" },
        service_from_alb: { security_group_id: "${aws_security_group.service.id}", referenced_security_group_id: "${aws_security_group.alb.id}", from_port: 3000, to_port: 3000, ip_protocol: "tcp" },
      },
      aws_lb: {
        alb: {
          internal: false,
          load_balancer_type: "application",
          security_groups: ["${aws_security_group.alb.id}"],
          drop_invalid_header_fields: true,
          enable_deletion_protection: true,
          access_logs: { bucket: "${aws_s3_bucket.logs.bucket}", enabled: true },
        },
      },
      aws_lb_listener: {
        http: { load_balancer_arn: "${aws_lb.alb.arn}", port: 80, protocol: "HTTP", default_action: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } }] },
        https: { load_balancer_arn: "${aws_lb.alb.arn}", port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [{ type: "forward" }] },
      },
      aws_wafv2_web_acl: { waf: { scope: "REGIONAL" } },
      aws_wafv2_web_acl_association: { waf: { resource_arn: "${aws_lb.alb.arn}", web_acl_arn: "${aws_wafv2_web_acl.waf.arn}" } },
      aws_wafv2_web_acl_logging_configuration: { waf: { resource_arn: "${aws_wafv2_web_acl.waf.arn}" } },
      aws_ecs_cluster: { cluster: { setting: [{ name: "containerInsights", value: "enabled" }] } },
      aws_ecs_task_definition: {
        app: {
          container_definitions: JSON.stringify([
            { name: "app", readonlyRootFilesystem: true, environment: [{ name: "PORT", value: "3000" }], logConfiguration: { logDriver: "awslogs" } },
          ]),
        },
      },
      aws_ecs_service: {
        app: { enable_execute_command: false, network_configuration: { assign_public_ip: false, subnets: ["${aws_subnet.private_a.id}"] } },
      },
      aws_cloudwatch_log_group: { app: { name: "/ecs/app", retention_in_days: 30 } },
      aws_launch_template: { bastion: { block_device_mappings: [{ ebs: { encrypted: "true" } }] } },
      aws_instance: {
        bastion: { associate_public_ip_address: false, launch_template: { id: "${aws_launch_template.bastion.id}" }, metadata_options: { http_tokens: "required" } },
      },
      aws_db_parameter_group: { pg: { parameter: [{ name: "rds.force_ssl", value: "1" }] } },
      aws_db_instance: {
        db: {
          engine: "postgres",
          storage_encrypted: true,
          deletion_protection: true,
          backup_retention_period: 7,
          final_snapshot_identifier: "db-final",
          skip_final_snapshot: false,
          publicly_accessible: false,
          iam_database_authentication_enabled: true,
          parameter_group_name: "${aws_db_parameter_group.pg.name}",
          enabled_cloudwatch_logs_exports: ["postgresql"],
          auto_minor_version_upgrade: true,
          multi_az: true,
        },
      },
      aws_rds_cluster_parameter_group: { cpg: { parameter: [{ name: "rds.force_ssl", value: "1" }] } },
      aws_rds_cluster: {
        aurora: {
          engine: "aurora-postgresql",
          storage_encrypted: true,
          deletion_protection: true,
          backup_retention_period: 30,
          final_snapshot_identifier: "aurora-final",
          iam_database_authentication_enabled: true,
          db_cluster_parameter_group_name: "${aws_rds_cluster_parameter_group.cpg.name}",
          enabled_cloudwatch_logs_exports: ["postgresql"],
        },
      },
      aws_rds_cluster_instance: {
        writer: { cluster_identifier: "${aws_rds_cluster.aurora.id}", publicly_accessible: false },
        reader: { cluster_identifier: "${aws_rds_cluster.aurora.id}", publicly_accessible: false },
      },
      aws_s3_bucket: { assets: { bucket: "acme-prod-assets" }, logs: { bucket: "acme-prod-logs" }, state: { bucket: "acme-state", lifecycle: { prevent_destroy: true } } },
      ...s3Companions(["assets", "logs", "state"]),
      aws_s3_bucket_lifecycle_configuration: {
        assets: { bucket: "${aws_s3_bucket.assets.id}", rule: [{ status: "Enabled", expiration: [{ days: 730 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] }] },
      },
      aws_ecr_repository: { app: { image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, force_delete: false } },
      aws_ecr_lifecycle_policy: { app: { repository: "${aws_ecr_repository.app.name}" } },
      aws_dynamodb_table: { locks: { name: "acme-locks", point_in_time_recovery: { enabled: true }, lifecycle: { prevent_destroy: true } } },
      aws_iam_openid_connect_provider: { github: { url: "https://token.actions.githubusercontent.com" } },
      aws_iam_role: {
        task: { assume_role_policy: "${data.aws_iam_policy_document.task_trust.json}" },
        plan: { assume_role_policy: "${data.aws_iam_policy_document.plan_trust.json}" },
        apply: { assume_role_policy: "${data.aws_iam_policy_document.apply_trust.json}", permissions_boundary: "arn:aws:iam::111111111111:policy/staging-boundary" },
        publisher: { assume_role_policy: "${data.aws_iam_policy_document.task_trust.json}" },
      },
      aws_iam_role_policy: {
        plan: { role: "${aws_iam_role.plan.id}", policy: "${data.aws_iam_policy_document.plan_permissions.json}" },
        apply: { role: "${aws_iam_role.apply.id}", policy: "${data.aws_iam_policy_document.apply_permissions.json}" },
        publisher: { role: "${aws_iam_role.publisher.id}", policy: "${data.aws_iam_policy_document.publisher_permissions.json}" },
      },
      aws_iam_role_policy_attachment: { plan_read_only: { role: "${aws_iam_role.plan.name}", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
      aws_kms_key: { secrets: { enable_key_rotation: true } },
      aws_ssm_parameter: { url: { type: "SecureString", key_id: "${aws_kms_key.secrets.arn}" } },
      aws_sns_topic: { alarms: { kms_master_key_id: "${aws_kms_key.secrets.arn}" } },
      aws_sns_topic_subscription: { email: { topic_arn: "${aws_sns_topic.alarms.arn}", protocol: "email", endpoint: "ops@example.com" } },
      aws_cloudwatch_metric_alarm: { cpu: { alarm_actions: ["${aws_sns_topic.alarms.arn}"] } },
      aws_lambda_function: { fn: { environment: { variables: { PARAMETER_NAME: "/acme/prod/DATABASE_URL", SECRET_ARN: "${aws_rds_cluster.aurora.master_user_secret[0].secret_arn}" } } } },
    },
  };
}

function s3Companions(names: string[]): Record<string, Record<string, Record<string, unknown>>> {
  const each = (body: (n: string) => Record<string, unknown>) => Object.fromEntries(names.map((n) => [n, { bucket: `\${aws_s3_bucket.${n}.id}`, ...body(n) }]));
  return {
    aws_s3_bucket_public_access_block: each(() => ({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true })),
    aws_s3_bucket_policy: each(() => ({ policy: "${data.aws_iam_policy_document.bucket_policy.json}" })),
    aws_s3_bucket_server_side_encryption_configuration: each(() => ({ rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] })),
    aws_s3_bucket_ownership_controls: each(() => ({ rule: { object_ownership: "BucketOwnerEnforced" } })),
    aws_s3_bucket_versioning: each(() => ({ versioning_configuration: { status: "Enabled" } })),
  };
}

/** The compliant environment, with `mutate` applied to a fresh copy of its one stack. */
export function environmentWith(mutate: (stack: Mutable) => void = () => {}, environment: Partial<PolicyEnvironment> = {}): PolicyInput {
  const json = structuredClone(compliantStack()) as Mutable;
  mutate(json);
  return { environment: { ...ENVIRONMENT, ...environment }, stacks: [{ name: "prod-all", json }] };
}

/** Stack JSON whose resources tests edit in place. */
export type Mutable = StackJson & {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
};
