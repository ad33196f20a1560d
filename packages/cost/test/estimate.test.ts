import { describe, expect, it } from "vitest";
import { estimate, type Estimate } from "../src/estimate";
import { loadPriceTable } from "../src/prices";
import { renderCostJson } from "../src/render";
import { stackFromJson, type SynthStack } from "../src/stacks";
import { DEFAULT_USAGE, type Usage } from "../src/usage";
import { yearWindow } from "../src/schedule";

const table = loadPriceTable();
const provider = (region = "ap-northeast-1") => ({ aws: [{ region }] });
const stack = (name: string, resource: Record<string, unknown>, region?: string): SynthStack => stackFromJson(name, { provider: provider(region), resource });
const run = (stacks: SynthStack[], usage: Partial<Usage> = {}): Estimate =>
  estimate(stacks, table, { usage: () => ({ ...DEFAULT_USAGE, ...usage }), window: yearWindow(2026) });
const line = (e: Estimate, env: string, charge: RegExp) => e.environments[env]!.lines.filter((l) => charge.test(l.charge));

const taskDef = (cpu: string, memory: string, arch = "X86_64") => ({ cpu, memory, runtime_platform: { cpu_architecture: arch, operating_system_family: "LINUX" } });
const service = (extra: Record<string, unknown> = {}) => ({ desired_count: 1, task_definition: "${aws_ecs_task_definition.td.arn}", network_configuration: { assign_public_ip: false }, ...extra });

describe("pricing rules (ap-northeast-1, hand-checked)", () => {
  it("prices a 1 vCPU / 2 GB x86 task 24×7: 730 × (0.05056 + 2 × 0.00553) = $44.98; autoscaling 1-10 gives base 1 task, peak 10", () => {
    const e = run([
      stack("prod-compute", {
        aws_ecs_task_definition: { td: taskDef("1024", "2048") },
        aws_ecs_service: { web: service() },
        aws_appautoscaling_target: { t: { min_capacity: 1, max_capacity: 10, resource_id: "service/c/${aws_ecs_service.web.name}" } },
      }),
    ]);
    const vcpu = line(e, "prod", /Fargate vCPU \(x86\)/)[0]!;
    const mem = line(e, "prod", /Fargate memory \(x86\)/)[0]!;
    expect(vcpu.base + mem.base).toBeCloseTo(44.98, 1);
    expect(vcpu.peak).toBeCloseTo(369.09, 2);
    expect(mem.peak).toBeCloseTo(80.74, 2);
    expect(e.environments.prod!.stacks["prod-compute"]).toEqual({ base: 44.98, peak: 449.83 });
  });

  it("prices ARM at the ARM rate and Spot at the Spot rate; a public task pays its IPv4 address", () => {
    const e = run([
      stack("dev-compute", {
        aws_ecs_task_definition: { td: taskDef("1024", "2048", "ARM64") },
        aws_ecs_service: { arm: service({ desired_count: 2, network_configuration: { assign_public_ip: true } }) },
      }),
    ]);
    expect(line(e, "dev", /Fargate vCPU \(ARM\)/)[0]!.base).toBeCloseTo(2 * 730 * 0.04045, 2); // $59.06
    expect(line(e, "dev", /Public IPv4 per task/)[0]!.base).toBeCloseTo(2 * 730 * 0.005, 2); // $7.30
    const spot = run([
      stack("dev-compute", {
        aws_ecs_task_definition: { td: taskDef("256", "512") },
        aws_ecs_service: { s: service({ desired_count: 2, capacity_provider_strategy: [{ capacity_provider: "FARGATE", base: 1, weight: 0 }, { capacity_provider: "FARGATE_SPOT", weight: 1 }] }) },
      }),
    ]);
    // One task on-demand (the base), one on Spot.
    expect(line(spot, "dev", /Fargate vCPU \(x86\)/)[0]!.quantity.base).toBeCloseTo(0.25 * 730, 6);
    expect(line(spot, "dev", /Fargate vCPU \(Spot\)/)[0]!.quantity.base).toBeCloseTo(0.25 * 730, 6);
  });

  it("counts scheduled services by the schedule's hours, and the RDS instance only when the scheduler stops it", () => {
    const scheduler = (targets: unknown) => ({
      aws_lambda_function: { fn: { memory_size: 256, architectures: ["arm64"], environment: { variables: { SCHEDULER_TARGETS: JSON.stringify(targets) } } } },
      aws_scheduler_schedule: {
        start: { schedule_expression: "cron(0 9 ? * MON-FRI *)", schedule_expression_timezone: "Asia/Tokyo", target: { arn: "${aws_lambda_function.fn.arn}", input: '{"action":"start"}' } },
        stop: { schedule_expression: "cron(0 22 ? * MON-FRI *)", schedule_expression_timezone: "Asia/Tokyo", target: { arn: "${aws_lambda_function.fn.arn}", input: '{"action":"stop"}' } },
      },
    });
    const db = stack("staging-database", { aws_db_instance: { pg: { engine: "postgres", instance_class: "db.t4g.micro", allocated_storage: 20, storage_type: "gp3", manage_master_user_password: true } } });
    const compute = (targets: unknown) =>
      stack("staging-compute", { aws_ecs_task_definition: { td: taskDef("256", "512") }, aws_ecs_service: { web: service() }, ...scheduler(targets) });
    const servicesOnly = run([compute({ services: { web: { service: "${aws_ecs_service.web.name}" } } }), db]);
    expect(line(servicesOnly, "staging", /Fargate vCPU/)[0]!.quantity.base).toBeCloseTo(0.25 * 282.75, 6);
    expect(line(servicesOnly, "staging", /RDS postgres/)[0]!.base).toBeCloseTo(730 * 0.025, 2); // $18.25
    expect(line(servicesOnly, "staging", /RDS storage/)[0]!.base).toBeCloseTo(20 * 0.138, 2); // $2.76
    expect(line(servicesOnly, "staging", /Secrets Manager/)[0]!.base).toBe(0.4);
    expect(line(servicesOnly, "staging", /Scheduler invocations/)[0]!.quantity.base).toBeCloseTo((2 * 261 * 730) / 8760 / 1e6, 9);
    const withDb = run([compute({ services: { web: { service: "${aws_ecs_service.web.name}" } }, database: { identifier: "db" } }), db]);
    expect(line(withDb, "staging", /RDS postgres/)[0]!.base).toBeCloseTo(282.75 * 0.025, 2); // $7.07
  });

  it("counts the invocations of a Lambda on a scheduled EventBridge rule: rate(1 hour) = 730 a month", () => {
    const e = run([
      stack("prod-database", {
        aws_lambda_function: { refresh: { memory_size: 256, architectures: ["arm64"] } },
        aws_cloudwatch_event_rule: { hourly: { schedule_expression: "rate(1 hour)" } },
        aws_cloudwatch_event_target: { t: { rule: "${aws_cloudwatch_event_rule.hourly.name}", arn: "${aws_lambda_function.refresh.arn}" } },
      }),
    ], { lambdaSeconds: 2 });
    expect(line(e, "prod", /Lambda requests/)[0]).toMatchObject({ quantity: { base: 730 / 1e6, peak: 730 / 1e6 }, usageDependent: false });
    expect(line(e, "prod", /Lambda duration/)[0]!.quantity.base).toBeCloseTo(730 * 0.25 * 2, 6);
    expect(line(e, "prod", /Scheduler invocations/)).toHaveLength(0);
  });

  it("prices Aurora Serverless v2 per instance: writer + reader at 0.5-2 ACU = 2 × 0.5 × 730 × $0.15 = $109.50 base, $438 peak", () => {
    const e = run([
      stack("prod-database", {
        aws_rds_cluster: { c: { engine: "aurora-postgresql", serverlessv2_scaling_configuration: { min_capacity: 0.5, max_capacity: 2 }, manage_master_user_password: true } },
        aws_rds_cluster_instance: { writer: { cluster_identifier: "${aws_rds_cluster.c.id}", instance_class: "db.serverless" }, reader: { cluster_identifier: "${aws_rds_cluster.c.id}", instance_class: "db.serverless" } },
      }),
    ], { auroraStorageGb: 10, auroraIoMillions: 2 });
    const acu = line(e, "prod", /ACU/);
    expect(acu).toHaveLength(2);
    expect(acu.reduce((s, l) => s + l.base, 0)).toBeCloseTo(109.5, 2);
    expect(acu.reduce((s, l) => s + l.peak, 0)).toBeCloseTo(438, 2);
    expect(line(e, "prod", /Aurora storage/)[0]!.base).toBeCloseTo(1.2, 2);
    expect(line(e, "prod", /Aurora I\/O/)[0]).toMatchObject({ base: 0.48, usageDependent: true });
  });

  it("prices the network: ALB hours, LCU and one IPv4 per AZ; NAT hours, data and its EIP; endpoints per AZ", () => {
    const e = run([
      stack("prod-network", {
        aws_eip: { nat: { domain: "vpc" } },
        aws_nat_gateway: { nat: { allocation_id: "${aws_eip.nat.allocation_id}" } },
        aws_vpc_endpoint: { ecr: { vpc_endpoint_type: "Interface", service_name: "com.amazonaws.ap-northeast-1.ecr.api", subnet_ids: ["a", "b"] }, s3: { vpc_endpoint_type: "Gateway" } },
      }),
      stack("prod-compute", { aws_lb: { alb: { load_balancer_type: "application", internal: false, subnets: ["a", "b"] } } }),
    ], { albLcu: { base: 1, peak: 4 }, natDataGb: 100, endpointDataGb: 10 });
    expect(line(e, "prod", /ALB hours/)[0]!.base).toBeCloseTo(17.74, 2);
    expect(line(e, "prod", /ALB LCU/)[0]).toMatchObject({ base: 5.84, peak: 23.36, usageDependent: true });
    expect(line(e, "prod", /Public IPv4 per ALB AZ/)[0]!.base).toBe(7.3);
    expect(line(e, "prod", /NAT gateway hours/)[0]!.base).toBe(45.26);
    expect(line(e, "prod", /NAT data/)[0]!.base).toBe(6.2);
    expect(line(e, "prod", /Elastic IP/)[0]!.base).toBe(3.65);
    expect(line(e, "prod", /Interface endpoint ecr.api/)[0]!.base).toBe(20.44);
    expect(line(e, "prod", /Interface endpoint data/)[0]!.base).toBe(0.1);
    expect(line(e, "prod", /Gateway/)).toHaveLength(0);
  });

  it("prices edge, monitoring and the rest", () => {
    const e = run([
      stack("prod-edge", {
        aws_wafv2_web_acl: { acl: { rule: [{ statement: { rate_based_statement: {} } }, { statement: { managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet" } } }] } },
        aws_route53_zone: { z: {} },
        aws_cloudwatch_log_group: { waf: { name: "aws-waf-logs-x", retention_in_days: 30 } },
      }),
      stack("prod-monitoring", {
        aws_cloudwatch_metric_alarm: { a: {}, b: { metric_query: [{ metric: {} }, { metric: {} }, { expression: "m1+m2" }] } },
        aws_cloudwatch_dashboard: { d: {} },
        aws_kms_key: { k: {} },
        aws_secretsmanager_secret: { s: {} },
      }),
      stack("prod-bastion", { aws_instance: { b: { instance_type: "t3.nano", associate_public_ip_address: true, root_block_device: { volume_size: 10, volume_type: "gp3" } } } }),
    ], { wafRequestsMillions: 5, logIngestGb: { default: 0, byName: { waf: 2 } } });
    expect(e.environments.prod!.stacks["prod-edge"]!.base).toBeCloseTo(5 + 2 + 3 + 0.5 + 1.52 + 0.07, 2);
    expect(line(e, "prod", /^Alarm$/).map((l) => l.base)).toEqual([0.1, 0.2]);
    expect(e.environments.prod!.stacks["prod-monitoring"]!.base).toBeCloseTo(0.3 + 3 + 1 + 0.4, 2);
    expect(e.environments.prod!.stacks["prod-bastion"]!.base).toBeCloseTo(730 * 0.0068 + 10 * 0.096 + 730 * 0.005, 1);
  });

  it("uses the provider's region (us-east-1 rates) and names a region the table lacks", () => {
    const alb = { aws_lb: { alb: { internal: true } } };
    expect(line(run([stack("x-compute", alb, "us-east-1")]), "x", /ALB hours/)[0]!.base).toBeCloseTo(730 * 0.0225, 2);
    expect(() => run([stack("x-compute", alb, "eu-west-9")])).toThrow(/no region eu-west-9/);
  });

  it("prints exactly { environments: { <env>: { base, peak, stacks: { <stack>: { base, peak } }, lines } } }", () => {
    const e = run([stack("prod-dns", { aws_route53_zone: { z: {} } })]);
    const json = JSON.parse(renderCostJson(e)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["environments"]);
    const prod = (json.environments as Record<string, Record<string, unknown>>).prod!;
    expect(Object.keys(prod).sort()).toEqual(["base", "lines", "peak", "stacks"]);
    expect(prod.stacks).toEqual({ "prod-dns": { base: 0.5, peak: 0.5 } });
    expect((prod.lines as Array<Record<string, unknown>>)[0]).toMatchObject({ usageType: "HostedZone", asOf: table.asOf, usageDependent: false });
  });
});
