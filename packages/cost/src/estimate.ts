/**
 * Prices every billable resource of the synthesized stacks: one line per resource and charge,
 * each at base (minimum scale, base usage) and peak (maximum scale, peak usage), per month.
 */
import { priceOf, type PriceTable } from "./prices";
import { HOURS_PER_MONTH, firingsPerMonth, scheduledHoursPerMonth, yearWindow, type SchedulePair, type Window } from "./schedule";
import type { Attributes, SynthStack } from "./stacks";
import { baseOf, peakOf, loadUsage, type Amount, type Usage } from "./usage";

/** One priced charge of one resource. */
export interface CostLine {
  readonly stack: string;
  /** Terraform address, e.g. aws_ecs_service.web_service_10983F6A. */
  readonly resource: string;
  /** What is billed, e.g. "Fargate vCPU (x86)". */
  readonly charge: string;
  readonly priceKey: string;
  readonly usageType: string;
  readonly unit: string;
  readonly unitUsd: number;
  /** Units per month at base and at peak. */
  readonly quantity: { readonly base: number; readonly peak: number };
  /** USD per month. */
  readonly base: number;
  readonly peak: number;
  /** True when the quantity comes from the usage file rather than the stacks. */
  readonly usageDependent: boolean;
  /** How the quantity was found (hours, counts, schedule). */
  readonly basis: string;
  /** The price table's date. */
  readonly asOf: string;
}

export interface Totals {
  readonly base: number;
  readonly peak: number;
}

export interface EnvironmentEstimate extends Totals {
  readonly stacks: Readonly<Record<string, Totals>>;
  readonly lines: readonly CostLine[];
}

export interface Estimate {
  readonly environments: Readonly<Record<string, EnvironmentEstimate>>;
}

export interface EstimateOptions {
  /** Usage per environment; default the committed usage files. */
  readonly usage?: (environment: string) => Usage;
  /** The window schedules are counted over; default the calendar year of the price table. */
  readonly window?: Window;
}

/** Scale and run time of one priced thing: units per hour (base, peak) and hours per month. */
interface Quantity {
  readonly base: number;
  readonly peak: number;
}

const q = (base: number, peak: number = base): Quantity => ({ base, peak });
const amount = (a: Amount): Quantity => q(baseOf(a), peakOf(a));
const round = (n: number): number => Math.round(n * 100) / 100;
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const refsOf = (value: unknown, type: string): string[] =>
  [...JSON.stringify(value ?? null).matchAll(new RegExp(`${type}\\.([A-Za-z0-9_-]+)`, "g"))].map((m) => m[1]!);

/** Everything the rules need about one environment. */
interface Context {
  readonly table: PriceTable;
  readonly usage: Usage;
  readonly stacks: readonly SynthStack[];
  /** Hours per month of each scheduled ECS service (stack/local name), and of the database. */
  readonly serviceHours: ReadonlyMap<string, number>;
  readonly databaseHours?: number;
  readonly schedulerInvocations: ReadonlyMap<string, number>;
  /** Invocations per month of Lambda functions targeted by scheduled EventBridge rules (rate/cron). */
  readonly ruleInvocations: ReadonlyMap<string, number>;
  readonly add: (line: Omit<CostLine, "base" | "peak" | "unitUsd" | "usageType" | "unit" | "asOf" | "stack">, stack: SynthStack) => void;
}

function* resourcesOf(stack: SynthStack, type: string): Generator<[string, Attributes]> {
  for (const [name, attrs] of Object.entries(stack.resources[type] ?? {})) yield [name, attrs];
}

function num(value: unknown, fallback: number): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

/** Start/stop pairs per scheduler Lambda: the schedules whose input is {"action":"start"|"stop"}. */
function schedulesOf(stack: SynthStack): Map<string, { pair?: SchedulePair; starts: string[]; stops: string[]; timeZone: string; expressions: string[] }> {
  const byFunction = new Map<string, { starts: string[]; stops: string[]; timeZone: string; expressions: string[]; pair?: SchedulePair }>();
  for (const [, s] of resourcesOf(stack, "aws_scheduler_schedule")) {
    if (s.state === "DISABLED") continue;
    const target = (s.target ?? {}) as Attributes;
    const fn = refsOf(target.arn, "aws_lambda_function")[0];
    if (!fn) continue;
    let action: unknown;
    try {
      action = (JSON.parse(String(target.input ?? "{}")) as { action?: unknown }).action;
    } catch {
      action = undefined;
    }
    const entry = byFunction.get(fn) ?? { starts: [], stops: [], timeZone: String(s.schedule_expression_timezone ?? "UTC"), expressions: [] };
    entry.expressions.push(String(s.schedule_expression));
    if (action === "start") entry.starts.push(String(s.schedule_expression));
    if (action === "stop") entry.stops.push(String(s.schedule_expression));
    byFunction.set(fn, entry);
  }
  for (const entry of byFunction.values()) {
    if (entry.starts.length === 1 && entry.stops.length === 1) entry.pair = { start: entry.starts[0]!, stop: entry.stops[0]!, timeZone: entry.timeZone };
  }
  return byFunction;
}

/** Builds the context of one environment: schedules resolved to hours. */
function contextOf(environment: string, stacks: readonly SynthStack[], table: PriceTable, options: EstimateOptions, lines: CostLine[]): Context {
  const usage = (options.usage ?? loadUsage)(environment);
  const window = options.window ?? yearWindow(Number(table.asOf.slice(0, 4)));
  const serviceHours = new Map<string, number>();
  const schedulerInvocations = new Map<string, number>();
  const ruleInvocations = new Map<string, number>();
  let databaseHours: number | undefined;
  for (const stack of stacks) {
    for (const [fn, entry] of schedulesOf(stack)) {
      schedulerInvocations.set(`${stack.name}/${fn}`, sum(entry.expressions.map((e) => firingsPerMonth(e, entry.timeZone, window))));
      if (!entry.pair) continue;
      const hours = scheduledHoursPerMonth(entry.pair, window);
      const env = (stack.resources.aws_lambda_function?.[fn]?.environment ?? {}) as Attributes;
      const targetsText = String(((env.variables ?? {}) as Attributes).SCHEDULER_TARGETS ?? "{}");
      for (const service of refsOf(targetsText, "aws_ecs_service")) serviceHours.set(`${stack.name}/${service}`, hours);
      if (/"database"\s*:/.test(targetsText)) databaseHours = hours;
    }
  }
  for (const stack of stacks) {
    for (const [, target] of resourcesOf(stack, "aws_cloudwatch_event_target")) {
      const fn = refsOf(target.arn, "aws_lambda_function")[0];
      const rule = stack.resources.aws_cloudwatch_event_rule?.[refsOf(target.rule, "aws_cloudwatch_event_rule")[0] ?? ""];
      if (!fn || typeof rule?.schedule_expression !== "string") continue;
      // EventBridge rules fire in UTC.
      const key = `${stack.name}/${fn}`;
      ruleInvocations.set(key, (ruleInvocations.get(key) ?? 0) + firingsPerMonth(rule.schedule_expression, "UTC", window));
    }
  }
  const add: Context["add"] = (line, stack) => {
    const price = priceOf(table, stack.region, line.priceKey);
    lines.push({
      stack: stack.name,
      ...line,
      usageType: price.usageType,
      unit: price.unit,
      unitUsd: price.usd,
      base: round(line.quantity.base * price.usd),
      peak: round(line.quantity.peak * price.usd),
      asOf: table.asOf,
    });
  };
  return { table, usage, stacks, serviceHours, databaseHours, schedulerInvocations, ruleInvocations, add };
}

/** Tasks of one service at base and peak: the auto scaling range, else the desired count. */
function taskCounts(stack: SynthStack, serviceName: string, service: Attributes): Quantity {
  for (const [, target] of resourcesOf(stack, "aws_appautoscaling_target")) {
    if (refsOf(target.resource_id, "aws_ecs_service").includes(serviceName)) return q(num(target.min_capacity, 1), num(target.max_capacity, 1));
  }
  return q(num(service.desired_count, 1));
}

/** Share of tasks on Fargate Spot for `tasks` tasks, from the capacity provider strategy. */
function spotShare(strategy: readonly Attributes[], tasks: number): number {
  if (strategy.length === 0 || tasks === 0) return 0;
  let remaining = tasks;
  let spot = 0;
  for (const s of strategy) {
    const base = Math.min(num(s.base, 0), remaining);
    if (s.capacity_provider === "FARGATE_SPOT") spot += base;
    remaining -= base;
  }
  const weights = sum(strategy.map((s) => num(s.weight, 0)));
  if (weights > 0) spot += remaining * (sum(strategy.filter((s) => s.capacity_provider === "FARGATE_SPOT").map((s) => num(s.weight, 0))) / weights);
  return spot / tasks;
}

function priceEcs(ctx: Context, stack: SynthStack): void {
  const clusterDefault = Object.values(stack.resources.aws_ecs_cluster_capacity_providers ?? {})[0]?.default_capacity_provider_strategy as Attributes[] | undefined;
  let services = 0;
  for (const [name, service] of resourcesOf(stack, "aws_ecs_service")) {
    services++;
    const address = `aws_ecs_service.${name}`;
    const taskDef = stack.resources.aws_ecs_task_definition?.[refsOf(service.task_definition, "aws_ecs_task_definition")[0] ?? ""];
    if (!taskDef) continue;
    const vcpu = num(taskDef.cpu, 256) / 1024;
    const gb = num(taskDef.memory, 512) / 1024;
    const arch = ((taskDef.runtime_platform ?? {}) as Attributes).cpu_architecture === "ARM64" ? "arm" : "x86";
    const tasks = taskCounts(stack, name, service);
    const scheduled = ctx.serviceHours.get(`${stack.name}/${name}`);
    const hours = scheduled ?? HOURS_PER_MONTH;
    const basis = `${tasks.base}-${tasks.peak} task(s) × ${vcpu} vCPU / ${gb} GB × ${round(hours)} h/month${scheduled === undefined ? "" : " (scheduler)"}`;
    const strategy = ((service.capacity_provider_strategy as Attributes[] | undefined) ?? clusterDefault ?? []) as Attributes[];
    const spot = q(spotShare(strategy, tasks.base), spotShare(strategy, tasks.peak));
    const onDemand = q(tasks.base * (1 - spot.base), tasks.peak * (1 - spot.peak));
    const onSpot = q(tasks.base * spot.base, tasks.peak * spot.peak);
    const addTaskLines = (count: Quantity, kind: string, label: string) => {
      if (count.base === 0 && count.peak === 0) return;
      ctx.add({ resource: address, charge: `Fargate vCPU (${label})`, priceKey: `fargate.vcpu-hour.${kind}`, quantity: q(count.base * vcpu * hours, count.peak * vcpu * hours), usageDependent: false, basis }, stack);
      ctx.add({ resource: address, charge: `Fargate memory (${label})`, priceKey: `fargate.gb-hour.${kind}`, quantity: q(count.base * gb * hours, count.peak * gb * hours), usageDependent: false, basis }, stack);
    };
    addTaskLines(onDemand, arch, arch === "arm" ? "ARM" : "x86");
    // Spot (x86 or ARM) floats; the table's Spot figure is the x86 on-demand rate less 70 %.
    addTaskLines(onSpot, "spot", "Spot");
    if (((service.network_configuration ?? {}) as Attributes).assign_public_ip === true) {
      ctx.add({ resource: address, charge: "Public IPv4 per task", priceKey: "ipv4.in-use-hour", quantity: q(tasks.base * hours, tasks.peak * hours), usageDependent: false, basis: `${tasks.base}-${tasks.peak} task(s) × ${round(hours)} h` }, stack);
    }
  }
  for (const [name, cluster] of resourcesOf(stack, "aws_ecs_cluster")) {
    const insights = ((cluster.setting as Attributes[] | undefined) ?? []).some((s) => s.name === "containerInsights" && s.value !== "disabled");
    if (!insights) continue;
    const metrics = ctx.usage.containerInsightsMetricsPerCluster + services * ctx.usage.containerInsightsMetricsPerService;
    ctx.add({ resource: `aws_ecs_cluster.${name}`, charge: "Container Insights metrics", priceKey: "cloudwatch.metric-month", quantity: q(metrics), usageDependent: true, basis: `${ctx.usage.containerInsightsMetricsPerCluster} per cluster + ${ctx.usage.containerInsightsMetricsPerService} × ${services} service(s) (usage file)` }, stack);
  }
}

function priceNetwork(ctx: Context, stack: SynthStack, natCount: number, endpointAzs: number): void {
  for (const [name, lb] of resourcesOf(stack, "aws_lb")) {
    const address = `aws_lb.${name}`;
    const type = lb.load_balancer_type ?? "application";
    if (type !== "application") continue;
    ctx.add({ resource: address, charge: "ALB hours", priceKey: "alb.hour", quantity: q(HOURS_PER_MONTH), usageDependent: false, basis: "730 h" }, stack);
    const lcu = amount(ctx.usage.albLcu);
    ctx.add({ resource: address, charge: "ALB LCU", priceKey: "alb.lcu-hour", quantity: q(lcu.base * HOURS_PER_MONTH, lcu.peak * HOURS_PER_MONTH), usageDependent: true, basis: `${lcu.base}-${lcu.peak} LCU (usage file) × 730 h` }, stack);
    if (lb.internal !== true) {
      const azs = ((lb.subnets as unknown[] | undefined) ?? (lb.subnet_mapping as unknown[] | undefined) ?? []).length || 2;
      ctx.add({ resource: address, charge: "Public IPv4 per ALB AZ", priceKey: "ipv4.in-use-hour", quantity: q(azs * HOURS_PER_MONTH), usageDependent: false, basis: `${azs} AZ(s) × 730 h` }, stack);
    }
  }
  for (const [name] of resourcesOf(stack, "aws_nat_gateway")) {
    const address = `aws_nat_gateway.${name}`;
    ctx.add({ resource: address, charge: "NAT gateway hours", priceKey: "nat.hour", quantity: q(HOURS_PER_MONTH), usageDependent: false, basis: "730 h" }, stack);
    const gb = amount(ctx.usage.natDataGb);
    ctx.add({ resource: address, charge: "NAT data processed", priceKey: "nat.gb", quantity: q(gb.base / natCount, gb.peak / natCount), usageDependent: true, basis: `${gb.base}-${gb.peak} GB (usage file) / ${natCount} gateway(s)` }, stack);
  }
  for (const [name, eip] of resourcesOf(stack, "aws_eip")) {
    if (eip.domain !== undefined && eip.domain !== "vpc") continue;
    ctx.add({ resource: `aws_eip.${name}`, charge: "Public IPv4 (Elastic IP)", priceKey: "ipv4.in-use-hour", quantity: q(HOURS_PER_MONTH), usageDependent: false, basis: "730 h" }, stack);
  }
  for (const [name, ep] of resourcesOf(stack, "aws_vpc_endpoint")) {
    if (ep.vpc_endpoint_type !== "Interface") continue;
    const address = `aws_vpc_endpoint.${name}`;
    const azs = ((ep.subnet_ids as unknown[] | undefined) ?? []).length || 1;
    ctx.add({ resource: address, charge: `Interface endpoint ${String(ep.service_name).split(".").slice(3).join(".")} (per AZ)`, priceKey: "endpoint.az-hour", quantity: q(azs * HOURS_PER_MONTH), usageDependent: false, basis: `${azs} AZ(s) × 730 h` }, stack);
    const gb = amount(ctx.usage.endpointDataGb);
    const share = azs / endpointAzs;
    ctx.add({ resource: address, charge: "Interface endpoint data", priceKey: "endpoint.gb", quantity: q(gb.base * share, gb.peak * share), usageDependent: true, basis: `${gb.base}-${gb.peak} GB (usage file), this endpoint's share` }, stack);
  }
  for (const [name, flow] of resourcesOf(stack, "aws_flow_log")) {
    const gb = amount(ctx.usage.flowLogGb);
    const toS3 = flow.log_destination_type === "s3";
    ctx.add({ resource: `aws_flow_log.${name}`, charge: `Flow logs delivered${toS3 ? " to S3" : ""}`, priceKey: "logs.vended-gb", quantity: gb, usageDependent: true, basis: `${gb.base}-${gb.peak} GB (usage file)` }, stack);
  }
}

function priceDatabases(ctx: Context, stack: SynthStack): void {
  for (const [name, db] of resourcesOf(stack, "aws_db_instance")) {
    const address = `aws_db_instance.${name}`;
    const engine = String(db.engine ?? "postgres");
    const klass = String(db.instance_class);
    const multiAz = db.multi_az === true ? 2 : 1;
    const hours = ctx.databaseHours ?? HOURS_PER_MONTH;
    const scheduled = ctx.databaseHours !== undefined;
    ctx.add({ resource: address, charge: `RDS ${engine} ${klass}${multiAz > 1 ? " Multi-AZ" : ""}`, priceKey: `rds.${engine === "postgres" ? "postgres" : engine}.${klass}`, quantity: q(multiAz * hours), usageDependent: false, basis: `${multiAz} instance(s) × ${round(hours)} h${scheduled ? " (scheduler)" : ""}` }, stack);
    const storage = num(db.allocated_storage, 20);
    const type = String(db.storage_type ?? "gp2");
    ctx.add({ resource: address, charge: `RDS storage ${type}`, priceKey: `rds.storage.${type}`, quantity: q(storage * multiAz, num(db.max_allocated_storage, storage) * multiAz), usageDependent: false, basis: `${storage} GB allocated (peak: max_allocated_storage ${num(db.max_allocated_storage, storage)} GB)` }, stack);
    if (db.manage_master_user_password === true) {
      ctx.add({ resource: address, charge: "Secrets Manager (RDS-managed master password)", priceKey: "secrets.secret-month", quantity: q(1), usageDependent: false, basis: "1 secret" }, stack);
    }
  }
  for (const [name, cluster] of resourcesOf(stack, "aws_rds_cluster")) {
    const address = `aws_rds_cluster.${name}`;
    const scaling = (cluster.serverlessv2_scaling_configuration ?? {}) as Attributes;
    const instances = Object.entries(stack.resources.aws_rds_cluster_instance ?? {}).filter(([, i]) => refsOf(i.cluster_identifier, "aws_rds_cluster").includes(name) || Object.keys(stack.resources.aws_rds_cluster ?? {}).length === 1);
    for (const [iname, instance] of instances) {
      if (instance.instance_class !== "db.serverless") continue;
      const min = num(scaling.min_capacity, 0.5);
      const max = num(scaling.max_capacity, 1);
      ctx.add({ resource: `aws_rds_cluster_instance.${iname}`, charge: "Aurora Serverless v2 ACU", priceKey: "aurora.acu-hour", quantity: q(min * HOURS_PER_MONTH, max * HOURS_PER_MONTH), usageDependent: false, basis: `${min}-${max} ACU × 730 h (this instance)` }, stack);
    }
    const gb = amount(ctx.usage.auroraStorageGb);
    ctx.add({ resource: address, charge: "Aurora storage", priceKey: "aurora.storage", quantity: gb, usageDependent: true, basis: `${gb.base}-${gb.peak} GB (usage file)` }, stack);
    const io = amount(ctx.usage.auroraIoMillions);
    ctx.add({ resource: address, charge: "Aurora I/O", priceKey: "aurora.io-million", quantity: io, usageDependent: true, basis: `${io.base}-${io.peak} million (usage file)` }, stack);
    if (cluster.manage_master_user_password === true) {
      ctx.add({ resource: address, charge: "Secrets Manager (RDS-managed master password)", priceKey: "secrets.secret-month", quantity: q(1), usageDependent: false, basis: "1 secret" }, stack);
    }
  }
}

function priceMonitoring(ctx: Context, stack: SynthStack): void {
  for (const [name, group] of resourcesOf(stack, "aws_cloudwatch_log_group")) {
    const groupName = String(group.name ?? name);
    const override = Object.entries(ctx.usage.logIngestGb.byName ?? {}).find(([k]) => groupName.includes(k));
    const flowLogGroup = Object.values(stack.resources.aws_flow_log ?? {}).some((f) => refsOf(f.log_destination, "aws_cloudwatch_log_group").includes(name));
    const gb = flowLogGroup ? amount(ctx.usage.flowLogGb) : amount(override?.[1] ?? ctx.usage.logIngestGb.default);
    const retention = num(group.retention_in_days, 0);
    const months = retention === 0 ? 12 : retention / (HOURS_PER_MONTH / 24);
    const address = `aws_cloudwatch_log_group.${name}`;
    if (!flowLogGroup) {
      ctx.add({ resource: address, charge: "Logs ingested", priceKey: "logs.ingest-gb", quantity: gb, usageDependent: true, basis: `${gb.base}-${gb.peak} GB/month (usage file) into ${groupName}` }, stack);
    }
    ctx.add({ resource: address, charge: "Logs stored", priceKey: "logs.storage-gb-month", quantity: q(gb.base * months, gb.peak * months), usageDependent: true, basis: `monthly ingest × ${retention || "no expiry: 365"} days retained` }, stack);
  }
  for (const [name, alarm] of resourcesOf(stack, "aws_cloudwatch_metric_alarm")) {
    const metrics = Math.max(1, ((alarm.metric_query as unknown[] | undefined) ?? []).filter((m) => (m as Attributes).metric !== undefined).length);
    ctx.add({ resource: `aws_cloudwatch_metric_alarm.${name}`, charge: "Alarm", priceKey: "cloudwatch.alarm-metric-month", quantity: q(metrics), usageDependent: false, basis: `${metrics} metric(s)` }, stack);
  }
  for (const [name] of resourcesOf(stack, "aws_cloudwatch_dashboard")) {
    ctx.add({ resource: `aws_cloudwatch_dashboard.${name}`, charge: "Dashboard", priceKey: "cloudwatch.dashboard-month", quantity: q(1), usageDependent: false, basis: "1 dashboard" }, stack);
  }
  for (const [name, sub] of resourcesOf(stack, "aws_sns_topic_subscription")) {
    if (sub.protocol !== "email" && sub.protocol !== "email-json") continue;
    const n = amount(ctx.usage.snsEmails);
    ctx.add({ resource: `aws_sns_topic_subscription.${name}`, charge: "SNS e-mail notifications", priceKey: "sns.email-100k", quantity: q(n.base / 100_000, n.peak / 100_000), usageDependent: true, basis: `${n.base}-${n.peak} e-mails (usage file)` }, stack);
  }
  for (const [name] of resourcesOf(stack, "aws_budgets_budget")) {
    ctx.add({ resource: `aws_budgets_budget.${name}`, charge: "Budget", priceKey: "budgets.budget-month", quantity: q(1), usageDependent: false, basis: "1 budget" }, stack);
  }
}

function priceEdgeAndSecurity(ctx: Context, stack: SynthStack): void {
  for (const [name, acl] of resourcesOf(stack, "aws_wafv2_web_acl")) {
    const address = `aws_wafv2_web_acl.${name}`;
    const rules = (acl.rule as Attributes[] | undefined) ?? [];
    const managed = rules.filter((r) => (r.statement as Attributes | undefined)?.managed_rule_group_statement !== undefined).length;
    ctx.add({ resource: address, charge: "WAF web ACL", priceKey: "waf.acl-month", quantity: q(1), usageDependent: false, basis: "1 web ACL" }, stack);
    ctx.add({ resource: address, charge: `WAF rules (${rules.length - managed} own + ${managed} managed groups)`, priceKey: "waf.rule-month", quantity: q(rules.length), usageDependent: false, basis: `${rules.length} rule(s)` }, stack);
    const requests = amount(ctx.usage.wafRequestsMillions);
    ctx.add({ resource: address, charge: "WAF requests", priceKey: "waf.request-million", quantity: requests, usageDependent: true, basis: `${requests.base}-${requests.peak} million (usage file)` }, stack);
  }
  for (const [name] of resourcesOf(stack, "aws_route53_zone")) {
    ctx.add({ resource: `aws_route53_zone.${name}`, charge: "Route 53 hosted zone", priceKey: "route53.zone-month", quantity: q(1), usageDependent: false, basis: "1 zone" }, stack);
  }
  for (const [name] of resourcesOf(stack, "aws_kms_key")) {
    ctx.add({ resource: `aws_kms_key.${name}`, charge: "KMS key", priceKey: "kms.key-month", quantity: q(1), usageDependent: false, basis: "1 customer managed key" }, stack);
  }
  for (const [name] of resourcesOf(stack, "aws_secretsmanager_secret")) {
    ctx.add({ resource: `aws_secretsmanager_secret.${name}`, charge: "Secrets Manager secret", priceKey: "secrets.secret-month", quantity: q(1), usageDependent: false, basis: "1 secret" }, stack);
  }
}

function priceStorage(ctx: Context, stack: SynthStack): void {
  const perResource = (type: string, charge: string, key: string, a: Amount) => {
    for (const [name] of resourcesOf(stack, type)) {
      const gb = amount(a);
      ctx.add({ resource: `${type}.${name}`, charge, priceKey: key, quantity: gb, usageDependent: true, basis: `${gb.base}-${gb.peak} GB (usage file)` }, stack);
    }
  };
  perResource("aws_ecr_repository", "ECR storage", "ecr.storage-gb-month", ctx.usage.ecrStorageGb);
  perResource("aws_s3_bucket", "S3 Standard storage", "s3.standard-gb-month", ctx.usage.s3StorageGb);
  perResource("aws_efs_file_system", "EFS Standard storage", "efs.standard-gb-month", ctx.usage.efsStorageGb);
  perResource("aws_backup_vault", "AWS Backup warm storage", "backup.warm-gb-month", ctx.usage.backupStorageGb);
  for (const [name, table] of resourcesOf(stack, "aws_dynamodb_table")) {
    const address = `aws_dynamodb_table.${name}`;
    if (table.billing_mode !== "PAY_PER_REQUEST") continue;
    const w = amount(ctx.usage.dynamodbWritesMillions);
    const r = amount(ctx.usage.dynamodbReadsMillions);
    const s = amount(ctx.usage.dynamodbStorageGb);
    ctx.add({ resource: address, charge: "DynamoDB writes", priceKey: "dynamodb.write-million", quantity: w, usageDependent: true, basis: "usage file" }, stack);
    ctx.add({ resource: address, charge: "DynamoDB reads", priceKey: "dynamodb.read-million", quantity: r, usageDependent: true, basis: "usage file" }, stack);
    ctx.add({ resource: address, charge: "DynamoDB storage", priceKey: "dynamodb.storage-gb-month", quantity: s, usageDependent: true, basis: "usage file" }, stack);
  }
}

function priceServerlessAndEc2(ctx: Context, stack: SynthStack): void {
  for (const [name, fn] of resourcesOf(stack, "aws_lambda_function")) {
    const address = `aws_lambda_function.${name}`;
    const fromScheduler = ctx.schedulerInvocations.get(`${stack.name}/${name}`);
    const fromRules = ctx.ruleInvocations.get(`${stack.name}/${name}`);
    const scheduled = fromScheduler === undefined && fromRules === undefined ? undefined : (fromScheduler ?? 0) + (fromRules ?? 0);
    const invocations = scheduled !== undefined ? q(scheduled) : amount(ctx.usage.lambdaInvocations);
    const gb = num(fn.memory_size, 128) / 1024;
    const arch = ((fn.architectures as string[] | undefined) ?? ["x86_64"])[0] === "arm64" ? "arm" : "x86";
    const basis = scheduled !== undefined ? `${round(scheduled)} scheduled invocations` : `${invocations.base}-${invocations.peak} invocations (usage file)`;
    ctx.add({ resource: address, charge: "Lambda requests", priceKey: "lambda.request-million", quantity: q(invocations.base / 1e6, invocations.peak / 1e6), usageDependent: scheduled === undefined, basis }, stack);
    const seconds = ctx.usage.lambdaSeconds;
    ctx.add({ resource: address, charge: `Lambda duration (${arch})`, priceKey: `lambda.gb-second.${arch}`, quantity: q(invocations.base * gb * seconds, invocations.peak * gb * seconds), usageDependent: true, basis: `${basis} × ${gb} GB × ${seconds} s (usage file)` }, stack);
    if (fromScheduler !== undefined) {
      ctx.add({ resource: address, charge: "EventBridge Scheduler invocations", priceKey: "scheduler.invocation-million", quantity: q(fromScheduler / 1e6), usageDependent: false, basis: `${round(fromScheduler)} firings of its schedules` }, stack);
    }
  }
  for (const [name, instance] of resourcesOf(stack, "aws_instance")) {
    const address = `aws_instance.${name}`;
    const template = stack.resources.aws_launch_template?.[refsOf(instance.launch_template, "aws_launch_template")[0] ?? ""];
    const type = String(instance.instance_type ?? template?.instance_type ?? "t3.micro");
    ctx.add({ resource: address, charge: `EC2 ${type}`, priceKey: `ec2.${type}`, quantity: q(HOURS_PER_MONTH), usageDependent: false, basis: "730 h" }, stack);
    const devices = [
      ...(((instance.root_block_device ? [instance.root_block_device] : []) as Attributes[]).map((d) => ({ size: d.volume_size, type: d.volume_type }))),
      ...(((template?.block_device_mappings as Attributes[] | undefined) ?? []).map((m) => (m.ebs ?? {}) as Attributes).map((e) => ({ size: e.volume_size, type: e.volume_type }))),
    ];
    // An unset root volume size is the AMI's (Amazon Linux 2023: 8 GB).
    const gb = num(devices[0]?.size, 8);
    ctx.add({ resource: address, charge: "EBS gp3 root volume", priceKey: "ebs.gp3-gb-month", quantity: q(gb), usageDependent: devices[0]?.size === undefined, basis: `${gb} GB${devices[0]?.size === undefined ? " (AMI default, assumed)" : ""}` }, stack);
    if (instance.associate_public_ip_address === true) {
      ctx.add({ resource: address, charge: "Public IPv4 (instance)", priceKey: "ipv4.in-use-hour", quantity: q(HOURS_PER_MONTH), usageDependent: false, basis: "730 h" }, stack);
    }
  }
}

/** Prices every stack; stacks of one environment share its usage file and schedules. */
export function estimate(stacks: readonly SynthStack[], table: PriceTable, options: EstimateOptions = {}): Estimate {
  const byEnvironment = new Map<string, SynthStack[]>();
  for (const s of stacks) byEnvironment.set(s.environment, [...(byEnvironment.get(s.environment) ?? []), s]);
  const environments: Record<string, EnvironmentEstimate> = {};
  for (const [environment, envStacks] of byEnvironment) {
    const lines: CostLine[] = [];
    const ctx = contextOf(environment, envStacks, table, options, lines);
    const natCount = sum(envStacks.map((s) => Object.keys(s.resources.aws_nat_gateway ?? {}).length)) || 1;
    const endpointAzs =
      sum(envStacks.flatMap((s) => Object.values(s.resources.aws_vpc_endpoint ?? {}).filter((e) => e.vpc_endpoint_type === "Interface").map((e) => ((e.subnet_ids as unknown[]) ?? []).length || 1))) || 1;
    for (const stack of envStacks) {
      priceEcs(ctx, stack);
      priceNetwork(ctx, stack, natCount, endpointAzs);
      priceDatabases(ctx, stack);
      priceMonitoring(ctx, stack);
      priceEdgeAndSecurity(ctx, stack);
      priceStorage(ctx, stack);
      priceServerlessAndEc2(ctx, stack);
    }
    const stacksTotals: Record<string, Totals> = {};
    for (const stack of envStacks) {
      const mine = lines.filter((l) => l.stack === stack.name);
      stacksTotals[stack.name] = { base: round(sum(mine.map((l) => l.base))), peak: round(sum(mine.map((l) => l.peak))) };
    }
    environments[environment] = {
      base: round(sum(lines.map((l) => l.base))),
      peak: round(sum(lines.map((l) => l.peak))),
      stacks: stacksTotals,
      lines,
    };
  }
  return { environments };
}
