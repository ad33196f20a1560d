import {
  CONSTRUCT_KEY_PATTERN,
  ConfigError,
  REGION_AZ_LETTERS,
  Validator,
  checkLogRetention,
  isRegionName,
  RESERVED_BUCKET_PREFIXES,
  bucketNameProblem,
  cidrPrefix,
  isValidCidr,
  isValidIpv6Cidr,
  parseCidr,
  regionFix,
  type ConfigIssue,
} from "@platform/core";
import { domainNameProblem } from "@platform/edge";
import { runbookUrlProblem } from "@platform/monitoring";
import { ALARM_THRESHOLD_DEFAULTS, AUTO_SCALING_TARGET_DEFAULTS } from "../monitoring-defaults";
import { resolveNetworkLayout } from "@platform/network";
import { cronProblem, isKnownTimeZone } from "@platform/scheduler";
import { ANYWHERE_CIDRS } from "@platform/security";
import { normalizeOrigin } from "@platform/storage";
import {
  POSTGRES_MAJORS,
  RDS_POSTGRES_INSTANCE_CLASSES,
  RESERVED_POSTGRES_USER_NAMES,
  TAG_CHARACTERS,
  TAG_KEY_MAX,
  TAG_VALUE_MAX,
  isEc2InstanceType,
  isRdsPostgresInstanceClass,
} from "./aws-tables";
import { ALLOWLIST_MIN_PREFIX, coveredAddresses, isRfc1918, overlapsNonInternetRange } from "./network-ranges";
import { checkCompute } from "./compute-rules";
import { type Raw, arrayOf, entriesOf, isNumber, isObject, isString } from "./raw";

/**
 * Rules over one environment's raw config that a shape cannot express: tables of AWS values,
 * fields compared with each other, and settings that are valid AWS but wrong. Every rule reads
 * the raw input defensively (the shape check reports type errors separately), so one pass
 * reports every problem.
 */

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
/** An environment name is a stack-name part (`STACK_NAME_PART` of the stack factory), at most 20 characters. */
const ENV_NAME_PATTERN = /^[a-z][a-z0-9]{0,19}$/;
const EMAIL = /^[^@\s]+@([a-z0-9-]+\.)+[a-z]{2,}$/i;




/** Every issue of one environment's rules, with fields `<env>.<path>`. */
export function environmentRuleIssues(config: Raw): ConfigIssue[] {
  const envName = isString(config?.environment?.name) && config.environment.name ? config.environment.name : "?";
  const v = new Validator(envName);
  const env = config?.environment ?? {};
  checkEnvironment(v, env);
  const azCount = checkNetwork(v, config?.network, env.region);
  checkRegistry(v, config?.registry);
  checkSecurity(v, config?.security);
  checkStorage(v, config?.storage);
  checkDatabase(v, config?.database, azCount);
  checkDatabaseRecovery(v, config?.database, env.region);
  checkCompute(v, config?.compute, config?.registry, env);
  checkScheduler(v, config?.scheduler, config?.database);
  checkEdge(v, config?.edge);
  checkMonitoring(v, config?.monitoring, config?.compute);
  checkBastion(v, config?.bastion);
  checkTeardown(v, config);
  return issuesOf(v);
}

/** The issues a Validator collected (it only exposes them by throwing). */
function issuesOf(v: Validator): ConfigIssue[] {
  try {
    v.throwIfAny();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

function checkEnvironment(v: Validator, env: Raw): void {
  const project = env.project;
  if (v.check(isString(project) && NAME_PATTERN.test(project), "environment.project", project, 'must be 1-20 lower-case letters, digits and hyphens, starting with a letter (e.g. "myapp").')) {
    const reserved = RESERVED_BUCKET_PREFIXES.find((p) => `${project}-`.startsWith(p));
    v.check(reserved === undefined, "environment.project", project, `starts every bucket name, and S3 reserves the prefix "${reserved}"; choose another project name.`);
  }
  v.check(isString(env.name) && ENV_NAME_PATTERN.test(env.name), "environment.name", env.name, 'must be 1-20 lower-case letters and digits, starting with a letter (e.g. "staging"): stacks are named <env>-<layer> and tools split the name on its last hyphen.');
  v.check(isRegionName(env.region), "environment.region", env.region, regionFix(env.region));
  v.check(isString(env.accountId) && /^\d{12}$/.test(env.accountId), "environment.accountId", env.accountId, "must be the 12-digit ID of the AWS account (`aws sts get-caller-identity --query Account`).");
  const bucket = env.state?.bucket;
  const bucketProblem = isString(bucket) ? bucketNameProblem(bucket) : "must be a string";
  v.check(bucketProblem === undefined, "environment.state.bucket", bucket, `${bucketProblem}; use the state bucket apps/bootstrap created.`);
  v.check(isString(env.state?.lockTable) && /^[A-Za-z0-9_.-]{3,255}$/.test(env.state.lockTable), "environment.state.lockTable", env.state?.lockTable, "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -).");
  if (env.state?.region !== undefined) v.check(isRegionName(env.state.region), "environment.state.region", env.state.region, regionFix(env.state.region));
  for (const [key, value] of entriesOf(env.tags)) {
    const field = `environment.tags.${key}`;
    v.check(!/^aws:/i.test(key), field, key, 'starts with "aws:", a prefix AWS reserves for its own tags; rename the key.');
    v.check(!["project", "environment", "stack", "managed-by"].includes(key), field, key, "is set by the platform on every resource; remove it.");
    v.check(key.length >= 1 && key.length <= TAG_KEY_MAX && TAG_CHARACTERS.test(key), field, key, `tag keys are 1-${TAG_KEY_MAX} letters, digits, spaces and _ . : / = + - @.`);
    v.check(isString(value) && value.length <= TAG_VALUE_MAX && TAG_CHARACTERS.test(value), field, value, `tag values are at most ${TAG_VALUE_MAX} letters, digits, spaces and _ . : / = + - @; shorten it.`);
  }
}

/** Checks the network; returns the AZ count when it is usable, for the rules that depend on it. */
function checkNetwork(v: Validator, network: Raw, region: unknown): number | undefined {
  if (!isObject(network)) return undefined;
  const cidr = network.vpcCidr;
  let cidrOk = false;
  if (isString(cidr) && cidr.startsWith("169.254.")) {
    v.fail("network.vpcCidr", cidr, "is link-local (169.254.0.0/16), which AWS refuses for VPCs; use an RFC 1918 block such as 10.1.0.0/16.");
  } else if (v.check(isString(cidr) && isValidCidr(cidr), "network.vpcCidr", cidr, 'is not an IPv4 network in CIDR form (no host bits set), e.g. "10.1.0.0/16".')) {
    const prefix = parseCidr(cidr)!.prefix;
    const sized = v.check(prefix >= 16 && prefix <= 28, "network.vpcCidr", cidr, "must be between /16 and /28, the sizes AWS allows for a VPC block.");
    cidrOk = sized && v.check(isRfc1918(cidr), "network.vpcCidr", cidr, "is outside the RFC 1918 private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); public space in a VPC breaks routing to whoever owns it.");
  }
  const letters = isRegionName(region as string) ? REGION_AZ_LETTERS[region as string]! : undefined;
  const count = network.availabilityZoneCount;
  const max = letters?.length ?? 3;
  const countOk = v.check(
    Number.isInteger(count) && count >= 2 && count <= max,
    "network.availabilityZoneCount",
    count,
    count === 1
      ? "must be at least 2: the load balancer and the database subnet group each need subnets in two availability zones."
      : `must be between 2 and ${max}${letters ? `: ${region as string} offers ${letters.map((l) => `${region as string}${l}`).join(", ")}` : ""}.`,
  );
  if (cidrOk && countOk && letters) {
    // The network construct's own checks (subnets, endpoints, flow logs), reported under this config path.
    try {
      resolveNetworkLayout("network", {
        namePrefix: "x",
        region: region as string,
        availabilityZones: letters.slice(0, count).map((l) => `${region as string}${l}`),
        vpcCidr: cidr,
        natMode: network.natMode,
        publicSubnetCidrs: network.publicSubnetCidrs,
        privateSubnetCidrs: network.privateSubnetCidrs,
        interfaceEndpoints: network.interfaceEndpoints,
        interfaceEndpointAzCount: network.interfaceEndpointAzCount,
        flowLogs: network.flowLogs,
        ipv6: network.ipv6,
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) v.fail(issue.field, issue.value, issue.fix);
    }
  }
  return countOk ? count : undefined;
}

function checkRegistry(v: Validator, registry: Raw): void {
  const names = arrayOf(registry?.repositories);
  if (Array.isArray(registry?.repositories)) {
    v.check(names.length > 0, "registry.repositories", names, 'must name at least one repository, one per service (e.g. ["web", "api"]).');
  }
  names.forEach((name, i) => {
    v.check(isString(name) && CONSTRUCT_KEY_PATTERN.test(name), `registry.repositories[${i}]`, name, 'must be 1-31 lower-case letters, digits and hyphens, starting with a letter (e.g. "web").');
  });
  v.check(new Set(names).size === names.length, "registry.repositories", names, "lists a repository twice; list each once.");
  const kept = registry?.repositoryNames;
  if (kept && typeof kept === "object") {
    for (const [key, name] of Object.entries(kept as Record<string, unknown>)) {
      v.check(names.includes(key), `registry.repositoryNames.${key}`, name, `names no repository of registry.repositories (${names.join(", ")}); use one of those keys.`);
      v.check(isString(name) && /^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(name) && name.length <= 256, `registry.repositoryNames.${key}`, name, 'must be a valid ECR repository name (lower-case letters, digits, "._/-" separators), e.g. "legacy-web".');
    }
  }
}

function checkSecurity(v: Validator, security: Raw): void {
  const cidrs = security?.albIngress?.allowedCidrs;
  if (!Array.isArray(cidrs)) return;
  const field = "security.albIngress.allowedCidrs";
  v.check(cidrs.length > 0, field, cidrs, 'is empty, so nobody could reach the load balancer; list the office/VPN CIDRs, or use "allowlist-variable".');
  const v4: string[] = [];
  cidrs.forEach((cidr: unknown, i: number) => {
    const f = `${field}[${i}]`;
    if (!isString(cidr)) return v.fail(f, cidr, "must be a CIDR string such as 203.0.113.10/32.");
    if ((ANYWHERE_CIDRS as readonly string[]).includes(cidr)) {
      return v.fail(f, cidr, 'opens the load balancer to the whole internet; use albIngress: "public" (behind the WAF) instead.');
    }
    if (isValidCidr(cidr)) {
      v4.push(cidr);
      const privateRange = overlapsNonInternetRange(cidr);
      if (privateRange) {
        return v.fail(f, cidr, `overlaps ${privateRange}, which never reaches an internet-facing load balancer (tasks and VPN users arrive with public addresses); list the public egress IPs of the office or VPN.`);
      }
      const prefix = parseCidr(cidr)!.prefix;
      return void v.check(prefix >= ALLOWLIST_MIN_PREFIX.ipv4, f, cidr, `is wider than /${ALLOWLIST_MIN_PREFIX.ipv4} (${2 ** (32 - prefix)} addresses), which admits whole providers; list your own egress ranges, or use albIngress: "public" behind the WAF.`);
    }
    if (isValidIpv6Cidr(cidr)) {
      const prefix = cidrPrefix(cidr)!;
      return void v.check(prefix >= ALLOWLIST_MIN_PREFIX.ipv6, f, cidr, `is wider than /${ALLOWLIST_MIN_PREFIX.ipv6} (one site); list your own ranges, or use albIngress: "public" behind the WAF.`);
    }
    v.fail(f, cidr, "is not a valid CIDR network address; write e.g. 203.0.113.10/32 (no host bits set).");
  });
  v.check(new Set(cidrs).size === cidrs.length, field, cidrs, "lists a CIDR twice; list each once.");
  v.check(coveredAddresses(v4) < 2 ** 32, field, v4, 'together covers the whole IPv4 internet; use albIngress: "public" (behind the WAF) if that is what you mean.');
}

function checkStorage(v: Validator, storage: Raw): void {
  arrayOf(storage?.corsOrigins).forEach((origin, i) => {
    v.check(isString(origin) && normalizeOrigin(origin) !== undefined, `storage.corsOrigins[${i}]`, origin, 'must be an exact https origin like "https://app.example.com" (no "*", no http://, no path or trailing slash).');
  });
  const lifecycle = storage?.lifecycle;
  if (isObject(lifecycle) && isNumber(lifecycle.expirationDays) && isNumber(lifecycle.transitionToInfrequentAccessDays)) {
    v.check(lifecycle.expirationDays > lifecycle.transitionToInfrequentAccessDays, "storage.lifecycle.expirationDays", lifecycle.expirationDays, `must be later than transitionToInfrequentAccessDays (${lifecycle.transitionToInfrequentAccessDays}).`);
  }
  if (isObject(lifecycle) && storage.versioned === true && isNumber(lifecycle.noncurrentTransitionToInfrequentAccessDays)) {
    // The construct expires noncurrent versions after 90 days unless told otherwise.
    const expiry = isNumber(lifecycle.noncurrentExpirationDays) ? lifecycle.noncurrentExpirationDays : 90;
    v.check(
      expiry > lifecycle.noncurrentTransitionToInfrequentAccessDays,
      "storage.lifecycle.noncurrentExpirationDays",
      expiry,
      `must be later than noncurrentTransitionToInfrequentAccessDays (${lifecycle.noncurrentTransitionToInfrequentAccessDays})${lifecycle.noncurrentExpirationDays === undefined ? "; the default is 90, so set it explicitly" : ""}.`,
    );
  }
  if (isObject(lifecycle) && storage.versioned === false) {
    for (const key of ["noncurrentTransitionToInfrequentAccessDays", "noncurrentExpirationDays"]) {
      v.check(lifecycle[key] === undefined, `storage.lifecycle.${key}`, lifecycle[key], "applies to versioned buckets only; set versioned: true or remove it.");
    }
  }
  if (isObject(storage?.albAccessLogs)) checkLogRetention(v, "storage.albAccessLogs.retentionDays", storage.albAccessLogs.retentionDays);
}

function checkDatabase(v: Validator, db: Raw, azCount: number | undefined): void {
  if (!isObject(db)) return;
  const version = db.engineVersion;
  const match = isString(version) ? /^(\d{1,2})(\.\d{1,2})?$/.exec(version) : null;
  if (v.check(match !== null, "database.engineVersion", version, 'is not a PostgreSQL version; write the major ("17") or major.minor ("17.7").')) {
    const major = Number(match![1]);
    v.check((POSTGRES_MAJORS as readonly number[]).includes(major), "database.engineVersion", version, `has the major ${major}, which RDS does not offer in standard support; use one of ${POSTGRES_MAJORS.join(", ")}.`);
  }
  const user = db.masterUsername;
  if (user !== undefined) {
    if (v.check(isString(user) && /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(user), "database.masterUsername", user, 'must start with a letter and hold up to 63 letters, digits or underscores, e.g. "dbadmin".')) {
      v.check(!RESERVED_POSTGRES_USER_NAMES.has(user.toLowerCase()) && !/^(pg_|rds)/i.test(user), "database.masterUsername", user, 'is a PostgreSQL reserved word or a role RDS keeps (RDS refuses it at apply); use e.g. "dbadmin".');
    }
  }
  const dbName = db.databaseName;
  if (v.check(isString(dbName) && /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(dbName), "database.databaseName", dbName, "must start with a letter and hold up to 63 letters, digits or underscores.")) {
    v.check(!RESERVED_POSTGRES_USER_NAMES.has(dbName.toLowerCase()) && !/^template[01]$/i.test(dbName), "database.databaseName", dbName, 'is a PostgreSQL reserved word or template database; use e.g. "appdb".');
  }
  if (db.logRetentionDays !== undefined) checkLogRetention(v, "database.logRetentionDays", db.logRetentionDays);
  const pi = db.performanceInsightsRetentionDays;
  if (pi !== undefined) {
    v.check(pi === 7 || pi === 731 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 713), "database.performanceInsightsRetentionDays", pi, "must be 7 (free tier), a multiple of 31 up to 713, or 731.");
  }
  if (db.kind === "rds-postgres") {
    const cls = db.instanceClass;
    if (isString(cls) && !isRdsPostgresInstanceClass(cls)) {
      const family = cls.slice(0, cls.lastIndexOf("."));
      const sizes = RDS_POSTGRES_INSTANCE_CLASSES[family];
      v.fail(
        "database.instanceClass",
        cls,
        sizes
          ? `is not a size of ${family} for PostgreSQL; use one of ${sizes.map((s) => `${family}.${s}`).join(", ")}.`
          : `is not an RDS for PostgreSQL instance class; write e.g. "db.t4g.micro" (families: ${Object.keys(RDS_POSTGRES_INSTANCE_CLASSES).join(", ")}).`,
      );
    }
    if (isNumber(db.maxAllocatedStorageGiB) && isNumber(db.allocatedStorageGiB)) {
      v.check(db.maxAllocatedStorageGiB >= db.allocatedStorageGiB, "database.maxAllocatedStorageGiB", db.maxAllocatedStorageGiB, `must be at least allocatedStorageGiB (${db.allocatedStorageGiB}); equal turns storage autoscaling off.`);
    }
  }
  if (db.kind === "aurora-serverless-v2") {
    for (const key of ["minAcu", "maxAcu"]) {
      const acu = db[key];
      if (isNumber(acu)) v.check(Number.isInteger(acu * 2), `database.${key}`, acu, "must be a multiple of 0.5 ACU.");
    }
    if (isNumber(db.minAcu) && isNumber(db.maxAcu)) {
      v.check(db.minAcu <= db.maxAcu, "database.minAcu", db.minAcu, `is greater than maxAcu (${db.maxAcu}); set minAcu <= maxAcu.`);
    }
    if (db.reader === true && azCount !== undefined) {
      v.check(azCount >= 2, "database.reader", true, "needs a second availability zone; set network.availabilityZoneCount to 2 or turn the reader off.");
    }
  }
}

/** `teardown: "allowed"` must be able to finish: nothing on the way may refuse deletion. */
function checkTeardown(v: Validator, plan: Raw): void {
  if (plan?.teardown !== "allowed") return;
  v.check(plan?.database?.deletionProtection === false, "database.deletionProtection", plan?.database?.deletionProtection, 'must be false when teardown is "allowed" (the destroy would stop at the database); or set teardown to "protected".');
  v.check(plan?.compute?.albDeletionProtection === false, "compute.albDeletionProtection", plan?.compute?.albDeletionProtection, 'must be false when teardown is "allowed" (the destroy would stop at the load balancer); or set teardown to "protected".');
  v.check(plan?.registry?.forceDelete !== false, "registry.forceDelete", false, 'contradicts teardown "allowed" (repositories holding images refuse deletion); remove it.');
}

/** A backup copy goes to a second region; a restore comes with a new identifier. */
function checkDatabaseRecovery(v: Validator, db: Raw, region: unknown): void {
  const copy = db?.awsBackup?.copyRegion;
  if (copy !== undefined) {
    if (v.check(isRegionName(copy), "database.awsBackup.copyRegion", copy, regionFix(copy))) {
      v.check(copy !== region, "database.awsBackup.copyRegion", copy, `is the environment's own region; name a second region (e.g. "ap-northeast-3") so the copy survives a region outage.`);
    }
  }
  if (db?.restoreFrom !== undefined) {
    v.check(isString(db.identifier), "database.identifier", db.identifier, 'must be set to a NEW identifier when restoreFrom is (the restore creates a new database next to the old one), e.g. "acme-prod-aurora-r20261130".');
  }
}

function checkScheduler(v: Validator, scheduler: Raw, database: Raw): void {
  if (!isObject(scheduler)) return;
  for (const key of ["start", "stop"]) {
    const expression = scheduler[key];
    if (!isString(expression)) continue;
    const problem = cronProblem(expression);
    v.check(problem === undefined, `scheduler.${key}`, expression, `${problem}; write cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. cron(0 22 ? * MON-FRI *).`);
  }
  if (isString(scheduler.start) && isString(scheduler.stop)) {
    v.check(scheduler.start.trim() !== scheduler.stop.trim(), "scheduler.stop", scheduler.stop, "is the same time as start; services would stop as soon as they start.");
  }
  if (isString(scheduler.timeZone)) v.check(isKnownTimeZone(scheduler.timeZone), "scheduler.timeZone", scheduler.timeZone, 'is not an IANA time zone; write e.g. "Asia/Tokyo" or "UTC".');
  if (scheduler.stopDatabase === true && database?.kind === "aurora-serverless-v2") {
    v.fail(
      "scheduler.stopDatabase",
      true,
      "only stops an RDS instance; Aurora Serverless v2 is not stopped on a schedule. Remove stopDatabase and set database.minAcu: 0 to let Aurora pause when idle.",
    );
  }
}

function checkEdge(v: Validator, edge: Raw): void {
  if (!isObject(edge)) return;
  const problem = isString(edge.domain) ? domainNameProblem(edge.domain) : undefined;
  v.check(problem === undefined, "edge.domain", edge.domain, `${problem} (write the apex domain as Route 53 shows it, e.g. "example.com").`);
  if (isNumber(edge.wafLogRetentionDays)) checkLogRetention(v, "edge.wafLogRetentionDays", edge.wafLogRetentionDays);
}

function checkMonitoring(v: Validator, monitoring: Raw, compute: Raw): void {
  const emails = arrayOf(monitoring?.alarmEmails);
  emails.forEach((email, i) => {
    v.check(isString(email) && EMAIL.test(email), `monitoring.alarmEmails[${i}]`, email, 'must be an e-mail address such as "ops@example.com".');
  });
  v.check(new Set(emails).size === emails.length, "monitoring.alarmEmails", emails, "lists an address twice; list each once.");
  if (!isObject(monitoring)) return;
  const thresholds = isObject(monitoring.thresholds) ? monitoring.thresholds : {};
  for (const key of ["serviceCpuPercent", "serviceMemoryPercent", "target4xxPercent"] as const) {
    const value = thresholds[key];
    if (value !== undefined) {
      v.check(isNumber(value) && value > 0 && value < 100, `monitoring.thresholds.${key}`, value, "must be a percentage greater than 0 and less than 100.");
    }
  }
  for (const key of ["databaseReadLatencyMs", "databaseWriteLatencyMs", "databaseFreeStorageGiB", "natGbPerHour"] as const) {
    const value = thresholds[key];
    if (value !== undefined) v.check(isNumber(value) && value > 0, `monitoring.thresholds.${key}`, value, "must be greater than 0.");
  }
  // An alarm at or below the scaler's target fires under normal scaled load (seed 000 alarms at 85 % over an 80 % target).
  if ((monitoring.alarmSet ?? "full") === "full") {
    for (const [metric, key, targetKey] of [
      ["CPU", "serviceCpuPercent", "cpuTargetPercent"],
      ["memory", "serviceMemoryPercent", "memoryTargetPercent"],
    ] as const) {
      const threshold = thresholds[key] ?? ALARM_THRESHOLD_DEFAULTS[key];
      if (!isNumber(threshold)) continue;
      for (const [name, service] of entriesOf(compute?.services)) {
        const scaling = service?.autoScaling;
        if (!isObject(scaling) || scaling[targetKey] === false) continue;
        const target = scaling[targetKey] ?? AUTO_SCALING_TARGET_DEFAULTS[targetKey];
        if (!isNumber(target)) continue;
        v.check(
          threshold > target,
          `monitoring.thresholds.${key}`,
          threshold,
          `must exceed compute.services.${name}.autoScaling.${targetKey} (${target} %): at or below the scaler's ${metric} target the alarm fires under normal scaled load; set it to e.g. ${Math.min(99, target + 5)}.`,
        );
      }
    }
  }
  const budget = monitoring.monthlyBudgetUsd;
  if (budget !== undefined) {
    v.check(isNumber(budget) && budget > 0, "monitoring.monthlyBudgetUsd", budget, "must be the monthly limit in US dollars, greater than 0 (read `pnpm cost` for the expected spend).");
  }
  const url = monitoring.runbookUrl;
  if (url !== undefined) {
    const problem = isString(url) ? runbookUrlProblem(url) : "must be a string";
    v.check(problem === undefined, "monitoring.runbookUrl", url, problem ?? "");
  }
}

function checkBastion(v: Validator, bastion: Raw): void {
  const type = bastion?.instanceType;
  if (!isString(type)) return;
  v.check(isEc2InstanceType(type), "bastion.instanceType", type, 'is not an EC2 instance type; write e.g. "t3.nano" or "t4g.nano".');
}
