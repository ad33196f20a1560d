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
} from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildProd } from "../src/main";

const stacks = synthAppStacks(buildProd);
const { stack, nameAt, ref, remote, output } = new SynthesizedApp(stacks);

// Synthesized attributes are untyped JSON; tests read them as loose records.
type Attrs = Record<string, any>;

const PREFIX = "bookmark-manager-prod";
const DOMAIN = "tidilyspace.app";
const SERVICES = ["web", "api"] as const;

const privateSubnets = () => [
  remote("prod-network", "aws_subnet", "network/private-ap-northeast-1a", "id"),
  remote("prod-network", "aws_subnet", "network/private-ap-northeast-1c", "id"),
];

describe("prod", () => {
  it("names every stack prod-<layer>", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "prod-bastion",
      "prod-certificate",
      "prod-compute",
      "prod-database",
      "prod-dns",
      "prod-edge",
      "prod-monitoring",
      "prod-network",
      "prod-registry",
      "prod-security",
      "prod-storage",
    ]);
  });

  it("keeps each stack's state under its own key, and reads producers from theirs", () => {
    for (const [name, json] of Object.entries(stacks)) {
      const backend = (json.terraform as { backend: { s3: { key: string; bucket: string } } }).backend.s3;
      expect(backend.key).toBe(`prod/${name}.tfstate`);
      for (const [input, rs] of Object.entries(json.data?.terraform_remote_state ?? {})) {
        const producer = input.replace("cross-stack-reference-input-", "");
        expect(Object.keys(stacks)).toContain(producer);
        expect(rs.config).toMatchObject({ bucket: backend.bucket, key: `prod/${producer}.tfstate` });
      }
    }
  });

  describe("network (seed 003)", () => {
    const network = stacks["prod-network"]!;

    it("is a 10.1.0.0/16 VPC across two AZs with one NAT gateway", () => {
      expect(listResources(network, "aws_vpc")[0]).toMatchObject({ cidr_block: "10.1.0.0/16" });
      expect(listResources(network, "aws_nat_gateway")).toHaveLength(1);
      const azs = new Set(listResources(network, "aws_subnet").map((s) => s.availability_zone));
      expect([...azs].sort()).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
    });

    it("records flow logs for 30 days", () => {
      expect(listResources(network, "aws_flow_log")).toHaveLength(1);
      const groups = listResources(network, "aws_cloudwatch_log_group");
      expect(groups.map((g) => g.retention_in_days)).toEqual([30]);
    });

    it("routes both private subnets' egress through the one NAT gateway", () => {
      const nat = ref(network, "aws_nat_gateway", "network/nat-ap-northeast-1a", "id");
      const natRoutes = listResources(network, "aws_route").filter((r) => r.nat_gateway_id !== undefined);
      expect(natRoutes).toHaveLength(2);
      for (const route of natRoutes) expect(route).toMatchObject({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: nat });
      for (const az of ["ap-northeast-1a", "ap-northeast-1c"]) {
        expect(resourceAt(network, "aws_subnet", `network/private-${az}`)).toMatchObject({ availability_zone: az, map_public_ip_on_launch: false });
      }
    });

    it("has the ECR api/dkr and Logs interface endpoints in both AZs and the S3 gateway endpoint", () => {
      const endpoints = listResources(network, "aws_vpc_endpoint") as Attrs[];
      expect(endpoints.map((e) => [e.service_name, e.vpc_endpoint_type]).sort()).toEqual([
        ["com.amazonaws.ap-northeast-1.ecr.api", "Interface"],
        ["com.amazonaws.ap-northeast-1.ecr.dkr", "Interface"],
        ["com.amazonaws.ap-northeast-1.logs", "Interface"],
        ["com.amazonaws.ap-northeast-1.s3", "Gateway"],
      ]);
      const privateIds = ["ap-northeast-1a", "ap-northeast-1c"].map((az) => ref(network, "aws_subnet", `network/private-${az}`, "id"));
      for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface")) {
        expect(endpoint.subnet_ids).toEqual(privateIds);
        expect(endpoint.private_dns_enabled).toBe(true);
      }
    });
  });

  describe("dns (seed 003)", () => {
    const dns = stack("prod-dns");

    it("hosts the tidilyspace.app zone", () => {
      expect(onlyResource(dns, "aws_route53_zone")).toMatchObject({ name: DOMAIN, force_destroy: false });
    });

    it("requests an apex + wildcard certificate with DNS validation records in the zone, without waiting for issuance", () => {
      const certificate = onlyResource(dns, "aws_acm_certificate") as Attrs;
      expect(certificate).toMatchObject({ domain_name: DOMAIN, subject_alternative_names: [`*.${DOMAIN}`], validation_method: "DNS" });

      const records = onlyResource(dns, "aws_route53_record") as Attrs;
      const certificateName = nameAt(dns, "aws_acm_certificate", "certificate");
      expect(records.zone_id).toBe(ref(dns, "aws_route53_zone", "zone", "zone_id"));
      expect(JSON.stringify(records.for_each)).toContain(`aws_acm_certificate.${certificateName}.domain_validation_options`);
      expect(records.name).toBe("${each.value.resource_record_name}");

      // A first deploy would otherwise wait up to 75 minutes before printing the name servers.
      expect(dns.resource).not.toHaveProperty("aws_acm_certificate_validation");
    });

    it("waits for issuance in prod-certificate, a later wave than the zone", () => {
      const certificate = stack("prod-certificate");
      expect(Object.keys(certificate.resource ?? {})).toEqual(["aws_acm_certificate_validation"]);
      const validation = onlyResource(certificate, "aws_acm_certificate_validation") as Attrs;
      expect(validation.certificate_arn).toBe(remote("prod-dns", "aws_acm_certificate", "certificate", "arn"));
      expect(validation.timeouts).toEqual({ create: "75m" });
    });
  });

  describe("edge (seed 003)", () => {
    const edge = stack("prod-edge");

    it("points A and AAAA aliases of the apex and www at the compute stack's ALB", () => {
      const records = listResources(edge, "aws_route53_record") as Attrs[];
      expect(records.map((r) => `${r.name} ${r.type}`).sort()).toEqual([
        `${DOMAIN} A`,
        `${DOMAIN} AAAA`,
        `www.${DOMAIN} A`,
        `www.${DOMAIN} AAAA`,
      ]);
      for (const record of records) {
        expect(record.zone_id).toBe(remote("prod-dns", "aws_route53_zone", "zone", "zone_id"));
        expect(record.alias).toEqual({
          name: remote("prod-compute", "aws_lb", "load-balancer/alb", "dns_name"),
          zone_id: remote("prod-compute", "aws_lb", "load-balancer/alb", "zone_id"),
          evaluate_target_health: true,
        });
      }
    });

    const acl = onlyResource(edge, "aws_wafv2_web_acl") as Attrs;
    const rules = acl.rule as Attrs[];

    it("is a REGIONAL web ACL with the Common, SQLi, KnownBadInputs and IP reputation managed groups", () => {
      expect(acl.scope).toBe("REGIONAL");
      expect(acl.default_action).toEqual({ allow: {} });
      const managed = rules
        .filter((r) => r.statement.managed_rule_group_statement)
        .map((r) => r.statement.managed_rule_group_statement);
      expect(managed.map((m) => `${m.vendor_name}/${m.name}`).sort()).toEqual([
        "AWS/AWSManagedRulesAmazonIpReputationList",
        "AWS/AWSManagedRulesCommonRuleSet",
        "AWS/AWSManagedRulesKnownBadInputsRuleSet",
        "AWS/AWSManagedRulesSQLiRuleSet",
      ]);
      // Managed groups keep their own block actions (override "none", not "count").
      for (const rule of rules.filter((r) => r.statement.managed_rule_group_statement)) {
        expect(rule.override_action).toEqual({ none: {} });
      }
    });

    it("blocks more than 2000 requests per IP in 5 minutes", () => {
      const rate = rules.filter((r) => r.statement.rate_based_statement);
      expect(rate).toHaveLength(1);
      expect(rate[0]!.action).toEqual({ block: {} });
      expect(rate[0]!.statement.rate_based_statement).toEqual({ limit: 2000, evaluation_window_sec: 300, aggregate_key_type: "IP" });
    });

    it("turns metrics and sampling on for the ACL and every rule", () => {
      for (const config of [acl.visibility_config, ...rules.map((r) => r.visibility_config)]) {
        expect(config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
        expect(config.metric_name).toBeTruthy();
      }
      expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    });

    it("logs to an aws-waf-logs-* group with retention and protects the compute stack's ALB", () => {
      const logging = onlyResource(edge, "aws_wafv2_web_acl_logging_configuration") as Attrs;
      expect(logging.resource_arn).toBe(ref(edge, "aws_wafv2_web_acl", "waf/acl", "arn"));
      expect(logging.log_destination_configs).toEqual([ref(edge, "aws_cloudwatch_log_group", "waf/logs", "arn")]);
      const group = resourceAt(edge, "aws_cloudwatch_log_group", "waf/logs");
      expect(group.name).toMatch(/^aws-waf-logs-/);
      expect(group.retention_in_days).toBe(30);

      expect(onlyResource(edge, "aws_wafv2_web_acl_association")).toMatchObject({
        resource_arn: remote("prod-compute", "aws_lb", "load-balancer/alb", "arn"),
        web_acl_arn: ref(edge, "aws_wafv2_web_acl", "waf/acl", "arn"),
      });
    });
  });

  describe("security (seed 003)", () => {
    const security = stack("prod-security");
    const sg = (name: string) => ref(security, "aws_security_group", `groups/${name}`, "id");
    const ingress = listResources(security, "aws_vpc_security_group_ingress_rule") as Attrs[];
    const ingressOf = (name: string) => ingress.filter((r) => r.security_group_id === sg(name));

    it("opens only 80 and 443 of the ALB to the internet (behind the WAF)", () => {
      const alb = ingressOf("alb");
      expect(alb.map((r) => `${r.from_port}-${r.to_port} ${r.cidr_ipv4 ?? r.cidr_ipv6}`).sort()).toEqual([
        "443-443 0.0.0.0/0",
        "443-443 ::/0",
        "80-80 0.0.0.0/0",
        "80-80 ::/0",
      ]);
      const open = ingress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0");
      expect(open.every((r) => r.security_group_id === sg("alb"))).toBe(true);
    });

    it("admits tasks only from the ALB and the database only from tasks and the bastion", () => {
      expect(ingressOf("service").map((r) => [r.from_port, r.referenced_security_group_id])).toEqual([[3000, sg("alb")]]);
      expect(ingressOf("database").map((r) => [r.from_port, r.to_port, r.referenced_security_group_id]).sort()).toEqual(
        [
          [5432, 5432, sg("bastion")],
          [5432, 5432, sg("service")],
        ].sort(),
      );
      expect(ingress).toHaveLength(7);
      for (const group of listResources(security, "aws_security_group")) {
        expect(group.ingress ?? []).toEqual([]);
        expect(String(group.description).length).toBeGreaterThan(10);
      }
    });
  });

  describe("compute (seeds 003, 000)", () => {
    const compute = stack("prod-compute");
    const targetGroup = (service: string) => ref(compute, "aws_lb_target_group", `${service}/target-group`, "arn");
    const alb = onlyResource(compute, "aws_lb") as Attrs;

    it("terminates TLS 1.3 with the issued certificate of prod-certificate: /api/* to api, default to web", () => {
      const https = resourceAt(compute, "aws_lb_listener", "load-balancer/https") as Attrs;
      expect(https).toMatchObject({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
      expect(https.certificate_arn).toBe(remote("prod-certificate", "aws_acm_certificate_validation", "certificate/validation-wait", "certificate_arn"));
      expect(https.default_action).toEqual([{ type: "forward", target_group_arn: targetGroup("web") }]);

      const rule = onlyResource(compute, "aws_lb_listener_rule") as Attrs;
      expect(rule.listener_arn).toBe(ref(compute, "aws_lb_listener", "load-balancer/https", "arn"));
      expect(rule.condition).toEqual([{ path_pattern: { values: ["/api/*"] } }]);
      expect(rule.action).toEqual([{ type: "forward", target_group_arn: targetGroup("api") }]);
    });

    it("redirects port 80 to HTTPS with a 301", () => {
      const listeners = listResources(compute, "aws_lb_listener");
      expect(listeners.map((l) => l.port).sort()).toEqual([443, 80]);
      const http = resourceAt(compute, "aws_lb_listener", "load-balancer/http") as Attrs;
      expect(http).toMatchObject({ port: 80, protocol: "HTTP" });
      expect(http.default_action).toEqual([{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } }]);
    });

    it("protects the ALB, drops invalid headers and logs access to the storage stack's log bucket", () => {
      expect(alb).toMatchObject({ enable_deletion_protection: true, drop_invalid_header_fields: true, internal: false });
      expect(alb.access_logs).toMatchObject({
        enabled: true,
        bucket: remote("prod-storage", "aws_s3_bucket", "alb-logs/bucket", "bucket"),
      });
      // The bucket policy lets the ELB account write exactly under that prefix.
      const delivery = (policyStatements(stack("prod-storage"), "alb-logs/policy-document") as Attrs[]).find(
        (s) => s.sid === "AllowLoadBalancerLogDelivery",
      )!;
      expect(delivery.resources).toEqual([
        `${ref(stack("prod-storage"), "aws_s3_bucket", "alb-logs/bucket", "arn")}/${alb.access_logs.prefix}/AWSLogs/123456789012/*`,
      ]);
      expect(alb.security_groups).toEqual([remote("prod-security", "aws_security_group", "groups/alb", "id")]);
    });

    it("turns Container Insights on and keeps logs 30 days", () => {
      expect(onlyResource(compute, "aws_ecs_cluster").setting).toEqual([{ name: "containerInsights", value: "enabled" }]);
      const groups = listResources(compute, "aws_cloudwatch_log_group");
      expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining([`/ecs/${PREFIX}-web`, `/ecs/${PREFIX}-api`]));
      for (const group of groups) expect(group.retention_in_days).toBe(30);
    });

    for (const service of SERVICES) {
      describe(service, () => {
        const ecs = resourceAt(compute, "aws_ecs_service", `${service}/service`) as Attrs;

        it("runs 1024 CPU / 2048 MiB tasks in the private subnets without public IPs", () => {
          expect(resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`)).toMatchObject({ cpu: "1024", memory: "2048" });
          expect(ecs.network_configuration).toEqual({
            assign_public_ip: false,
            subnets: privateSubnets(),
            security_groups: [remote("prod-security", "aws_security_group", "groups/service", "id")],
          });
          const [app] = JSON.parse(resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`).container_definitions as string) as Attrs[];
          expect(app!.image).toBe(`${remote("prod-registry", "aws_ecr_repository", `repositories/${service}/repository`, "repository_url")}:v1.0.1`);
          expect(app!.secrets.map((s: Attrs) => s.name)).toEqual(["DATABASE_URL", "SENTRY_DSN"]);
          expect(app!.secrets[0].valueFrom).toMatch(/:parameter\/bookmark-manager\/prod\/DATABASE_URL$/);
        });

        it("runs seed 003's Datadog agent beside the app and gives the app Sentry's DSN, environment and release", () => {
          const [app, agent] = JSON.parse(resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`).container_definitions as string) as Attrs[];
          expect(agent!.name).toBe("datadog-agent");
          expect(agent!.essential).toBe(false);
          expect(agent!.image).toMatch(/^public\.ecr\.aws\/datadog\/agent:\d+\.\d+\.\d+$/);
          expect(agent!.portMappings).toEqual([
            { name: "dd-apm", containerPort: 8126, hostPort: 8126, protocol: "tcp" },
            { name: "dd-dogstatsd", containerPort: 8125, hostPort: 8125, protocol: "udp" },
          ]);
          expect(agent!.environment).toContainEqual({ name: "ECS_FARGATE", value: "true" });
          expect(agent!.secrets).toEqual([{ name: "DD_API_KEY", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/bookmark-manager/prod/DATADOG_API_KEY" }]);
          expect(app!.dependsOn).toEqual([{ containerName: "datadog-agent", condition: "START" }]);
          const env = Object.fromEntries((app!.environment as Attrs[]).map((e) => [e.name, e.value]));
          expect(env).toMatchObject({ DD_AGENT_HOST: "localhost", DD_ENV: "prod", DD_SERVICE: service, DD_VERSION: "v1.0.1", SENTRY_ENVIRONMENT: "prod", SENTRY_RELEASE: "v1.0.1" });
          expect(app!.secrets[1]).toEqual({ name: "SENTRY_DSN", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/bookmark-manager/prod/SENTRY_DSN" });
          const read = policyStatements(compute, `${service}/execution-role/permissions`).find((x) => x.sid === "ReadSecrets");
          expect(read?.resources).toEqual([
            "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/bookmark-manager/prod/SENTRY_DSN-??????",
            "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/bookmark-manager/prod/DATADOG_API_KEY-??????",
          ]);
        });

        it("reads the asset bucket (name in ASSETS_BUCKET) through a task role that may only list and get its objects", () => {
          const td = resourceAt(compute, "aws_ecs_task_definition", `${service}/task-definition`) as Attrs;
          const bucket = remote("prod-storage", "aws_s3_bucket", "assets/bucket", "bucket");
          const bucketArn = remote("prod-storage", "aws_s3_bucket", "assets/bucket", "arn");
          const [app, agent] = JSON.parse(td.container_definitions as string) as Attrs[];
          expect(app!.environment).toContainEqual({ name: "ASSETS_BUCKET", value: bucket });
          expect(agent!.environment.map((e: Attrs) => e.name)).not.toContain("ASSETS_BUCKET");
          expect(td.task_role_arn).toBe(ref(compute, "aws_iam_role", `${service}/task-role`, "arn"));
          const statements = policyStatements(compute, `${service}/task-role/permissions`);
          expect(statements).toEqual([
            { sid: "BucketList", actions: ["s3:ListBucket"], resources: [bucketArn] },
            { sid: "BucketRead", actions: ["s3:GetObject"], resources: [`${bucketArn}/*`] },
          ]);
        });

        it("scales 1-10 tasks on CPU 70 % and memory 80 %, out after 60 s, in after 300 s", () => {
          const target = resourceAt(compute, "aws_appautoscaling_target", `${service}/auto-scaling/target`) as Attrs;
          expect(target).toMatchObject({
            min_capacity: 1,
            max_capacity: 10,
            scalable_dimension: "ecs:service:DesiredCount",
            service_namespace: "ecs",
            resource_id: `service/${ref(compute, "aws_ecs_cluster_capacity_providers", "cluster/capacity-providers", "cluster_name")}/${ref(compute, "aws_ecs_service", `${service}/service`, "name")}`,
          });
          const targetId = ref(compute, "aws_appautoscaling_target", `${service}/auto-scaling/target`, "resource_id");
          const expected = { cpu: ["ECSServiceAverageCPUUtilization", 70], memory: ["ECSServiceAverageMemoryUtilization", 80] } as const;
          for (const [metric, [type, value]] of Object.entries(expected)) {
            const policy = resourceAt(compute, "aws_appautoscaling_policy", `${service}/auto-scaling/${metric}`) as Attrs;
            expect(policy.policy_type).toBe("TargetTrackingScaling");
            expect(policy.resource_id).toBe(targetId);
            expect(policy.target_tracking_scaling_policy_configuration).toEqual({
              predefined_metric_specification: { predefined_metric_type: type },
              target_value: value,
              scale_out_cooldown: 60,
              scale_in_cooldown: 300,
            });
          }
        });

        it("leaves desired_count to the scaler", () => {
          expect(ecs.lifecycle.ignore_changes).toContain("desired_count");
          expect(ecs.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
        });
      });
    }
  });

  describe("database (seed 003)", () => {
    const database = stack("prod-database");
    const cluster = onlyResource(database, "aws_rds_cluster") as Attrs;

    it("is Aurora PostgreSQL 17.7 Serverless v2 at 0.5-2 ACU, encrypted, protected, backed up for 30 days", () => {
      expect(cluster).toMatchObject({
        engine: "aurora-postgresql",
        engine_mode: "provisioned",
        engine_version: "17.7",
        serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 2 },
        storage_encrypted: true,
        backup_retention_period: 30,
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: `${PREFIX}-aurora-final`,
        copy_tags_to_snapshot: true,
        manage_master_user_password: true,
        database_name: "bookmarkdb",
      });
    });

    it("has a serverless writer in ap-northeast-1a and reader in ap-northeast-1c, both private", () => {
      const instances = listResources(database, "aws_rds_cluster_instance") as Attrs[];
      expect(instances.map((i) => [i.identifier, i.availability_zone]).sort()).toEqual([
        [`${PREFIX}-aurora-reader`, "ap-northeast-1c"],
        [`${PREFIX}-aurora-writer`, "ap-northeast-1a"],
      ]);
      for (const instance of instances) {
        expect(instance).toMatchObject({ instance_class: "db.serverless", publicly_accessible: false });
        expect(instance.cluster_identifier).toBe(ref(database, "aws_rds_cluster", "aurora/cluster", "id"));
      }
    });

    it("sits in the network stack's private subnets behind the security stack's database group", () => {
      expect(cluster.db_subnet_group_name).toBe(ref(database, "aws_db_subnet_group", "aurora/subnets", "name"));
      expect(resourceAt(database, "aws_db_subnet_group", "aurora/subnets").subnet_ids).toEqual(privateSubnets());
      expect(cluster.vpc_security_group_ids).toEqual([remote("prod-security", "aws_security_group", "groups/database", "id")]);
    });

    it("has no password attribute in any stack (RDS manages the master password)", () => {
      expect(JSON.stringify(stacks)).not.toMatch(/"(master_)?password(_wo)?"\s*:/);
      expect([...new Set(allKeys(stacks).filter((k) => /password/i.test(k)))]).toEqual(["manage_master_user_password"]);
    });

    it("refuses to destroy an Aurora instance while the cluster is deletion-protected (prevent_destroy)", () => {
      for (const instance of listResources(database, "aws_rds_cluster_instance") as Attrs[]) {
        expect(instance.lifecycle).toEqual({ prevent_destroy: true });
      }
    });

    describe("AWS Backup (seed 001: backups beyond the cluster's own)", () => {
      const plan = onlyResource(database, "aws_backup_plan") as Attrs;
      const vaults = listResources(database, "aws_backup_vault");
      const vault = resourceAt(database, "aws_backup_vault", "backup/vault") as Attrs;
      const copyVault = resourceAt(database, "aws_backup_vault", "backup/copy-vault") as Attrs;

      it("runs a daily rule into a vault encrypted with its own CMK, keeping 35 days", () => {
        expect(vaults).toHaveLength(2);
        const [rule] = plan.rule as Attrs[];
        expect(rule).toMatchObject({ rule_name: "daily", schedule: "cron(0 18 * * ? *)", lifecycle: { delete_after: 35 } });
        expect(rule!.target_vault_name).toBe(ref(database, "aws_backup_vault", "backup/vault", "name"));
        expect(vault.kms_key_arn).toBe(ref(database, "aws_kms_key", "backup-key", "arn"));
        const key = resourceAt(database, "aws_kms_key", "backup-key") as Attrs;
        expect(key.enable_key_rotation).toBe(true);
      });

      it("copies every recovery point to a CMK-encrypted vault in Osaka through an aliased provider", () => {
        const [rule] = plan.rule as Attrs[];
        expect(rule!.copy_action).toEqual([
          { destination_vault_arn: ref(database, "aws_backup_vault", "backup/copy-vault", "arn"), lifecycle: { delete_after: 35 } },
        ]);
        const providers = (database.provider as Attrs).aws as Attrs[];
        const osaka = providers.find((p) => p.alias === "ap_northeast_3")!;
        expect(osaka).toMatchObject({ region: "ap-northeast-3", allowed_account_ids: providers.find((p) => !p.alias)!.allowed_account_ids });
        expect(copyVault.provider).toBe("aws.ap_northeast_3");
        expect(copyVault.kms_key_arn).toBe(ref(database, "aws_kms_key", "backup-copy-key", "arn"));
        expect((resourceAt(database, "aws_kms_key", "backup-copy-key") as Attrs).provider).toBe("aws.ap_northeast_3");
      });

      it("selects only the cluster, by ARN, with a backup role holding the AWS managed backup and restore policies", () => {
        const selection = onlyResource(database, "aws_backup_selection") as Attrs;
        expect(selection.resources).toEqual([ref(database, "aws_rds_cluster", "aurora/cluster", "arn")]);
        expect(selection.iam_role_arn).toBe(ref(database, "aws_iam_role", "backup/role", "arn"));
        const attached = (listResources(database, "aws_iam_role_policy_attachment") as Attrs[])
          .filter((a) => a.role === ref(database, "aws_iam_role", "backup/role", "name"))
          .map((a) => a.policy_arn);
        expect(attached.sort()).toEqual([
          "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
          "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ]);
      });
    });

    it("outputs the writer and reader endpoints", () => {
      expect(output("prod-database", "db_endpoint")).toBe(ref(database, "aws_rds_cluster", "aurora/cluster", "endpoint"));
      expect(output("prod-database", "db_reader_endpoint")).toBe(ref(database, "aws_rds_cluster", "aurora/cluster", "reader_endpoint"));
    });
  });

  describe("storage (seed 003)", () => {
    const storage = stack("prod-storage");
    const bucket = ref(storage, "aws_s3_bucket", "assets/bucket", "id");

    it("versions assets", () => {
      expect(onlyResource(storage, "aws_s3_bucket_versioning")).toMatchObject({
        bucket,
        versioning_configuration: { status: "Enabled" },
      });
    });

    it("moves current and noncurrent versions to Standard-IA after 180 days and expires them after 730", () => {
      const lifecycle = resourceAt(storage, "aws_s3_bucket_lifecycle_configuration", "assets/lifecycle") as Attrs;
      expect(lifecycle.bucket).toBe(bucket);
      const rules = Object.fromEntries((lifecycle.rule as Attrs[]).map((r) => [r.id, r]));
      expect(rules["current-versions"]).toMatchObject({
        status: "Enabled",
        transition: [{ days: 180, storage_class: "STANDARD_IA" }],
        expiration: [{ days: 730 }],
      });
      expect(rules["noncurrent-versions"]).toMatchObject({
        status: "Enabled",
        noncurrent_version_transition: [{ noncurrent_days: 180, storage_class: "STANDARD_IA" }],
        noncurrent_version_expiration: [{ noncurrent_days: 730 }],
      });
    });

    it("allows browsers from https://tidilyspace.app and https://www.tidilyspace.app", () => {
      const cors = onlyResource(storage, "aws_s3_bucket_cors_configuration") as Attrs;
      expect(cors.bucket).toBe(bucket);
      expect(cors.cors_rule).toHaveLength(1);
      expect(cors.cors_rule[0].allowed_origins).toEqual([`https://${DOMAIN}`, `https://www.${DOMAIN}`]);
      expect(cors.cors_rule[0].allowed_methods).not.toContain("PUT");
    });

    it("encrypts, blocks public access and refuses plain HTTP on every bucket", () => {
      for (const name of ["assets", "alb-logs"]) {
        const id = ref(storage, "aws_s3_bucket", `${name}/bucket`, "id");
        const arn = ref(storage, "aws_s3_bucket", `${name}/bucket`, "arn");
        const sse = resourceAt(storage, "aws_s3_bucket_server_side_encryption_configuration", `${name}/encryption`) as Attrs;
        expect(sse.bucket).toBe(id);
        expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);
        expect(resourceAt(storage, "aws_s3_bucket_public_access_block", `${name}/public-access-block`)).toMatchObject({
          bucket: id,
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        });
        expect(resourceAt(storage, "aws_s3_bucket_policy", `${name}/policy`).bucket).toBe(id);
        const tls = (policyStatements(storage, `${name}/policy-document`) as Attrs[]).find((s) => s.sid === "DenyInsecureTransport");
        expect(tls).toMatchObject({
          effect: "Deny",
          actions: ["s3:*"],
          resources: [arn, `${arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        });
      }
    });
  });

  describe("registry (seed 003)", () => {
    const registry = stack("prod-registry");

    it("keeps 30 CI builds and every release image per repository, and refuses to delete a repository that holds images", () => {
      const repos = listResources(registry, "aws_ecr_repository") as Attrs[];
      expect(repos.map((r) => r.name).sort()).toEqual([`${PREFIX}-api`, `${PREFIX}-web`]);
      for (const repo of repos) {
        expect(repo.force_delete).toBe(false);
        expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
      }
      for (const service of SERVICES) {
        const policy = resourceAt(registry, "aws_ecr_lifecycle_policy", `repositories/${service}/lifecycle-policy`);
        expect(policy.repository).toBe(ref(registry, "aws_ecr_repository", `repositories/${service}/repository`, "name"));
        const rules = (JSON.parse(policy.policy as string) as { rules: Attrs[] }).rules;
        expect(rules.find((r) => r.selection.tagPrefixList?.[0] === "sha-")).toMatchObject({ selection: { tagStatus: "tagged", countNumber: 30 }, action: { type: "expire" } });
        expect(rules.find((r) => r.selection.tagPrefixList?.[0] === "v")).toMatchObject({ rulePriority: 1, selection: { tagStatus: "tagged", countNumber: 9999 } });
        expect(rules.some((r) => r.selection.tagStatus === "any")).toBe(false);
      }
    });
  });

  describe("bastion (seed 003)", () => {
    const bastion = stack("prod-bastion");
    const instance = onlyResource(bastion, "aws_instance") as Attrs;

    it("is a t4g.nano (seed 003's t3.nano size on Graviton) in a private subnet without a public IP, requiring IMDSv2", () => {
      expect(instance.instance_type).toBe("t4g.nano");
      expect(instance.subnet_id).toBe(privateSubnets()[0]);
      expect(instance.associate_public_ip_address).toBe(false);
      expect(instance.metadata_options).toMatchObject({ http_tokens: "required" });
      expect(instance.vpc_security_group_ids).toEqual([remote("prod-security", "aws_security_group", "groups/bastion", "id")]);
    });

    it("has an encrypted root volume", () => {
      const template = onlyResource(bastion, "aws_launch_template") as Attrs;
      expect(instance.launch_template.id).toBe(ref(bastion, "aws_launch_template", "bastion/template", "id"));
      expect(template.block_device_mappings).toHaveLength(1);
      expect(String(template.block_device_mappings[0].ebs.encrypted)).toBe("true");
      // No root_block_device on the instance that could override the template's encryption.
      expect(instance.root_block_device).toBeUndefined();
    });

    it("is reached only through SSM: managed-instance role, and a security group without ingress", () => {
      const attachments = listResources(bastion, "aws_iam_role_policy_attachment") as Attrs[];
      expect(attachments).toHaveLength(1);
      expect(attachments[0]!.policy_arn).toMatch(/:iam::aws:policy\/AmazonSSMManagedInstanceCore$/);
      expect(attachments[0]!.role).toBe(ref(bastion, "aws_iam_role", "bastion/role", "name"));
      expect(onlyResource(bastion, "aws_iam_instance_profile").role).toBe(ref(bastion, "aws_iam_role", "bastion/role", "name"));
      expect(instance.iam_instance_profile).toBe(ref(bastion, "aws_iam_instance_profile", "bastion/profile", "name"));

      const security = stack("prod-security");
      const bastionGroup = ref(security, "aws_security_group", "groups/bastion", "id");
      const ingress = listResources(security, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === bastionGroup);
      expect(ingress).toHaveLength(0);
      expect(resourceAt(security, "aws_security_group", "groups/bastion").ingress).toBeUndefined();
    });
  });

  describe("monitoring (seeds 001, 003)", () => {
    const monitoring = stack("prod-monitoring");
    const topic = ref(monitoring, "aws_sns_topic", "monitoring/alarms/topic", "arn");
    const alarms = listResources(monitoring, "aws_cloudwatch_metric_alarm") as Attrs[];
    const alarm = (namespace: string, metric: string) => alarms.filter((a) => a.namespace === namespace && a.metric_name === metric);
    const computeOut = (type: string, path: string, attribute: string) => remote("prod-compute", type, path, attribute);

    it("sends alarms to an SNS topic encrypted with a customer-managed key CloudWatch may use", () => {
      expect(onlyResource(monitoring, "aws_sns_topic").kms_master_key_id).toBe(ref(monitoring, "aws_kms_key", "monitoring/alarms/key", "arn"));
      expect(onlyResource(monitoring, "aws_kms_key")).toMatchObject({ enable_key_rotation: true });
      const cloudwatch = (policyStatements(monitoring, "monitoring/alarms/key-policy") as Attrs[]).filter((s) =>
        s.principals?.some((p: Attrs) => p.type === "Service" && p.identifiers.includes("cloudwatch.amazonaws.com")),
      );
      expect(cloudwatch).toHaveLength(1);
      expect(cloudwatch[0]!.actions).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey*"]));
      expect(cloudwatch[0]!.effect ?? "Allow").toBe("Allow");
    });

    it("e-mails every alarm", () => {
      expect(onlyResource(monitoring, "aws_sns_topic_subscription")).toMatchObject({
        protocol: "email",
        endpoint: `alerts@${DOMAIN}`,
        topic_arn: topic,
      });
      expect(alarms.length).toBeGreaterThan(0);
      for (const a of alarms) expect(a.alarm_actions).toEqual([topic]);
    });

    it("alarms on each service's CPU above 80 % for 2 x 300 s, and on its memory", () => {
      for (const [metric, list] of [
        ["CPUUtilization", alarm("AWS/ECS", "CPUUtilization")],
        ["MemoryUtilization", alarm("AWS/ECS", "MemoryUtilization")],
      ] as const) {
        expect(list.map((a) => a.dimensions.ServiceName).sort(), metric).toEqual(
          SERVICES.map((s) => computeOut("aws_ecs_service", `${s}/service`, "name")).sort(),
        );
        for (const a of list) {
          expect(a.dimensions.ClusterName).toBe(computeOut("aws_ecs_cluster_capacity_providers", "cluster/capacity-providers", "cluster_name"));
          expect(a.comparison_operator).toBe("GreaterThanThreshold");
          expect(a.threshold).toBeGreaterThan(0);
        }
      }
      for (const a of alarm("AWS/ECS", "CPUUtilization")) {
        expect(a).toMatchObject({ threshold: 80, period: 300, evaluation_periods: 2, statistic: "Average" });
      }
    });

    it("alarms on ALB 5xx, target response time and unhealthy hosts of each target group", () => {
      const lb = computeOut("aws_lb", "load-balancer/alb", "arn_suffix");
      const fiveXx = [...alarm("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"), ...alarm("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")];
      expect(fiveXx.length).toBeGreaterThan(0);
      const latency = alarm("AWS/ApplicationELB", "TargetResponseTime");
      expect(latency).toHaveLength(1);
      for (const a of [...fiveXx, ...latency]) expect(a.dimensions.LoadBalancer).toBe(lb);

      const unhealthy = alarm("AWS/ApplicationELB", "UnHealthyHostCount");
      expect(unhealthy.map((a) => a.dimensions.TargetGroup).sort()).toEqual(
        SERVICES.map((s) => computeOut("aws_lb_target_group", `${s}/target-group`, "arn_suffix")).sort(),
      );
      for (const a of unhealthy) expect(a.dimensions.LoadBalancer).toBe(lb);
    });

    it("alarms on Aurora CPU, connections, freeable memory, Serverless capacity and read/write latency", () => {
      const clusterId = remote("prod-database", "aws_rds_cluster", "aurora/cluster", "cluster_identifier");
      for (const metric of ["CPUUtilization", "DatabaseConnections", "FreeableMemory", "ReadLatency", "WriteLatency"]) {
        const list = alarm("AWS/RDS", metric);
        expect(list, metric).toHaveLength(1);
        expect(list[0]!.dimensions).toEqual({ DBClusterIdentifier: clusterId });
      }
      expect(alarm("AWS/RDS", "FreeableMemory")[0]!.comparison_operator).toMatch(/^LessThan/);
      expect(alarm("AWS/RDS", "ReadLatency")[0]!.threshold).toBe(0.02);
      // ACUUtilization is a share of the max ACU; the highest of writer and reader, by their literal identifiers
      // (the cluster-level metric averages them, hiding a writer at its ceiling next to an idle reader).
      const capacity = alarms.find((a) => a.alarm_name === "bookmark-manager-prod-db-acu-near-max")!;
      expect([capacity.threshold, capacity.comparison_operator]).toEqual([90, "GreaterThanOrEqualToThreshold"]);
      const queries = capacity.metric_query as Attrs[];
      expect(queries[0]).toMatchObject({ expression: "MAX([i0, i1])", return_data: true });
      expect(queries.slice(1).map((q) => (q.metric as Attrs).dimensions)).toEqual([
        { DBInstanceIdentifier: "bookmark-manager-prod-aurora-writer" },
        { DBInstanceIdentifier: "bookmark-manager-prod-aurora-reader" },
      ]);
    });

    it("keeps the memory alarms above the 80 % scaling target (85 %) and CPU above 70 % (80 %)", () => {
      expect(alarm("AWS/ECS", "MemoryUtilization").map((a) => a.threshold)).toEqual([85, 85]);
      expect(alarm("AWS/ECS", "CPUUtilization").map((a) => a.threshold)).toEqual([80, 80]);
    });

    it("alarms on scaling at the maximum of 10 and on running below desired (Container Insights)", () => {
      const atMax = alarm("ECS/ContainerInsights", "DesiredTaskCount");
      expect(atMax.map((a) => [a.alarm_name, a.threshold, a.statistic]).sort()).toEqual([
        ["bookmark-manager-prod-ecs-api-scaling-at-max", 10, "Minimum"],
        ["bookmark-manager-prod-ecs-web-scaling-at-max", 10, "Minimum"],
      ]);
      const below = alarms.filter((a) => String(a.alarm_name).endsWith("tasks-below-desired"));
      expect(below).toHaveLength(2);
    });

    it("alarms on errors and throttles of the DATABASE_URL publisher and the redeploy function, and on NAT data", () => {
      const functions = alarm("AWS/Lambda", "Errors").map((a) => a.dimensions.FunctionName).sort();
      expect(functions).toEqual(["bookmark-manager-prod-database-url", "bookmark-manager-prod-redeploy-on-parameter-change"]);
      expect(alarm("AWS/Lambda", "Throttles")).toHaveLength(2);
      const nat = alarm("AWS/NATGateway", "BytesOutToDestination");
      expect(nat).toHaveLength(1);
      expect(nat[0]!.dimensions.NatGatewayId).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod-network\./);
    });

    it("sends ECS deployment failures and rollbacks to the topic and has a $600 monthly budget", () => {
      const rules = (listResources(monitoring, "aws_cloudwatch_event_rule") as Attrs[]).map((r) => r.name).sort();
      expect(rules).toEqual(["bookmark-manager-prod-ecs-deployment-failed", "bookmark-manager-prod-ecs-deployment-rollback"]);
      const budget = onlyResource(monitoring, "aws_budgets_budget") as Attrs;
      expect([budget.limit_amount, budget.cost_filter]).toEqual(["600.0", [{ name: "TagKeyValue", values: ["user:environment$prod"] }]]);
    });

    it("has a dashboard", () => {
      const dashboard = onlyResource(monitoring, "aws_cloudwatch_dashboard") as Attrs;
      const body = JSON.parse(dashboard.dashboard_body as string) as { widgets: unknown[] };
      expect(body.widgets.length).toBeGreaterThan(0);
    });
  });

  it("shows the outputs users read (seed 003), each in the stack that owns it", () => {
    const dns = stack("prod-dns");
    expect(output("prod-edge", "website_url")).toBe(`https://${DOMAIN}`);
    expect(output("prod-dns", "domain_name")).toBe(DOMAIN);
    expect(output("prod-compute", "alb_dns_name")).toBe(ref(stack("prod-compute"), "aws_lb", "load-balancer/alb", "dns_name"));
    expect(output("prod-dns", "route53_zone_name_servers")).toBe(ref(dns, "aws_route53_zone", "zone", "name_servers"));
    expect(output("prod-dns", "acm_certificate_arn")).toBe(ref(dns, "aws_acm_certificate", "certificate", "arn"));
    const certificate = stack("prod-certificate");
    expect(output("prod-certificate", "acm_certificate_arn")).toBe(ref(certificate, "aws_acm_certificate_validation", "certificate/validation-wait", "certificate_arn"));
    expect(output("prod-dns", "acm_certificate_status")).toBe(ref(dns, "aws_acm_certificate", "certificate", "status"));
    expect(output("prod-database", "db_endpoint")).toBe(ref(stack("prod-database"), "aws_rds_cluster", "aurora/cluster", "endpoint"));
  });

  it("matches the reviewed resource addresses (a rename here replaces real resources)", () => {
    expect(Object.fromEntries(Object.entries(stacks).map(([n, j]) => [n, resourceAddresses(j)]))).toMatchSnapshot();
  });

  it("matches the reviewed synthesized JSON", () => {
    expect(scrubVolatile(stacks)).toMatchSnapshot();
  });
});

// Issue 10, "Anyone who can push a branch can read the prod database password".
describe("prod secrets", () => {
  const keyArn = remote("prod-security", "aws_kms_key", "secrets-key", "arn");

  it("encrypts the Aurora master secret and DATABASE_URL with prod's own KMS key", () => {
    const cluster = onlyResource(stack("prod-database"), "aws_rds_cluster");
    expect(cluster.master_user_secret_kms_key_id).toBe(keyArn);
    const fn = listResources(stack("prod-database"), "aws_lambda_function")[0] as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables.PARAMETER_KMS_KEY_ID).toBe(cluster.master_user_secret_kms_key_id);
  });

  it("lets only prod's task execution roles, task roles (for granted secrets) and publisher decrypt, never a staging role", () => {
    const doc = policyStatements(stack("prod-security"), "secrets-key/policy") as Array<{ sid: string; actions: string[]; condition?: Array<{ variable: string; values: string[] }> }>;
    const principals = doc.flatMap((x) => x.condition ?? []).filter((c) => c.variable === "aws:PrincipalArn").flatMap((c) => c.values);
    expect(principals).toEqual([
      "arn:aws:iam::123456789012:role/bookmark-manager-prod-*-execution",
      "arn:aws:iam::123456789012:role/bookmark-manager-prod-*-task",
      "arn:aws:iam::123456789012:role/bookmark-manager-prod-database-url",
    ]);
  });

  it("denies the bastion every secret value", () => {
    const deny = policyStatements(stack("prod-bastion"), "bastion/deny-secrets") as Array<{ sid: string; effect: string; resources: string[] }>;
    expect(deny.map((d) => d.sid)).toEqual(["DenyProductParameters", "DenySecretValues", "DenyDecryptThroughSecretStores"]);
    expect(deny.every((d) => d.effect === "Deny")).toBe(true);
    expect(deny[0]!.resources[0]).toMatch(/:parameter\/bookmark-manager\/\*$/);
  });

  it("gives prod's roles no permissions boundary (prod owns the shared account)", () => {
    for (const json of Object.values(stacks)) for (const role of listResources(json, "aws_iam_role")) expect(role.permissions_boundary).toBeUndefined();
  });
});

// Issue 10, "Task roles lack aws:SourceAccount" and item 7: every service trust this product writes.
describe("service trust policies (prod)", () => {
  it("carry aws:SourceAccount on every service role trust except EC2's (which does not support it)", () => {
    let trusts = 0;
    for (const json of Object.values(stacks)) {
      for (const doc of listDataSources(json, "aws_iam_policy_document") as Array<{ statement: Array<{ actions?: string[]; principals?: Array<{ type: string; identifiers: string[] }>; condition?: Array<{ variable: string; values: string[] }> }> }>) {
        for (const s of doc.statement) {
          if (!s.actions?.includes("sts:AssumeRole") || !s.principals?.some((p) => p.type === "Service")) continue;
          const services = s.principals.flatMap((p) => p.identifiers);
          if (services.includes("ec2.amazonaws.com")) continue;
          trusts++;
          expect({ services, account: s.condition?.find((c) => c.variable === "aws:SourceAccount")?.values?.length }).toEqual({ services, account: 1 });
        }
      }
    }
    expect(trusts).toBeGreaterThanOrEqual(5); // 2 execution roles, publisher, redeploy, flow logs
  });
});
