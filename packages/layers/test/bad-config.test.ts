import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, synthesizeApp, type ConfigIssue } from "@platform/core";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { RESERVED_SERVICE_KEYS } from "../src/config/compute-rules";
import { buildEnvironment, type AuroraServerlessConfig, type EnvironmentLayersConfig, type ServiceConfig } from "../src/index";
import { minimalConfig, configWith } from "./fixtures";

/*
 * Every bad input tried against the environment config, as a table: what was wrong, the config
 * path reported, the value reported and the fix. Each row must fail synth with a ConfigError
 * naming that path, and write nothing. Rows marked (silent) passed synth before this table
 * existed; rows marked (misleading) were reported on a construct path or as a raw error.
 */

const good = minimalConfig;
const web = minimalConfig.compute.services.web!;
const api: ServiceConfig = { ...web, route: { priority: 10, pathPatterns: ["/api/*"] } };

const aurora: AuroraServerlessConfig = {
  kind: "aurora-serverless-v2",
  engineVersion: "17.7",
  minAcu: 0.5,
  maxAcu: 2,
  reader: false,
  databaseName: "app",
  backupRetentionDays: 7,
};
const edge = { domain: "example.com", wafRateLimitPer5Minutes: 2000, wafLogRetentionDays: 30 };
const scheduler = { start: "cron(0 9 ? * MON-FRI *)", stop: "cron(0 22 ? * MON-FRI *)" };

/** A deep copy of `minimalConfig` with the value at a dotted path replaced (`undefined` deletes it). */
function set(path: string, value: unknown, base: EnvironmentLayersConfig = good): EnvironmentLayersConfig {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  const keys = path.split(".");
  let node = config;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return config as unknown as EnvironmentLayersConfig;
}

/** `minimalConfig` whose only service has some fields replaced. */
function withService(overrides: Record<string, unknown>): EnvironmentLayersConfig {
  return set("compute.services.web", { ...web, ...overrides });
}

/** `minimalConfig` with more services (each gets a repository). */
function withServices(services: Record<string, unknown>): EnvironmentLayersConfig {
  return configWith({
    registry: { ...good.registry, repositories: Object.keys(services) },
    compute: { ...good.compute, services: services as Record<string, ServiceConfig> },
  });
}

const NO_VALUE = Symbol("no value check");
type Row = readonly [what: string, config: EnvironmentLayersConfig, field: string, value: unknown, fix: RegExp];

/** A row whose reported field is `staging.<path>` and whose reported value is the value set there. */
function at(what: string, path: string, value: unknown, fix: RegExp): Row {
  return [what, set(path, value), `staging.${path}`, value, fix];
}

const rows: Row[] = [
  // environment
  at("an empty project", "environment.project", "", /must be 1-20 lower-case letters/),
  at("an upper-case project", "environment.project", "Acme", /lower-case letters/),
  at("a project that makes bucket names start with xn--", "environment.project", "xn--acme", /S3 reserves the prefix "xn--"/),
  at("a project that makes bucket names start with sthree-", "environment.project", "sthree", /S3 reserves the prefix "sthree-"/),
  at("a project that makes bucket names start with amzn-s3-demo-", "environment.project", "amzn-s3-demo", /S3 reserves the prefix "amzn-s3-demo-"/),
  // checked by the constructs, reported on the config path (misleading before: staging-database/postgres.identifier, staging-storage/assets.bucketName)
  at("a database identifier RDS refuses", "database.identifier", "Bad_ID", /lower-case letters, digits and single hyphens/),
  at("an asset bucket name with two adjacent dots", "storage.assetsBucketName", "bad..name", /two adjacent dots/),
  ["an upper-case environment name", set("environment.name", "Staging"), "Staging.environment.name", "Staging", /lower-case letters/],
  ["an environment name with a hyphen (stack names <env>-<layer> split on the last hyphen)", set("environment.name", "staging-eu"), "staging-eu.environment.name", "staging-eu", /lower-case letters and digits.*split the name on its last hyphen/],
  at("a region that is a city", "environment.region", "tokyo", /is not an AWS region; use one like "ap-northeast-1"/),
  at("a region that does not exist (silent at synth)", "environment.region", "ap-northeast-4", /did you mean "ap-northeast-1" or "ap-northeast-2" or "ap-northeast-3"/),
  at("a misspelt region (silent at synth)", "environment.region", "ap-northest-1", /did you mean "ap-northeast-1"/),
  at("a GovCloud region", "environment.region", "us-gov-west-1", /China or GovCloud partition/),
  at("a China region", "environment.region", "cn-north-1", /China or GovCloud partition/),
  at("an 11-digit account", "environment.accountId", "12345678901", /12-digit ID/),
  at("an account as a number", "environment.accountId", 123456789012, /must be a string, not number/),
  at("a state bucket with capitals and underscores", "environment.state.bucket", "Acme_State", /3-63 lower-case letters/),
  at("a state bucket with the reserved prefix xn--", "environment.state.bucket", "xn--acme-state", /prefix S3 reserves/),
  at("a state bucket with the reserved suffix -s3alias", "environment.state.bucket", "acme-state-s3alias", /"-s3alias", a suffix S3 reserves/),
  at("a state bucket with the reserved suffix --ol-s3", "environment.state.bucket", "acme-state--ol-s3", /"--ol-s3", a suffix S3 reserves/),
  at("a state bucket with the reserved suffix .mrap", "environment.state.bucket", "acme-state.mrap", /".mrap", a suffix S3 reserves/),
  at("a state bucket with the reserved suffix --x-s3", "environment.state.bucket", "acme-state--x-s3", /"--x-s3", a suffix S3 reserves/),
  at("a state bucket formatted as an IP address", "environment.state.bucket", "192.168.1.1", /IP address/),
  at("a state bucket with two adjacent dots", "environment.state.bucket", "acme..state", /two adjacent dots/),
  at("a lock table name of two characters", "environment.state.lockTable", "ab", /DynamoDB table name/),
  at("a state region typo", "environment.state.region", "eu-west-9", /did you mean "eu-west-1"/),
  ["a tag key starting with aws:", set("environment.tags", { "aws:owner": "me" }), "staging.environment.tags.aws:owner", "aws:owner", /prefix AWS reserves/],
  ["a tag key starting with AWS: in capitals", set("environment.tags", { "AWS:cost": "me" }), "staging.environment.tags.AWS:cost", "AWS:cost", /prefix AWS reserves/],
  ["a tag value over 256 characters", set("environment.tags", { owner: "x".repeat(257) }), "staging.environment.tags.owner", "x".repeat(257), /at most 256/],
  ["a tag key over 128 characters", set("environment.tags", { ["k".repeat(129)]: "x" }), `staging.environment.tags.${"k".repeat(129)}`, "k".repeat(129), /1-128/],
  ["a tag the platform sets itself", set("environment.tags", { project: "x" }), "staging.environment.tags.project", "project", /set by the platform/],
  ["a tag key with a character AWS refuses", set("environment.tags", { "cost#center": "x" }), "staging.environment.tags.cost#center", "cost#center", /letters, digits, spaces/],
  ["an unknown key in environment (silent)", set("environment.acount", "123456789012"), "staging.environment.acount", "123456789012", /did you mean "accountId"\?/],

  // network
  at("a VPC CIDR with prefix 33", "network.vpcCidr", "10.0.0.0/33", /not an IPv4 network in CIDR form/),
  at("a link-local VPC CIDR (fails only at apply)", "network.vpcCidr", "169.254.0.0/16", /link-local/),
  at("a public VPC CIDR (silent)", "network.vpcCidr", "8.8.0.0/16", /outside the RFC 1918 private ranges/),
  at("a carrier-grade NAT VPC CIDR (silent)", "network.vpcCidr", "100.64.0.0/16", /outside the RFC 1918/),
  at("a VPC CIDR larger than /16", "network.vpcCidr", "10.0.0.0/8", /between \/16 and \/28/),
  at("a VPC CIDR with host bits set", "network.vpcCidr", "10.0.0.1/16", /no host bits/),
  at("one availability zone (misleading: an RDS token list)", "network.availabilityZoneCount", 1, /at least 2: the load balancer and the database subnet group/),
  at("more AZs than the region has", "network.availabilityZoneCount", 4, /between 2 and 3: ap-northeast-1 offers ap-northeast-1a, ap-northeast-1c, ap-northeast-1d/),
  at("a fractional AZ count", "network.availabilityZoneCount", 2.5, /integer/),
  at("an unknown NAT mode", "network.natMode", "nat", /must be one of "none", "single", "perAz"/),
  ["overlapping public subnets", set("network.publicSubnetCidrs", ["10.0.0.0/24", "10.0.0.128/25"]), "staging.network.publicSubnetCidrs[1]", "10.0.0.128/25", /overlaps publicSubnetCidrs\[0\]/],
  ["an unknown interface endpoint", set("network.interfaceEndpoints", ["s3"]), "staging.network.interfaceEndpoints[0]", "s3", /must be one of "ecr.api"/],
  ["a flow log retention CloudWatch does not offer", set("network.flowLogs", { logRetentionDays: 10 }), "staging.network.flowLogs.logRetentionDays", 10, /retention CloudWatch Logs accepts/],
  ["an unknown key in network (silent)", set("network.ipV6", true), "staging.network.ipV6", true, /did you mean "ipv6"\?/],
  ["a missing VPC CIDR", set("network.vpcCidr", undefined), "staging.network.vpcCidr", undefined, /is required \(string\)/],

  // registry
  ["a repository name in capitals", set("registry.repositories", ["web", "Web"]), "staging.registry.repositories[1]", "Web", /lower-case letters/],
  at("a repository listed twice", "registry.repositories", ["web", "web"], /lists a repository twice/),
  ["no repositories", configWith({ registry: { ...good.registry, repositories: [] } }), "staging.registry.repositories", [], /at least one repository/],
  at("keeping no images", "registry.keepLastImages", 0, /at least 1/),
  at("tag mutability in lower case", "registry.imageTagMutability", "immutable", /"IMMUTABLE", "MUTABLE"/),
  ["an unknown key in registry (silent)", set("registry.forcedelete", true), "staging.registry.forcedelete", true, /did you mean "forceDelete"\?/],

  // security
  ["an allowlist with 0.0.0.0/0", set("security.albIngress.allowedCidrs", ["203.0.113.0/24", "0.0.0.0/0"]), "staging.security.albIngress.allowedCidrs[1]", "0.0.0.0/0", /whole internet; use albIngress: "public"/],
  ["an allowlist whose halves cover the internet (silent)", set("security.albIngress.allowedCidrs", ["0.0.0.0/1", "128.0.0.0/1"]), "staging.security.albIngress.allowedCidrs", ["0.0.0.0/1", "128.0.0.0/1"], /together covers the whole IPv4 internet/],
  ["an allowlist entry wider than /16 (silent)", set("security.albIngress.allowedCidrs", ["203.0.0.0/8"]), "staging.security.albIngress.allowedCidrs[0]", "203.0.0.0/8", /wider than \/16 \(16777216 addresses\)/],
  ["a private allowlist on an internet-facing ALB (silent)", set("security.albIngress.allowedCidrs", ["10.0.0.0/24"]), "staging.security.albIngress.allowedCidrs[0]", "10.0.0.0/24", /overlaps 10\.0\.0\.0\/8, which never reaches an internet-facing load balancer/],
  ["a home-router range on an internet-facing ALB (silent)", set("security.albIngress.allowedCidrs", ["192.168.1.0/24"]), "staging.security.albIngress.allowedCidrs[0]", "192.168.1.0/24", /192\.168\.0\.0\/16/],
  ["a carrier-grade NAT range in the allowlist (silent)", set("security.albIngress.allowedCidrs", ["100.64.0.0/10"]), "staging.security.albIngress.allowedCidrs[0]", "100.64.0.0/10", /100\.64\.0\.0\/10/],
  ["an allowlist with ::/0", set("security.albIngress.allowedCidrs", ["::/0"]), "staging.security.albIngress.allowedCidrs[0]", "::/0", /whole internet/],
  ["an IPv6 allowlist entry wider than /48 (silent)", set("security.albIngress.allowedCidrs", ["2001::/16"]), "staging.security.albIngress.allowedCidrs[0]", "2001::/16", /wider than \/48/],
  at("an empty allowlist", "security.albIngress.allowedCidrs", [], /nobody could reach the load balancer/),
  ["an allowlist entry with host bits", set("security.albIngress.allowedCidrs", ["203.0.113.5/24"]), "staging.security.albIngress.allowedCidrs[0]", "203.0.113.5/24", /not a valid CIDR network address/],
  at("an allowlist entry listed twice", "security.albIngress.allowedCidrs", ["203.0.113.0/24", "203.0.113.0/24"], /lists a CIDR twice/),
  at("a misspelt ingress mode", "security.albIngress", "pubic", /must be "public", "allowlist-variable" or \{ allowedCidrs/),
  ["a misspelt allowlist key (silent)", set("security.albIngress", { allowedCidr: ["203.0.113.0/24"] }), "staging.security.albIngress.allowedCidr", ["203.0.113.0/24"], /did you mean "allowedCidrs"\?/],

  // storage
  ["a plain-http CORS origin", set("storage.corsOrigins", ["http://example.com"]), "staging.storage.corsOrigins[0]", "http://example.com", /exact https origin/],
  ["a CORS origin with a trailing slash", set("storage.corsOrigins", ["https://example.com/"]), "staging.storage.corsOrigins[0]", "https://example.com/", /no path or trailing slash/],
  ["a wildcard CORS origin", set("storage.corsOrigins", ["*"]), "staging.storage.corsOrigins[0]", "*", /no "\*"/],
  ["an IA transition before 30 days", set("storage.lifecycle", { transitionToInfrequentAccessDays: 10 }), "staging.storage.lifecycle.transitionToInfrequentAccessDays", 10, /at least 30/],
  ["an expiry before the IA transition", set("storage.lifecycle", { transitionToInfrequentAccessDays: 60, expirationDays: 40 }), "staging.storage.lifecycle.expirationDays", 40, /later than transitionToInfrequentAccessDays \(60\)/],
  ["a noncurrent expiry on an unversioned bucket", set("storage.lifecycle", { noncurrentExpirationDays: 30 }), "staging.storage.lifecycle.noncurrentExpirationDays", 30, /versioned buckets only/],
  ["an access-log retention CloudWatch-style value S3 does not need", set("storage.albAccessLogs", { retentionDays: 10 }), "staging.storage.albAccessLogs.retentionDays", 10, /retention/],
  ["a noncurrent IA transition after the default noncurrent expiry", configWith({ storage: { versioned: true, lifecycle: { noncurrentTransitionToInfrequentAccessDays: 120 } } }), "staging.storage.lifecycle.noncurrentExpirationDays", 90, /later than noncurrentTransitionToInfrequentAccessDays \(120\); the default is 90/],
  at("versioning as a string", "storage.versioned", "yes", /must be a boolean, not string/),

  // database (RDS)
  at("a misspelt RDS instance class (fails only at apply)", "database.instanceClass", "db.t4g.mirco", /not a size of db\.t4g for PostgreSQL; use one of db\.t4g\.micro/),
  at("an instance class without db.", "database.instanceClass", "t4g.micro", /not an RDS for PostgreSQL instance class/),
  at("an instance class of a family RDS does not have", "database.instanceClass", "db.t5.micro", /not an RDS for PostgreSQL instance class/),
  at("db.serverless on an RDS instance", "database.instanceClass", "db.serverless", /not an RDS for PostgreSQL instance class/),
  at("a malformed engine version (fails only at apply)", "database.engineVersion", "17.x", /not a PostgreSQL version/),
  at("an engine major RDS does not offer (fails only at apply)", "database.engineVersion", "19", /major 19, which RDS does not offer/),
  at("an engine major past standard support", "database.engineVersion", "12", /major 12/),
  at("an engine version with a v", "database.engineVersion", "v17", /not a PostgreSQL version/),
  at("the master user name user (fails only at apply)", "database.masterUsername", "user", /PostgreSQL reserved word/),
  at("the master user name select", "database.masterUsername", "select", /PostgreSQL reserved word/),
  at("the master user name rdsadmin", "database.masterUsername", "rdsadmin", /role RDS keeps/),
  at("a master user name starting with pg_", "database.masterUsername", "pg_admin", /role RDS keeps/),
  at("a master user name starting with a digit", "database.masterUsername", "1admin", /start with a letter/),
  at("a database name with a hyphen", "database.databaseName", "my-db", /letters, digits or underscores/),
  at("the database name template1", "database.databaseName", "template1", /template database/),
  at("no backups", "database.backupRetentionDays", 0, /at least 1/),
  at("36 days of backups", "database.backupRetentionDays", 36, /at most 35/),
  at("10 GiB of storage", "database.allocatedStorageGiB", 10, /at least 20/),
  ["a storage ceiling below the allocation", configWith({ database: { ...good.database, allocatedStorageGiB: 30, maxAllocatedStorageGiB: 20 } as EnvironmentLayersConfig["database"] }), "staging.database.maxAllocatedStorageGiB", 20, /at least allocatedStorageGiB \(30\)/],
  at("an unknown database kind", "database.kind", "aurora", /must be one of "rds-postgres", "aurora-serverless-v2"/),
  at("a Performance Insights retention of 30 days", "database.performanceInsightsRetentionDays", 30, /7 \(free tier\), a multiple of 31/),
  at("a database log retention of 10 days", "database.logRetentionDays", 10, /CloudWatch Logs retention/),
  ["a misspelt deletionProtection (silent)", set("database.deletionprotection", true), "staging.database.deletionprotection", true, /did you mean "deletionProtection"\?/],

  // database: restore and AWS Backup (issue 13)
  ["a restore without a new identifier", set("database.restoreFrom", { snapshotIdentifier: "acme-staging-db-final" }), "staging.database.identifier", undefined, /must be set to a NEW identifier when restoreFrom is/],
  ["a restore source of neither kind", set("database.restoreFrom", { snapshot: "x" }), "staging.database.restoreFrom.snapshot", "x", /did you mean "snapshotIdentifier"\?/],
  ["an AWS Backup copy to the environment's own region", set("database.awsBackup", { retentionDays: 35, copyRegion: "ap-northeast-1" }), "staging.database.awsBackup.copyRegion", "ap-northeast-1", /is the environment's own region; name a second region/],
  ["an AWS Backup copy to a misspelt region", set("database.awsBackup", { retentionDays: 35, copyRegion: "ap-northest-3" }), "staging.database.awsBackup.copyRegion", "ap-northest-3", /not an AWS region; did you mean .*"ap-northeast-3"/],

  // teardown (issue 13)
  ["teardown allowed with database deletion protection on", configWith({ teardown: "allowed", database: { ...good.database, deletionProtection: true } }), "staging.database.deletionProtection", true, /must be false when teardown is "allowed"/],
  ["teardown allowed with ALB deletion protection on", configWith({ teardown: "allowed", database: { ...good.database, deletionProtection: false }, compute: { ...good.compute, albDeletionProtection: true } }), "staging.compute.albDeletionProtection", true, /must be false when teardown is "allowed"/],
  ["teardown allowed with repositories that refuse deletion", configWith({ teardown: "allowed", database: { ...good.database, deletionProtection: false }, registry: { ...good.registry, forceDelete: false } }), "staging.registry.forceDelete", false, /contradicts teardown "allowed"/],
  at("an unknown teardown mode", "teardown", "yes", /must be one of "allowed", "protected"/),

  // database (Aurora)
  ["Aurora ACU not a multiple of 0.5", configWith({ database: { ...aurora, minAcu: 0.75 } }), "staging.database.minAcu", 0.75, /multiple of 0\.5/],
  ["Aurora ACU above 256", configWith({ database: { ...aurora, maxAcu: 300 } }), "staging.database.maxAcu", 300, /at most 256/],
  ["Aurora minimum above maximum", configWith({ database: { ...aurora, minAcu: 4, maxAcu: 2 } }), "staging.database.minAcu", 4, /greater than maxAcu \(2\)/],
  ["an instance class on Aurora Serverless (silent)", configWith({ database: { ...aurora, instanceClass: "db.r6g.large" } as never }), "staging.database.instanceClass", "db.r6g.large", /is not a setting here/],
  ["Aurora's reader misspelt (silent)", configWith({ database: { ...aurora, readers: true } as never }), "staging.database.readers", true, /did you mean "reader"\?/],

  // compute
  ["a CPU size Fargate does not have", withService({ cpu: 300 }), "staging.compute.services.web.cpu", 300, /not a Fargate CPU size/],
  ["a CPU/memory pair Fargate does not offer", withService({ cpu: 256, memoryMiB: 4096 }), "staging.compute.services.web.memoryMiB", 4096, /Fargate does not offer cpu 256 with 4096 MiB/],
  ["the image tag latest", withService({ imageTag: "latest" }), "staging.compute.services.web.imageTag", "latest", /moving tag/],
  ["the image tag LATEST (silent)", withService({ imageTag: "LATEST" }), "staging.compute.services.web.imageTag", "LATEST", /moving tag/],
  ["the image tag main (silent)", withService({ imageTag: "main" }), "staging.compute.services.web.imageTag", "main", /moving tag/],
  ["the image tag Stable (silent)", withService({ imageTag: "Stable" }), "staging.compute.services.web.imageTag", "Stable", /moving tag/],
  ["the image tag master (silent)", withService({ imageTag: "master" }), "staging.compute.services.web.imageTag", "master", /moving tag/],
  ["the image tag dev (silent)", withService({ imageTag: "dev" }), "staging.compute.services.web.imageTag", "dev", /moving tag/],
  ["the image tag edge (silent)", withService({ imageTag: "edge" }), "staging.compute.services.web.imageTag", "edge", /moving tag/],
  ["the image tag nightly (silent)", withService({ imageTag: "nightly" }), "staging.compute.services.web.imageTag", "nightly", /moving tag/],
  ["an empty image tag", withService({ imageTag: "" }), "staging.compute.services.web.imageTag", "", /is required: pin a version/],
  ["a CI build tag the registry expires", withService({ imageTag: "sha-3f9c2e1" }), "staging.compute.services.web.imageTag", "sha-3f9c2e1", /CI build tag .*lifecycle expires it/],
  ["an image tag with a colon", withService({ imageTag: "web:v1" }), "staging.compute.services.web.imageTag", "web:v1", /not a Docker tag/],
  ["a /* route that hides the default service (silent)", withServices({ web, api: { ...api, route: { priority: 10, pathPatterns: ["/*"] } } }), "staging.compute.services.api.route.pathPatterns[0]", "/*", /default service would never be reached/],
  ["two routes with the same pattern (silent)", withServices({ web, api, admin: { ...api, route: { priority: 20, pathPatterns: ["/api/*"] } } }), "staging.compute.services.admin.route.pathPatterns[0]", "/api/*", /also routed to service "api"/],
  ["two routes with the same priority", withServices({ web, api, admin: { ...api, route: { priority: 10, pathPatterns: ["/admin/*"] } } }), "staging.compute.services.admin.route.priority", 10, /already used by service "api"/],
  ["a route priority of 0", withServices({ web, api: { ...api, route: { priority: 0, pathPatterns: ["/api/*"] } } }), "staging.compute.services.api.route.priority", 0, /between 1 and 50000/],
  ["a path pattern without a leading slash", withServices({ web, api: { ...api, route: { priority: 10, pathPatterns: ["api/*"] } } }), "staging.compute.services.api.route.pathPatterns[0]", "api/*", /must start with "\/"/],
  ["six path patterns in one route", withServices({ web, api: { ...api, route: { priority: 10, pathPatterns: ["/a", "/b", "/c", "/d", "/e", "/f"] } } }), "staging.compute.services.api.route.pathPatterns", ["/a", "/b", "/c", "/d", "/e", "/f"], /1-5 path patterns/],
  ["no service on the default route", withService({ route: { priority: 10, pathPatterns: ["/api/*"] } }), "staging.compute.services.*.route", [], /must be "default" for exactly one service/],
  ["a service copied under a second key (misleading: a route error)", withServices({ web, api: web }), "staging.compute.services.api.route", "default", /a copy of service "web".*remove the duplicate service key/],
  ["two services on the default route", withServices({ web, api: { ...web, port: 8080 } }), "staging.compute.services.api.route", "default", /also the route of service "web"/],
  ...RESERVED_SERVICE_KEYS.map((key): Row => [
    `a service named ${key} (misleading: a raw cdktf construct-name clash)`,
    withServices({ web, [key]: api }),
    `staging.compute.services.${key}`,
    key,
    /a name the compute stack uses itself/,
  ]),
  ["a service key in capitals", withServices({ web, Api: api }), "staging.compute.services.Api", "Api", /service keys become resource names/],
  ["a service without a repository", configWith({ compute: { ...good.compute, services: { web, api } } }), "staging.compute.services.api", "api", /add "api" to registry\.repositories/],
  ["no services", configWith({ compute: { ...good.compute, services: {} } }), "staging.compute.services", {}, /configure at least one service/],
  ["a health check every 400 s", withService({ healthCheck: { path: "/", intervalSeconds: 400 } }), "staging.compute.services.web.healthCheck.intervalSeconds", 400, /between 5 and 300/],
  ["a health check timeout not below its interval", withService({ healthCheck: { path: "/", intervalSeconds: 10, timeoutSeconds: 10 } }), "staging.compute.services.web.healthCheck.timeoutSeconds", 10, /interval/],
  ["a desired count over the ECS quota (fails only at apply)", withService({ desiredCount: 100000 }), "staging.compute.services.web.desiredCount", 100000, /ECS quota of 5000 tasks per service/],
  ["maxCapacity 100000 (silent)", withService({ autoScaling: { minCapacity: 1, maxCapacity: 100000 } }), "staging.compute.services.web.autoScaling.maxCapacity", 100000, /ECS quota of 5000 tasks per service/],
  ["scaling minimum above maximum", withService({ autoScaling: { minCapacity: 5, maxCapacity: 2 } }), "staging.compute.services.web.autoScaling.minCapacity", 5, /greater than maxCapacity \(2\)/],
  ["ECS Exec on a service left read-only (the secure default, which ECS Exec's agent cannot use)", set("compute.ecsExec", true), "staging.compute.services.web.readonlyRootFilesystem", true, /ECS Exec's agent writes to the root filesystem; set readonlyRootFilesystem: false/],
  ["ECS Exec on a service set read-only", set("compute.ecsExec", true, withService({ readonlyRootFilesystem: true })), "staging.compute.services.web.readonlyRootFilesystem", true, /^is read-only, but compute.ecsExec is on/],
  ["a desired count outside the scaling range", withService({ desiredCount: 9, autoScaling: { minCapacity: 1, maxCapacity: 4 } }), "staging.compute.services.web.desiredCount", 9, /within autoScaling's 1-4/],
  ["a Stripe key in STRIPE_TOKEN (silent)", withService({ environment: { STRIPE_TOKEN: "sk_live_51HxAbCdEfGhIjKlMn" } }), "staging.compute.services.web.environment.STRIPE_TOKEN", "sk_live_…(26 characters)", /holds a Stripe secret or restricted key.*\/acme\/staging\/STRIPE_TOKEN/],
  ["a Stripe key under an innocent name (silent)", withService({ environment: { PAYMENTS: "rk_test_51HxAbCdEfGhIjKlMn" } }), "staging.compute.services.web.environment.PAYMENTS", "rk_test_…(26 characters)", /Stripe secret or restricted key/],
  ["an AWS access key ID in a plain variable (silent)", withService({ environment: { UPLOADER: "AKIAIOSFODNN7EXAMPLE" } }), "staging.compute.services.web.environment.UPLOADER", "AKIAIOSF…(20 characters)", /AWS access key ID/],
  ["a GitHub token in a plain variable (silent)", withService({ environment: { GH: "ghp_0123456789abcdefghijABCDEFGHIJ012345" } }), "staging.compute.services.web.environment.GH", "ghp_0123…(40 characters)", /GitHub token/],
  ["a Slack token in a plain variable (silent)", withService({ environment: { NOTIFY: "xoxb-1234567890-abcdefghij" } }), "staging.compute.services.web.environment.NOTIFY", "xoxb-123…(26 characters)", /Slack token/],
  ["a URL with a password in a plain variable (silent)", withService({ environment: { REDIS: "redis://app:hunter2@cache:6379" } }), "staging.compute.services.web.environment.REDIS", "redis://…(30 characters)", /URL with a password/],
  ["a long random string in a plain variable (silent)", withService({ environment: { SIGNING: "q8Zr2Lk9Vb7Xw3Mn5Pt1Hy6Gd4Fs0Jc+Qe/Ua" } }), "staging.compute.services.web.environment.SIGNING", "q8Zr2Lk9…(37 characters)", /long random string/],
  ["a variable named *_TOKEN (silent)", withService({ environment: { API_TOKEN: "changeme" } }), "staging.compute.services.web.environment.API_TOKEN", "API_TOKEN", /named like a credential/],
  ["a variable named *_DSN (silent)", withService({ environment: { SENTRY_DSN: "x" } }), "staging.compute.services.web.environment.SENTRY_DSN", "SENTRY_DSN", /named like a credential/],
  ["a variable named *_KEY (silent)", withService({ environment: { ENCRYPTION_KEY: "x" } }), "staging.compute.services.web.environment.ENCRYPTION_KEY", "ENCRYPTION_KEY", /named like a credential/],
  ["a variable named *_PASSWORD", withService({ environment: { DB_PASSWORD: "x" } }), "staging.compute.services.web.environment.DB_PASSWORD", "DB_PASSWORD", /named like a credential/],
  ["a variable name starting with a digit", withService({ environment: { "1BAD": "x" } }), "staging.compute.services.web.environment.1BAD", "1BAD", /letters, digits and underscores/],
  ["a staging service reading prod's DATABASE_URL (silent)", withService({ databaseUrl: false, parameters: { DATABASE_URL: "/acme/prod/DATABASE_URL" } }), "staging.compute.services.web.parameters.DATABASE_URL", "/acme/prod/DATABASE_URL", /outside this environment's parameters \(\/acme\/staging\/\*\)/],
  ["a service reading another project's parameter (silent)", withService({ parameters: { JWT_SECRET: "/billing/staging/JWT_SECRET" } }), "staging.compute.services.web.parameters.JWT_SECRET", "/billing/staging/JWT_SECRET", /outside this environment's parameters/],
  ["a parameter given as an ARN", withService({ parameters: { JWT_SECRET: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/staging/JWT_SECRET" } }), "staging.compute.services.web.parameters.JWT_SECRET", NO_VALUE, /SSM parameter name \(not an ARN\)/],
  ["DATABASE_URL in parameters while the database layer injects it", withService({ parameters: { DATABASE_URL: "/acme/staging/DATABASE_URL" } }), "staging.compute.services.web.parameters.DATABASE_URL", "/acme/staging/DATABASE_URL", /injected by the database layer/],
  ["a variable both plain and from parameters", withService({ environment: { MODE: "x" }, parameters: { MODE: "/acme/staging/MODE" } }), "staging.compute.services.web.environment.MODE", "MODE", /also in parameters/],
  ["port 70000", withService({ port: 70000 }), "staging.compute.services.web.port", 70000, /at most 65535/],
  ["CPU architecture in lower case", withService({ cpuArchitecture: "arm64" }), "staging.compute.services.web.cpuArchitecture", "arm64", /"X86_64", "ARM64"/],
  ["a misspelt imageTag (silent)", withService({ imagetag: "v2" }), "staging.compute.services.web.imagetag", "v2", /did you mean "imageTag"\?/],
  at("a service log retention of 10 days", "compute.logRetentionDays", 10, /CloudWatch Logs retention/),
  at("an unknown task subnet kind", "compute.taskSubnets", "isolated", /"public", "private"/),

  // scheduler
  ["stopDatabase on Aurora (silently ignored)", configWith({ database: aurora, scheduler: { ...scheduler, stopDatabase: true } }), "staging.scheduler.stopDatabase", true, /Aurora Serverless v2 is not stopped on a schedule.*minAcu: 0/],
  ["a start time without cron()", configWith({ scheduler: { ...scheduler, start: "0 9 * * MON-FRI" } }), "staging.scheduler.start", "0 9 * * MON-FRI", /must be written cron/],
  ["a time zone that is a city", configWith({ scheduler: { ...scheduler, timeZone: "Tokyo" } }), "staging.scheduler.timeZone", "Tokyo", /IANA time zone/],
  ["stop at the start time", configWith({ scheduler: { ...scheduler, stop: scheduler.start } }), "staging.scheduler.stop", scheduler.start, /same time as start/],
  ["a misspelt stopDatabase (silent)", configWith({ scheduler: { ...scheduler, stopDB: true } as never }), "staging.scheduler.stopDB", true, /did you mean "stopDatabase"\?/],

  // edge
  ["a domain written as a URL (misleading: reported on CORS origins)", configWith({ edge: { ...edge, domain: "https://Example.com/" } }), "staging.edge.domain", "https://Example.com/", /URL scheme/],
  ["a domain in capitals that CORS origins are derived from (misleading)", configWith({ edge: { ...edge, domain: "Example.com" }, storage: { versioned: false, corsOrigins: ["https://Example.com"] } }), "staging.edge.domain", "Example.com", /upper-case letters/],
  ["a single-label domain", configWith({ edge: { ...edge, domain: "example" } }), "staging.edge.domain", "example", /single label/],
  ["a WAF rate limit of 5", configWith({ edge: { ...edge, wafRateLimitPer5Minutes: 5 } }), "staging.edge.wafRateLimitPer5Minutes", 5, /at least 10/],
  ["a WAF log retention of 10 days", configWith({ edge: { ...edge, wafLogRetentionDays: 10 } }), "staging.edge.wafLogRetentionDays", 10, /CloudWatch Logs retention/],

  // monitoring
  ["an alarm address without @", configWith({ monitoring: { alarmEmails: ["ops-at-example.com"] } }), "staging.monitoring.alarmEmails[0]", "ops-at-example.com", /e-mail address/],
  ["an alarm address listed twice", configWith({ monitoring: { alarmEmails: ["ops@example.com", "ops@example.com"] } }), "staging.monitoring.alarmEmails", ["ops@example.com", "ops@example.com"], /lists an address twice/],
  ["zero max connections", configWith({ monitoring: { alarmEmails: ["ops@example.com"], databaseMaxConnections: 0 } }), "staging.monitoring.databaseMaxConnections", 0, /at least 1/],

  // bastion
  ["a misspelt bastion instance type (fails only at apply)", configWith({ bastion: { instanceType: "t3.nanoo" } }), "staging.bastion.instanceType", "t3.nanoo", /not an EC2 instance type/],
  ["a bastion instance family that does not exist", configWith({ bastion: { instanceType: "t5.nano" } }), "staging.bastion.instanceType", "t5.nano", /not an EC2 instance type/],
  ["a bastion instance type without a dot", configWith({ bastion: { instanceType: "t3nano" } }), "staging.bastion.instanceType", "t3nano", /not an EC2 instance type/],
  ["a nano size of a family that has none", configWith({ bastion: { instanceType: "m7g.nano" } }), "staging.bastion.instanceType", "m7g.nano", /not an EC2 instance type/],

  // the whole config
  ["a misspelt layer (silent)", { ...good, monitor: { alarmEmails: [] } } as EnvironmentLayersConfig, "staging.monitor", { alarmEmails: [] }, /did you mean "monitoring"\?/],
  ["a missing layer", set("compute", undefined), "staging.compute", undefined, /is required \(object\)/],

  // what a service's application uses at runtime (issue 12)
  ["a parameter grant in prod's names (a staging service reading prod)", withService({ grants: { parameters: ["/acme/prod/feature-flags"] } }), "staging.compute.services.web.grants.parameters[0]", "/acme/prod/feature-flags", /outside this environment's names \(\/acme\/staging\/\*\)/],
  ["a secret grant in another project's names", withService({ grants: { secrets: ["/other/staging/TOKEN"] } }), "staging.compute.services.web.grants.secrets[0]", "/other/staging/TOKEN", /outside this environment's names/],
  ["a secret grant given as an ARN", withService({ grants: { secrets: ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/staging/X-AbCdEf"] } }), "staging.compute.services.web.grants.secrets[0]", "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/staging/X-AbCdEf", /name \(not an ARN\)/],
  ["an asset grant that is neither read nor read-write", withService({ grants: { assets: "write" } }), "staging.compute.services.web.grants.assets", "write", /must be one of "read", "read-write"/],
  ["ASSETS_BUCKET set by hand next to an asset grant", withService({ grants: { assets: "read" }, environment: { ASSETS_BUCKET: "x" } }), "staging.compute.services.web.environment.ASSETS_BUCKET", "x", /set by grants.assets/],
  ["a Datadog API key outside the environment's names", withService({ datadog: { apiKeySecret: "/acme/prod/DATADOG_API_KEY" } }), "staging.compute.services.web.datadog.apiKeySecret", "/acme/prod/DATADOG_API_KEY", /outside this environment's names/],
  ["a Sentry DSN outside the environment's names", withService({ sentry: { dsnSecret: "SENTRY_DSN" } }), "staging.compute.services.web.sentry.dsnSecret", "SENTRY_DSN", /outside this environment's names/],
  ["a call to an undeclared service", withService({ calls: ["ai"] }), "staging.compute.services.web.calls[0]", "ai", /is not a service of this environment/],
  ["a service calling itself", withService({ calls: ["web"] }), "staging.compute.services.web.calls[0]", "web", /is the service itself/],
  ["a call listed twice", withServices({ web: { ...web, calls: ["api", "api"] }, api }), "staging.compute.services.web.calls", ["api", "api"], /lists a service twice/],
  ["sidecars with no essential container", withService({ essential: false, sidecars: { proxy: { image: "public.ecr.aws/nginx/nginx:1.27.3" } } }), "staging.compute.services.web.essential", false, /without an essential container \(sidecars: proxy\)/],
  ["a sidecar on a moving tag", withService({ sidecars: { proxy: { image: "public.ecr.aws/nginx/nginx:latest" } } }), "staging.compute.services.web.sidecars.proxy.image", "latest", /moving tag/],
  ["a sidecar named like the application container", withService({ sidecars: { app: { image: "public.ecr.aws/nginx/nginx:1.27.3" } } }), "staging.compute.services.web.sidecars.app", "app", /not app, datadog-agent, log-router/],
  ["a sidecar waiting for a container that does not exist", withService({ sidecars: { proxy: { image: "public.ecr.aws/nginx/nginx:1.27.3", dependsOn: { db: "START" } } } }), "staging.compute.services.web.sidecars.proxy.dependsOn.db", "db", /another container of the task/],
  ["a sidecar start condition ECS does not know", withService({ sidecars: { proxy: { image: "public.ecr.aws/nginx/nginx:1.27.3", dependsOn: { app: "READY" } } } }), "staging.compute.services.web.sidecars.proxy.dependsOn.app", "READY", /must be one of "START", "HEALTHY", "COMPLETE", "SUCCESS"/],
  ["service egress to a bad CIDR", withService({ egress: { atlas: { cidrs: ["192.0.2.0/33"], port: 27017 } } }), "staging.compute.services.web.egress.atlas.cidrs[0]", "192.0.2.0/33", /not a network in CIDR form/],
  ["service egress with host bits set", withService({ egress: { atlas: { cidrs: ["192.0.2.1/24"], port: 27017 } } }), "staging.compute.services.web.egress.atlas.cidrs[0]", "192.0.2.1/24", /without host bits/],
  ["service egress to port 0", withService({ egress: { atlas: { cidrs: ["192.0.2.0/24"], port: 0 } } }), "staging.compute.services.web.egress.atlas.port", 0, /between 1 and 65535/],
  ["service egress to port 70000", withService({ egress: { atlas: { cidrs: ["192.0.2.0/24"], port: 70000 } } }), "staging.compute.services.web.egress.atlas.port", 70000, /between 1 and 65535/],
  ["service egress with no destination", withService({ egress: { atlas: { port: 27017 } } }), "staging.compute.services.web.egress.atlas", { port: 27017 }, /names no destination/],
  ["service egress to a malformed prefix list", withService({ egress: { vendor: { prefixListIds: ["pl-xyz"], port: 443 } } }), "staging.compute.services.web.egress.vendor.prefixListIds[0]", "pl-xyz", /not a prefix list ID/],
  ["environment egress with a port range ending below its start", set("compute.egress", { smtp: { cidrs: ["192.0.2.0/24"], port: 587, toPort: 25 } }), "staging.compute.egress.smtp.toPort", 25, /between port \(587\) and 65535/],
  ["environment egress on a protocol other than tcp or udp", set("compute.egress", { ntp: { cidrs: ["192.0.2.0/24"], port: 123, protocol: "icmp" } }), "staging.compute.egress.ntp.protocol", "icmp", /must be one of "tcp", "udp"/],
];

function synthesizeInto(build: (app: App) => void): { error: unknown; written: string[] } {
  const outdir = join(mkdtempSync(join(tmpdir(), "bad-config-")), "out");
  let error: unknown;
  try {
    synthesizeApp(build, { outdir });
  } catch (caught) {
    error = caught;
  }
  return { error, written: existsSync(outdir) ? readdirSync(outdir) : [] };
}

function issuesOf(error: unknown): readonly ConfigIssue[] {
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues;
}

describe("bad configuration: every row fails synth with its config path, value and fix, and writes nothing", () => {
  it("has at least 100 bad inputs", () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
  });

  it.each(rows.map((row) => [row[0], row] as const))("%s", (_what, [, config, field, value, fix]) => {
    const { error, written } = synthesizeInto((app) => buildEnvironment(app, config));
    const issues = issuesOf(error);
    const issue = issues.find((i) => i.field === field && fix.test(i.fix));
    expect(issue, `no issue at ${field} matching ${fix}; got:\n${(error as Error).message}`).toBeDefined();
    if (value !== NO_VALUE) expect(issue!.value).toEqual(value);
    expect((error as Error).message).toContain(`${field}: `);
    expect(written).toEqual([]);
  });
});

describe("one synth reports everything", () => {
  it("reports three mistakes in three layers together, and writes not even the valid environment", () => {
    const config = configWith({
      network: { ...good.network, vpcCidr: "169.254.0.0/16" },
      database: { ...good.database, masterUsername: "user" },
      compute: { ...good.compute, services: { web: { ...web, imageTag: "LATEST" } } },
    });
    const { error, written } = synthesizeInto((app) => {
      buildEnvironment(app, { ...good, environment: { ...good.environment, name: "other" }, network: { ...good.network, vpcCidr: "10.9.0.0/16" } });
      buildEnvironment(app, config);
    });
    expect(issuesOf(error).map((i) => i.field)).toEqual([
      "staging.network.vpcCidr",
      "staging.database.masterUsername",
      "staging.compute.services.web.imageTag",
    ]);
    expect(written).toEqual([]);
  });

  it("reports a construct-name clash between two environments as a config error", () => {
    const { error } = synthesizeInto((app) => {
      buildEnvironment(app, good);
      buildEnvironment(app, good);
    });
    expect(issuesOf(error)).toEqual([
      expect.objectContaining({ field: "staging.environment.name", value: "staging", fix: expect.stringMatching(/already used by another environment/) }),
    ]);
  });

  it("lists every construct ID the compute stack uses next to services as reserved", () => {
    const stacks = buildEnvironment(new App({ outdir: mkdtempSync(join(tmpdir(), "ids-")) }), configWith({ scheduler }));
    const ids = stacks.compute.node.children.map((c) => c.node.id).filter((id) => !id.includes("_") && id !== "web");
    expect([...RESERVED_SERVICE_KEYS].sort()).toEqual(ids.sort());
  });

  it("writes every stack when the configuration is good", () => {
    const { error, written } = synthesizeInto((app) => {
      buildEnvironment(app, { ...good, environment: { ...good.environment, name: "other" } });
      buildEnvironment(app, good);
    });
    expect(error).toBeUndefined();
    expect(written).toContain("stacks");
  });
});

describe("issue order", () => {
  it("lists shape and rule issues together, layer by layer", () => {
    const config = {
      ...configWith({ database: { ...good.database, engineVersion: "17.x" } }),
      monitoring: { alarmEmail: "ops@example.com" },
      network: { ...good.network, vpcCidr: "8.8.0.0/16" },
    } as unknown as EnvironmentLayersConfig;
    const { error } = synthesizeInto((app) => buildEnvironment(app, config));
    expect(issuesOf(error).map((i) => i.field)).toEqual([
      "staging.network.vpcCidr",
      "staging.database.engineVersion",
      "staging.monitoring.alarmEmails",
      "staging.monitoring.alarmEmail",
    ]);
  });
});

describe("names the secrets key policy depends on", () => {
  it("refuses a service key whose execution role name would lose the -execution suffix the key policy matches", () => {
    const longKey = "a-very-long-service-key-for-iam"; // 31 characters
    const config: EnvironmentLayersConfig = {
      ...good,
      environment: { ...good.environment, project: "abcdefghijklmnopqrst" },
      registry: { ...good.registry, repositories: [longKey] },
      compute: { ...good.compute, services: { [longKey]: web } },
    };
    const { error, written } = synthesizeInto((app) => buildEnvironment(app, config));
    expect(issuesOf(error).length).toBeGreaterThan(0);
    expect((error as Error).message).toMatch(/services\.a-very-long-service-key-for-iam: "a-very-long-service-key-for-iam" makes the execution role name .* longer than 64 characters/);
    expect(written).toEqual([]);
  });
});
