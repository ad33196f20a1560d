import {
  listDataSources,
  listResources,
  onlyResource,
  policyStatements,
  resourceAddresses,
  resourceAt,
  scrubVolatile,
  SynthesizedApp,
  allKeys,
  synthAppStacks,
  type SynthesizedStack,
} from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { staging } from "../src/config";
import { buildStaging } from "../src/main";

const stacks = synthAppStacks(buildStaging);
const { stack, nameAt, ref, remote } = new SynthesizedApp(stacks);

// Synthesized attributes are untyped JSON; tests read them as loose records.
type Attrs = Record<string, any>;

const PREFIX = "bookmark-manager-staging";
const DATABASE_URL_PARAMETER = "/bookmark-manager/staging/DATABASE_URL";

/** `${data.aws_iam_policy_document.<name>.json}` of the policy document at a construct path suffix. */
function documentJson(json: SynthesizedStack, path: string): string {
  const statements = policyStatements(json, path);
  const [name] = Object.entries(json.data?.aws_iam_policy_document ?? {}).find(([, doc]) => doc.statement === statements)!;
  return `\${data.aws_iam_policy_document.${name}.json}`;
}

/** Every [path, string] leaf of a JSON value. */
function stringLeaves(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : stringLeaves(v, path ? `${path}.${k}` : k)));
  }
  return [];
}

/** The parsed container definitions of the task definition at `<service>/task-definition`. */
function containers(service: string): Attrs[] {
  const def = resourceAt(stack("staging-compute"), "aws_ecs_task_definition", `${service}/task-definition`);
  return JSON.parse(def.container_definitions as string) as Attrs[];
}

describe("staging", () => {
  it("names every stack staging-<layer>", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "staging-compute",
      "staging-database",
      "staging-monitoring",
      "staging-network",
      "staging-registry",
      "staging-security",
      "staging-storage",
    ]);
  });

  it("keeps each stack's state under its own key", () => {
    for (const [name, json] of Object.entries(stacks)) {
      const backend = (json.terraform as { backend: { s3: { key: string } } }).backend.s3;
      expect(backend.key).toBe(`staging/${name}.tfstate`);
    }
  });

  it("reads every producer's state from the producer's own key in the same bucket", () => {
    let lookups = 0;
    for (const json of Object.values(stacks)) {
      const bucket = (json.terraform as { backend: { s3: { bucket: string } } }).backend.s3.bucket;
      for (const [name, rs] of Object.entries(json.data?.terraform_remote_state ?? {})) {
        const producer = name.replace("cross-stack-reference-input-", "");
        expect(Object.keys(stacks)).toContain(producer);
        expect(rs.config).toMatchObject({ bucket, key: `staging/${producer}.tfstate` });
        lookups++;
      }
    }
    expect(lookups).toBeGreaterThan(0);
  });

  describe("monitoring: the essential set (issue 13)", () => {
    const monitoring = stack("staging-monitoring");

    it("alarms on ALB 5xx and on errors of the three platform Lambdas, scheduler included, and nothing else", () => {
      const alarms = listResources(monitoring, "aws_cloudwatch_metric_alarm") as Attrs[];
      expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
        "bookmark-manager-staging-alb-elb-5xx",
        "bookmark-manager-staging-alb-target-5xx",
        "bookmark-manager-staging-lambda-database-url-errors",
        "bookmark-manager-staging-lambda-redeploy-errors",
        "bookmark-manager-staging-lambda-scheduler-errors",
      ]);
      const scheduler = alarms.find((a) => a.alarm_name === "bookmark-manager-staging-lambda-scheduler-errors")!;
      expect(scheduler.dimensions).toEqual({ FunctionName: "bookmark-manager-staging-service-scheduler" });
      for (const a of alarms) expect(a.alarm_description).toMatch(/ Runbook: https:\/\/github\.com\/.+\/docs\/runbooks\/alarms\.md#[a-z0-9-]+$/);
    });

    it("sends deployment failures and rollbacks to the topic and keeps an $80 budget", () => {
      expect((listResources(monitoring, "aws_cloudwatch_event_rule") as Attrs[]).map((r) => r.name).sort()).toEqual([
        "bookmark-manager-staging-ecs-deployment-failed",
        "bookmark-manager-staging-ecs-deployment-rollback",
      ]);
      expect(listResources(monitoring, "aws_budgets_budget")[0]).toMatchObject({ limit_amount: "80.0", notification: [{ threshold: 80 }, { threshold: 100 }] });
      expect(listResources(monitoring, "aws_cloudwatch_dashboard")).toHaveLength(0);
    });
  });

  describe("network (seed 002)", () => {
    const network = stacks["staging-network"]!;

    it("is a 10.0.0.0/16 VPC without NAT", () => {
      expect(listResources(network, "aws_vpc")[0]).toMatchObject({ cidr_block: "10.0.0.0/16" });
      expect(listResources(network, "aws_nat_gateway")).toHaveLength(0);
    });

    it("has only the free S3 gateway endpoint: tasks with public IPs reach ECR and Logs without interface endpoints", () => {
      const services = listResources(network, "aws_vpc_endpoint").map((e) => [e.service_name, e.vpc_endpoint_type]);
      expect(services.sort()).toEqual([["com.amazonaws.ap-northeast-1.s3", "Gateway"]]);
    });
  });

  describe("registry (seed 002)", () => {
    const registry = stack("staging-registry");

    it("has web and api repositories that scan on push and are encrypted", () => {
      const repos = listResources(registry, "aws_ecr_repository");
      expect(repos.map((r) => r.name).sort()).toEqual([`${PREFIX}-api`, `${PREFIX}-web`]);
      for (const repo of repos as Attrs[]) {
        expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
        expect(repo.encryption_configuration[0].encryption_type).toMatch(/^(AES256|KMS)$/);
      }
    });

    it("keeps only the newest 10 CI builds of each repository, and every release image", () => {
      for (const name of ["web", "api"]) {
        const policy = resourceAt(registry, "aws_ecr_lifecycle_policy", `repositories/${name}/lifecycle-policy`);
        expect(policy.repository).toBe(ref(registry, "aws_ecr_repository", `repositories/${name}/repository`, "name"));
        const rules = (JSON.parse(policy.policy as string) as { rules: Attrs[] }).rules;
        expect(rules.find((r) => r.selection.tagPrefixList?.[0] === "sha-")).toMatchObject({ selection: { tagStatus: "tagged", countNumber: 10 }, action: { type: "expire" } });
        expect(rules.find((r) => r.selection.tagPrefixList?.[0] === "v")).toMatchObject({ rulePriority: 1, selection: { tagStatus: "tagged", countNumber: 9999 } });
        expect(rules.some((r) => r.selection.tagStatus === "any")).toBe(false);
      }
    });
  });

  describe("security (seed 002)", () => {
    const security = stack("staging-security");
    const sg = (name: string) => ref(security, "aws_security_group", `groups/${name}`, "id");
    const ingress = listResources(security, "aws_vpc_security_group_ingress_rule") as Attrs[];

    it("describes every security group", () => {
      const groups = listResources(security, "aws_security_group");
      expect(groups.map((g) => g.name).sort()).toEqual([`${PREFIX}-alb`, `${PREFIX}-database`, `${PREFIX}-service`]);
      for (const group of groups) expect(String(group.description).length).toBeGreaterThan(10);
    });

    it("takes the ALB allowlist from a sensitive, validated alb_allowed_cidrs variable", () => {
      const variable = security.variable?.alb_allowed_cidrs as Attrs;
      expect(variable).toMatchObject({ type: "list(string)", sensitive: true, nullable: false });
      expect(variable.validation.length).toBeGreaterThan(0);
      // One validation refuses the whole internet.
      expect(variable.validation.map((v: Attrs) => v.condition).join("\n")).toContain("0.0.0.0/0");
    });

    it("admits the ALB on 80 and 443 only from the allowlist variable", () => {
      const alb = ingress.filter((r) => r.security_group_id === sg("alb"));
      expect(alb.map((r) => [r.from_port, r.to_port]).sort()).toEqual([
        [443, 443],
        [80, 80],
      ]);
      for (const rule of alb) {
        expect(rule.ip_protocol).toBe("tcp");
        expect(rule.count).toBe("${length(var.alb_allowed_cidrs)}");
        expect(rule.cidr_ipv4).toContain("element(var.alb_allowed_cidrs, count.index)");
        expect(rule.referenced_security_group_id).toBeUndefined();
      }
    });

    it("admits service tasks only from the ALB, and the database on 5432 only from the tasks", () => {
      const service = ingress.filter((r) => r.security_group_id === sg("service"));
      expect(service).toHaveLength(1);
      expect(service[0]).toMatchObject({ from_port: 3000, to_port: 3000, ip_protocol: "tcp", referenced_security_group_id: sg("alb") });
      expect(service[0]!.cidr_ipv4).toBeUndefined();

      const database = ingress.filter((r) => r.security_group_id === sg("database"));
      expect(database).toHaveLength(1);
      expect(database[0]).toMatchObject({ from_port: 5432, to_port: 5432, ip_protocol: "tcp", referenced_security_group_id: sg("service") });
      expect(database[0]!.cidr_ipv4).toBeUndefined();
    });

    it("has no other ingress: no inline rules, no legacy rules, nothing open to the internet", () => {
      expect(ingress).toHaveLength(4);
      for (const json of Object.values(stacks)) {
        expect(listResources(json, "aws_security_group_rule")).toHaveLength(0);
        for (const group of listResources(json, "aws_security_group")) expect(group.ingress ?? []).toEqual([]);
        for (const rule of listResources(json, "aws_vpc_security_group_ingress_rule")) {
          expect([rule.cidr_ipv4, rule.cidr_ipv6]).not.toContain("0.0.0.0/0");
          expect([rule.cidr_ipv4, rule.cidr_ipv6]).not.toContain("::/0");
        }
      }
    });

    it("uses 0.0.0.0/0 only for the internet route and the tasks' HTTPS egress", () => {
      const open = Object.entries(stacks).flatMap(([name, json]) =>
        stringLeaves(json.resource)
          .filter(([, v]) => v.includes("0.0.0.0/0") || v === "::/0")
          .map(([path]) => `${name}:${path}`),
      );
      expect(open.sort()).toEqual([
        `staging-network:aws_route.${nameAt(stack("staging-network"), "aws_route", "network/public-internet-route")}.destination_cidr_block`,
        `staging-security:aws_vpc_security_group_egress_rule.${nameAt(security, "aws_vpc_security_group_egress_rule", "groups/service-egress-https")}.cidr_ipv4`,
      ]);
      expect(resourceAt(security, "aws_vpc_security_group_egress_rule", "groups/service-egress-https")).toMatchObject({
        from_port: 443,
        to_port: 443,
      });
    });
  });

  describe("IAM (seed 002)", () => {
    const compute = stack("staging-compute");

    it("gives each service its own execution role reading exactly DATABASE_URL, its own log group and its own image", () => {
      for (const service of ["web", "api"]) {
        const statements = policyStatements(compute, `${service}/execution-role/permissions`) as Attrs[];
        const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
        expect(Object.keys(bySid).sort()).toEqual(["DecryptSecrets", "EcrAuthToken", "EcrPull", "ReadParameters", "WriteLogs"]);
        // DATABASE_URL is under the environment's secrets key, which only execution roles like this one may use.
        expect(bySid.DecryptSecrets).toMatchObject({ actions: ["kms:Decrypt"], resources: [remote("staging-security", "aws_kms_key", "secrets-key", "arn")] });
        expect(bySid.DecryptSecrets.condition).toEqual([{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] }]);

        expect(bySid.ReadParameters.actions).toEqual(["ssm:GetParameters"]);
        // Built from config at synth: nothing about the parameter is read from staging-database's state.
        expect(bySid.ReadParameters.resources).toEqual([`arn:aws:ssm:ap-northeast-1:123456789012:parameter${DATABASE_URL_PARAMETER}`]);

        const logGroup = ref(compute, "aws_cloudwatch_log_group", `${service}/logs`, "arn");
        expect(bySid.WriteLogs.resources).toEqual([`${logGroup}:*`]);
        expect(bySid.EcrPull.resources).toEqual([remote("staging-registry", "aws_ecr_repository", `repositories/${service}/repository`, "arn")]);

        const role = resourceAt(compute, "aws_iam_role", `${service}/execution-role`);
        expect(role.name).toBe(`${PREFIX}-${service}-execution`);
        const def = resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`);
        expect(def.execution_role_arn).toBe(ref(compute, "aws_iam_role", `${service}/execution-role`, "arn"));
      }
    });

    it("gives each service one task role of its own", () => {
      const taskRoles = listResources(compute, "aws_iam_role").filter((r) => String(r.name).endsWith("-task"));
      expect(taskRoles.map((r) => r.name).sort()).toEqual([`${PREFIX}-api-task`, `${PREFIX}-web-task`]);
      for (const service of ["web", "api"]) {
        const def = resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`);
        expect(def.task_role_arn).toBe(ref(compute, "aws_iam_role", `${service}/task-role`, "arn"));
      }
    });

    it("uses the * resource only for ecr:GetAuthorizationToken, ssm:DescribeParameters and the ECS Exec ssmmessages channels", () => {
      const allowedOnStar = new Set([
        "ecr:GetAuthorizationToken",
        "ssm:DescribeParameters",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ]);
      let starStatements = 0;
      for (const json of Object.values(stacks)) {
        for (const doc of listDataSources(json, "aws_iam_policy_document") as Attrs[]) {
          for (const statement of doc.statement as Attrs[]) {
            // Key policies (statements with principals) name "*" as "this key".
            if (!(statement.resources ?? []).includes("*") || statement.principals) continue;
            starStatements++;
            expect(statement.effect ?? "Allow").toBe("Allow");
            for (const action of statement.actions) expect(allowedOnStar).toContain(action);
          }
        }
        expect(listResources(json, "aws_iam_role_policy_attachment")).toHaveLength(0);
      }
      expect(starStatements).toBe(5); // EcrAuthToken and EcsExecSsmChannels per service, and the publisher's DescribeParameters
    });
  });

  describe("teardown allowed (seed 002: destroy when not in use)", () => {
    it("deletes repositories with their images and the asset bucket with its objects", () => {
      for (const repo of listResources(stack("staging-registry"), "aws_ecr_repository") as Attrs[]) expect(repo.force_delete).toBe(true);
      for (const bucket of listResources(stack("staging-storage"), "aws_s3_bucket") as Attrs[]) expect(bucket.force_destroy).toBe(true);
    });

    it("names the final snapshot per create (pinned by ignore_changes), so a second destroy never collides", () => {
      const instance = onlyResource(stack("staging-database"), "aws_db_instance") as Attrs;
      expect(instance.skip_final_snapshot).toBe(false);
      expect(instance.final_snapshot_identifier).toBe(`${PREFIX}-db-final-\${formatdate("YYYYMMDDhhmmss", timestamp())}`);
      expect(instance.lifecycle).toEqual({ ignore_changes: ["final_snapshot_identifier"] });
    });

    it("lets the secrets key go with a 7-day scheduled deletion instead of prevent_destroy", () => {
      const key = onlyResource(stack("staging-security"), "aws_kms_key") as Attrs;
      expect(key.lifecycle).toEqual({ prevent_destroy: false });
      expect(key.deletion_window_in_days).toBe(7);
    });

    it("has no AWS Backup plan (automated backups and final snapshots suffice)", () => {
      expect(listResources(stack("staging-database"), "aws_backup_plan")).toHaveLength(0);
    });
  });

  describe("database (seed 002)", () => {
    const database = stack("staging-database");
    const instance = onlyResource(database, "aws_db_instance") as Attrs;

    it("is a PostgreSQL db.t4g.micro, encrypted, private, backed up, with a final snapshot", () => {
      expect(instance).toMatchObject({
        engine: "postgres",
        instance_class: "db.t4g.micro",
        storage_encrypted: true,
        publicly_accessible: false,
        deletion_protection: false,
        skip_final_snapshot: false,
        manage_master_user_password: true,
        db_name: "bookmarkdb",
        port: 5432,
      });
      expect(instance.backup_retention_period).toBeGreaterThan(0);
    });

    it("sits in the network stack's private subnets behind the security stack's database group", () => {
      expect(instance.db_subnet_group_name).toBe(ref(database, "aws_db_subnet_group", "postgres/subnets", "name"));
      const subnets = resourceAt(database, "aws_db_subnet_group", "postgres/subnets");
      expect(subnets.subnet_ids).toEqual([
        remote("staging-network", "aws_subnet", "network/private-ap-northeast-1a", "id"),
        remote("staging-network", "aws_subnet", "network/private-ap-northeast-1c", "id"),
      ]);
      expect(instance.vpc_security_group_ids).toEqual([remote("staging-security", "aws_security_group", "groups/database", "id")]);
    });

    it("has no password attribute in any stack (RDS manages the master password)", () => {
      const text = JSON.stringify(stacks);
      expect(text).not.toMatch(/"(master_)?password(_wo)?"\s*:/);
      const passwordKeys = new Set(allKeys(stacks).filter((k) => /password/i.test(k)));
      expect([...passwordKeys]).toEqual(["manage_master_user_password"]);
    });

    it("publishes DATABASE_URL to /bookmark-manager/staging/DATABASE_URL", () => {
      const fn = onlyResource(database, "aws_lambda_function") as Attrs;
      expect(fn.environment.variables.PARAMETER_NAME).toBe(DATABASE_URL_PARAMETER);
      expect(fn.runtime).toBe("nodejs22.x");
      const write = (policyStatements(database, "postgres/database-url/function/permissions") as Attrs[]).find(
        (s) => s.sid === "WriteDatabaseUrl",
      )!;
      expect(write.actions).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
      expect(write.resources).toHaveLength(1);
      expect(write.resources[0]).toMatch(new RegExp(`:123456789012:parameter${DATABASE_URL_PARAMETER}$`));
      // Written on apply, not only on rotation.
      expect(onlyResource(database, "aws_lambda_invocation").function_name).toBe(
        ref(database, "aws_lambda_function", "postgres/database-url/function", "function_name"),
      );
    });
  });

  describe("storage (seed 002)", () => {
    const storage = stack("staging-storage");
    const bucket = ref(storage, "aws_s3_bucket", "assets/bucket", "id");

    it("has no versioning", () => {
      expect(listResources(storage, "aws_s3_bucket_versioning")).toHaveLength(0);
    });

    it("moves assets to Standard-IA after 30 days and expires them after 180", () => {
      const lifecycle = onlyResource(storage, "aws_s3_bucket_lifecycle_configuration") as Attrs;
      expect(lifecycle.bucket).toBe(bucket);
      const current = (lifecycle.rule as Attrs[]).find((r) => r.id === "current-versions")!;
      expect(current).toMatchObject({
        status: "Enabled",
        transition: [{ days: 30, storage_class: "STANDARD_IA" }],
        expiration: [{ days: 180 }],
      });
    });

    it("encrypts, blocks public access and refuses plain HTTP", () => {
      const sse = onlyResource(storage, "aws_s3_bucket_server_side_encryption_configuration") as Attrs;
      expect(sse.bucket).toBe(bucket);
      expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);

      expect(onlyResource(storage, "aws_s3_bucket_public_access_block")).toMatchObject({
        bucket,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });

      const policy = onlyResource(storage, "aws_s3_bucket_policy");
      expect(policy.bucket).toBe(bucket);
      expect(policy.policy).toBe(documentJson(storage, "assets/policy-document"));
      const tls = (policyStatements(storage, "assets/policy-document") as Attrs[]).find((s) => s.sid === "DenyInsecureTransport")!;
      expect(tls).toMatchObject({
        effect: "Deny",
        actions: ["s3:*"],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      });
      const arn = ref(storage, "aws_s3_bucket", "assets/bucket", "arn");
      expect(tls.resources).toEqual([arn, `${arn}/*`]);
    });
  });

  describe("compute (seed 002)", () => {
    const compute = stack("staging-compute");
    const targetGroup = (service: string) => ref(compute, "aws_lb_target_group", `${service}/target-group`, "arn");

    it("runs a cluster without Container Insights", () => {
      expect(onlyResource(compute, "aws_ecs_cluster")).toMatchObject({
        name: `${PREFIX}-cluster`,
        setting: [{ name: "containerInsights", value: "disabled" }],
      });
    });

    it("has one HTTP listener (no HTTPS in staging): /api/* to api, everything else to web", () => {
      const listener = onlyResource(compute, "aws_lb_listener") as Attrs;
      expect(listener).toMatchObject({ port: 80, protocol: "HTTP" });
      expect(listener.certificate_arn).toBeUndefined();
      expect(listener.default_action).toEqual([{ type: "forward", target_group_arn: targetGroup("web") }]);

      const rule = onlyResource(compute, "aws_lb_listener_rule") as Attrs;
      expect(rule.listener_arn).toBe(ref(compute, "aws_lb_listener", "load-balancer/http", "arn"));
      expect(rule.condition).toEqual([{ path_pattern: { values: ["/api/*"] } }]);
      expect(rule.action).toEqual([{ type: "forward", target_group_arn: targetGroup("api") }]);
    });

    it("places the ALB in the public subnets behind the security stack's ALB group", () => {
      const alb = onlyResource(compute, "aws_lb") as Attrs;
      expect(alb.internal).toBe(false);
      expect(alb.security_groups).toEqual([remote("staging-security", "aws_security_group", "groups/alb", "id")]);
      expect(alb.subnets).toEqual([
        remote("staging-network", "aws_subnet", "network/public-ap-northeast-1a", "id"),
        remote("staging-network", "aws_subnet", "network/public-ap-northeast-1c", "id"),
      ]);
    });

    for (const service of ["web", "api"]) {
      describe(service, () => {
        const ecs = resourceAt(compute, "aws_ecs_service", `${service}/service`) as Attrs;

        it("runs one 256 CPU / 512 MiB task in the public subnets with a public IP and the security stack's group", () => {
          expect(ecs.name).toBe(`${PREFIX}-${service}`);
          expect(ecs.desired_count).toBe(1);
          expect(ecs.task_definition).toBe(ref(compute, "aws_ecs_task_definition", `${service}/task-definition`, "arn"));
          expect(resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`)).toMatchObject({
            cpu: "256",
            memory: "512",
            requires_compatibilities: ["FARGATE"],
          });
          expect(ecs.network_configuration).toEqual({
            assign_public_ip: true,
            security_groups: [remote("staging-security", "aws_security_group", "groups/service", "id")],
            subnets: [
              remote("staging-network", "aws_subnet", "network/public-ap-northeast-1a", "id"),
              remote("staging-network", "aws_subnet", "network/public-ap-northeast-1c", "id"),
            ],
          });
        });

        it("tolerates slow starts: grace 120 s, health check every 60 s, unhealthy after 10", () => {
          expect(ecs.health_check_grace_period_seconds).toBe(120);
          expect(ecs.load_balancer).toEqual([{ container_name: "app", container_port: 3000, target_group_arn: targetGroup(service) }]);
          const tg = resourceAt(compute, "aws_lb_target_group", `${service}/target-group`) as Attrs;
          expect(tg.health_check).toMatchObject({
            interval: 60,
            unhealthy_threshold: 10,
            path: service === "web" ? "/health" : "/api/health",
          });
        });

        it("rolls back failed deployments and allows ECS Exec", () => {
          expect(ecs.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
          expect(ecs.enable_execute_command).toBe(true);
        });

        it("runs <repository url>:v1.0.1 with DATABASE_URL from SSM and no plaintext secret", () => {
          const [app] = containers(service);
          expect(app!.image).toBe(
            `${remote("staging-registry", "aws_ecr_repository", `repositories/${service}/repository`, "repository_url")}:v1.0.1`,
          );
          expect(app!.secrets).toHaveLength(1);
          expect(app!.secrets[0].name).toBe("DATABASE_URL");
          expect(app!.secrets[0].valueFrom).toMatch(new RegExp(`^arn:.*:ssm:.*:123456789012:parameter${DATABASE_URL_PARAMETER}$`));
          for (const variable of app!.environment as Attrs[]) {
            expect(variable.name).not.toMatch(/DATABASE_URL|PASSWORD|SECRET|TOKEN/i);
            expect(variable.value).not.toMatch(/postgres(ql)?:\/\//);
          }
          expect(app!.logConfiguration.options["awslogs-group"]).toBe(ref(compute, "aws_cloudwatch_log_group", `${service}/logs`, "name"));
        });
      });
    }

    it("keeps every log group of every stack for 7 days", () => {
      const groups = Object.values(stacks).flatMap((json) => listResources(json, "aws_cloudwatch_log_group"));
      expect(groups.length).toBeGreaterThanOrEqual(4);
      for (const group of groups) expect(group.retention_in_days).toBe(7);
    });
  });

  describe("scheduler (seed 002)", () => {
    const compute = stack("staging-compute");
    const fn = resourceAt(compute, "aws_lambda_function", "scheduler/function") as Attrs;

    it("owns the services' task count, so a nightly apply does not restart stopped services", () => {
      for (const name of ["web", "api"]) {
        expect(resourceAt(compute, "aws_ecs_service", `${name}/service`).lifecycle, name).toEqual({
          ignore_changes: ["desired_count"],
        });
      }
    });

    it("does not start on Japanese public holidays (the function reads the calendar it bundles)", () => {
      expect((fn.environment as { variables: Record<string, string> }).variables.SKIP_START_ON_HOLIDAYS).toBe("JP");
    });

    it("starts at 9:00 and stops at 22:00 JST on weekdays", () => {
      const schedules: Record<string, Attrs> = Object.fromEntries(
        (listResources(compute, "aws_scheduler_schedule") as Attrs[]).map((s) => [JSON.parse(s.target.input).action as string, s]),
      );
      expect(Object.keys(schedules).sort()).toEqual(["start", "stop"]);
      expect(schedules.start).toMatchObject({
        schedule_expression: "cron(0 9 ? * MON-FRI *)",
        schedule_expression_timezone: "Asia/Tokyo",
        state: "ENABLED",
        target: { input: '{"action":"start"}' },
      });
      expect(schedules.stop).toMatchObject({
        schedule_expression: "cron(0 22 ? * MON-FRI *)",
        schedule_expression_timezone: "Asia/Tokyo",
        state: "ENABLED",
        target: { input: '{"action":"stop"}' },
      });
      const lambdaArn = ref(compute, "aws_lambda_function", "scheduler/function", "arn");
      for (const schedule of Object.values(schedules)) expect(schedule.target.arn).toBe(lambdaArn);
    });

    it("also stops and starts the RDS instance, named at synth (no output of the database stack), and only it", () => {
      const targets = JSON.parse(fn.environment.variables.SCHEDULER_TARGETS) as { database?: { identifier: string } };
      expect(targets.database).toEqual({ identifier: `${PREFIX}-db` });
      const statements = policyStatements(compute, "scheduler/function/permissions") as Attrs[];
      expect(statements.filter((s) => s.actions.some((a: string) => a.startsWith("rds:")))).toEqual([
        expect.objectContaining({
          actions: ["rds:DescribeDBInstances", "rds:StartDBInstance", "rds:StopDBInstance"],
          resources: [`arn:aws:rds:ap-northeast-1:123456789012:db:${PREFIX}-db`],
        }),
      ]);
    });

    it("places both services on Fargate Spot (interruptible staging tasks, ~70 % cheaper)", () => {
      for (const name of ["web", "api"]) {
        expect(resourceAt(compute, "aws_ecs_service", `${name}/service`).capacity_provider_strategy, name).toEqual([
          { base: 0, capacity_provider: "FARGATE_SPOT", weight: 1 },
        ]);
      }
    });

    it("runs a nodejs22.x function allowed to update exactly the two services", () => {
      expect(fn.runtime).toBe("nodejs22.x");
      const statements = policyStatements(compute, "scheduler/function/permissions") as Attrs[];
      const ecs = statements.filter((s) => s.actions.some((a: string) => a.startsWith("ecs:")));
      expect(ecs).toHaveLength(1);
      expect(ecs[0]!.actions).toEqual(["ecs:DescribeServices", "ecs:UpdateService"]);
      // The ARNs the services get (aws_ecs_service.id), as literals: no release defers this document to apply.
      const cluster = listResources(compute, "aws_ecs_cluster")[0]!.name as string;
      expect(ecs[0]!.resources).toEqual(
        ["web", "api"].map((s) => `arn:aws:ecs:ap-northeast-1:${staging.environment.accountId}:service/${cluster}/${resourceAt(compute, "aws_ecs_service", `${s}/service`).name}`),
      );
      for (const statement of statements) expect(statement.resources).not.toContain("*");
      expect(policyStatements(compute, "scheduler/trigger/permissions")).toEqual([
        expect.objectContaining({ actions: ["lambda:InvokeFunction"], resources: [ref(compute, "aws_lambda_function", "scheduler/function", "arn")] }),
      ]);
    });

    it("restores one task per service on start", () => {
      const targets = JSON.parse(fn.environment.variables.SCHEDULER_TARGETS as string) as { services: Record<string, Attrs> };
      expect(Object.keys(targets.services).sort()).toEqual(["api", "web"]);
      for (const target of Object.values(targets.services)) expect(target.desiredCount).toBe(1);
    });
  });

  describe("outputs (seed 002)", () => {
    const output = (stackName: string, name: string) => {
      const o = stack(stackName).output?.[name];
      if (!o) throw new Error(`${stackName} has no output ${name}`);
      expect(o.sensitive ?? false).toBe(false);
      expect(o.description).toBeTruthy();
      return o.value;
    };

    it("shows what people read, each in the stack that owns it", () => {
      const compute = stack("staging-compute");
      const registry = stack("staging-registry");
      const database = stack("staging-database");
      expect(output("staging-compute", "alb_dns_name")).toBe(ref(compute, "aws_lb", "load-balancer/alb", "dns_name"));
      expect(output("staging-compute", "cluster_name")).toBe(`${PREFIX}-cluster`);
      expect(output("staging-compute", "service_names")).toEqual({ web: `${PREFIX}-web`, api: `${PREFIX}-api` });
      expect(output("staging-registry", "repository_urls")).toEqual({
        web: ref(registry, "aws_ecr_repository", "repositories/web/repository", "repository_url"),
        api: ref(registry, "aws_ecr_repository", "repositories/api/repository", "repository_url"),
      });
      expect(output("staging-database", "db_endpoint")).toBe(ref(database, "aws_db_instance", "postgres/instance", "address"));
      expect(output("staging-database", "database_url_parameter")).toBe(DATABASE_URL_PARAMETER);
    });
  });

  it("matches the reviewed resource addresses (a rename here replaces real resources)", () => {
    expect(Object.fromEntries(Object.entries(stacks).map(([n, j]) => [n, resourceAddresses(j)]))).toMatchSnapshot();
  });

  it("matches the reviewed synthesized JSON", () => {
    expect(scrubVolatile(stacks)).toMatchSnapshot();
  });
});

// Issue 10, "Staging's apply role is an admin over prod": staging shares prod's account, so its apply
// role may only create roles under staging's boundary, and every role staging's stacks create carries it.
describe("staging in the shared account", () => {
  it("puts staging's permissions boundary on every IAM role of every staging stack", () => {
    const roles = Object.values(stacks).flatMap((json) => listResources(json, "aws_iam_role"));
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      expect(role.permissions_boundary).toBe("arn:aws:iam::123456789012:policy/github-actions/bookmark-manager-staging-apply-boundary");
    }
  });

  it("names every role with the staging prefix the boundary allows", () => {
    for (const json of Object.values(stacks)) {
      for (const role of listResources(json, "aws_iam_role")) expect(String(role.name)).toMatch(/^bookmark-manager-staging-/);
    }
  });
});

// Issue 10, "Task roles lack aws:SourceAccount" and item 7: every service trust this product writes.
describe("service trust policies (staging)", () => {
  it("carry aws:SourceAccount of staging's account on every service role trust", () => {
    let trusts = 0;
    for (const json of Object.values(stacks)) {
      for (const doc of listDataSources(json, "aws_iam_policy_document") as Array<{ statement: Array<{ actions?: string[]; principals?: Array<{ type: string; identifiers: string[] }>; condition?: Array<{ variable: string; values: string[] }> }> }>) {
        for (const s of doc.statement) {
          if (!s.actions?.includes("sts:AssumeRole") || !s.principals?.some((p) => p.type === "Service")) continue;
          trusts++;
          const services = s.principals.flatMap((p) => p.identifiers);
          expect({ services, account: s.condition?.find((c) => c.variable === "aws:SourceAccount")?.values }).toEqual({ services, account: ["123456789012"] });
        }
      }
    }
    expect(trusts).toBeGreaterThanOrEqual(7); // 2 × (execution + task), publisher, redeploy, scheduler Lambda + Scheduler
  });
});
