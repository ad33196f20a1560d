/**
 * How a resource this product emits is recognised among a legacy state's resources, and how
 * Terraform imports it. One row per resource type: the identity keys in the order they are
 * tried (each a list of attribute paths that must all be known and equal on both sides), the
 * import ID built from the live resource's attributes (the form the AWS provider 5.x documents
 * under "Import" for that type), and the attributes that cannot change in place, each with the
 * config setting that keeps the live value.
 */

/** A resource's attributes: our synthesized config (references resolved where matched) or a state's. */
export type Attributes = Readonly<Record<string, unknown>>;

/** Where our resource sits, for naming the config setting that keeps a live name. */
export interface OurSite {
  readonly env: string;
  readonly stack: string;
  /** The construct path from cdk.tf.json metadata, e.g. `staging-registry/repositories/api/repository`. */
  readonly path: string;
}

export interface ImmutableAttribute {
  readonly attribute: string;
  /** The config setting (path under the environment's config) that keeps the live value. */
  readonly setting: (site: OurSite) => string;
}

export interface AdoptRule {
  /** Identity keys, strongest first; each is a list of attribute paths (`tags.Name`). */
  readonly identity: readonly (readonly string[])[];
  /**
   * Match the only live resource of this type with the only one of ours in the environment
   * when no identity key decides (one VPC, one database, one cluster, one zone).
   */
  readonly singleton?: boolean;
  /** The import ID from the live attributes; undefined for a type Terraform cannot import. */
  readonly importId?: (live: Attributes) => string;
  /** Attributes whose change replaces the resource, with the setting that keeps the live value. */
  readonly immutable?: readonly ImmutableAttribute[];
}

const s = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const attr = (name: string) => (a: Attributes) => s(a[name]);
const id = attr("id");
const arn = attr("arn");
const bucket = attr("bucket");

/** The construct key after `segment` in a construct path (`…/repositories/api/repository` → `api`). */
function keyAfter(path: string, segment: string): string {
  const parts = path.split("/");
  const i = parts.indexOf(segment);
  return i >= 0 && parts[i + 1] ? parts[i + 1]! : "<key>";
}

const bucketSetting = (site: OurSite) =>
  site.path.includes("/alb-logs/") ? "storage.albAccessLogs.bucketName" : "storage.assetsBucketName";

const name = ["name"];
/** For a stateless resource whose replace loses nothing: no setting, the plan replaces it. */
const STATELESS = () => "none needed: stateless, the plan replaces it";
const tagName = ["tags.Name"];

/** The rule table: every resource type the environment stacks emit. */
export const ADOPT_RULES: Readonly<Record<string, AdoptRule>> = {
  // network
  aws_vpc: {
    identity: [["cidr_block"], tagName],
    singleton: true,
    importId: id,
    immutable: [{ attribute: "cidr_block", setting: () => "network.vpcCidr" }],
  },
  aws_subnet: {
    identity: [["vpc_id", "cidr_block"], ["cidr_block"], tagName],
    importId: id,
    immutable: [
      { attribute: "cidr_block", setting: (site) => (site.path.includes("/public-") ? "network.publicSubnetCidrs" : "network.privateSubnetCidrs") },
      { attribute: "availability_zone", setting: () => "network.availabilityZoneCount (zones follow the region's AZ table)" },
    ],
  },
  aws_internet_gateway: { identity: [["vpc_id"], tagName], singleton: true, importId: id },
  aws_eip: { identity: [tagName], singleton: true, importId: id },
  aws_nat_gateway: { identity: [["subnet_id"], tagName], singleton: true, importId: id },
  aws_route_table: { identity: [tagName], importId: id },
  aws_route: {
    identity: [["route_table_id", "destination_cidr_block"]],
    importId: (a) => `${s(a.route_table_id)}_${s(a.destination_cidr_block || a.destination_ipv6_cidr_block)}`,
  },
  aws_route_table_association: {
    identity: [["subnet_id", "route_table_id"], ["subnet_id"]],
    importId: (a) => `${s(a.subnet_id)}/${s(a.route_table_id)}`,
  },
  aws_default_security_group: { identity: [["vpc_id"]], singleton: true, importId: id },
  aws_vpc_endpoint: {
    identity: [["vpc_id", "service_name"], ["service_name"], tagName],
    importId: id,
    immutable: [{ attribute: "vpc_endpoint_type", setting: () => "network.interfaceEndpoints" }],
  },
  aws_flow_log: { identity: [["vpc_id"], tagName], singleton: true, importId: id },
  aws_security_group: {
    identity: [["vpc_id", "name"], name, tagName],
    importId: id,
    immutable: [{ attribute: "name", setting: STATELESS }],
  },
  aws_vpc_security_group_ingress_rule: {
    identity: [
      ["security_group_id", "ip_protocol", "from_port", "to_port", "referenced_security_group_id"],
      ["security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv4"],
      ["security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv6"],
    ],
    importId: id,
  },
  aws_vpc_security_group_egress_rule: {
    identity: [
      ["security_group_id", "ip_protocol", "from_port", "to_port", "referenced_security_group_id"],
      ["security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv4"],
      ["security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv6"],
    ],
    importId: id,
  },
  // registry
  aws_ecr_repository: {
    identity: [name],
    importId: attr("name"),
    immutable: [
      { attribute: "name", setting: (site) => `registry.repositoryNames.${keyAfter(site.path, "repositories")}` },
      { attribute: "encryption_configuration", setting: () => "none: encryption is fixed at creation (ours: AES256); keep the repository in the old state" },
    ],
  },
  aws_ecr_lifecycle_policy: { identity: [["repository"]], importId: attr("repository"), immutable: [{ attribute: "policy", setting: STATELESS }] },
  // security
  aws_kms_key: { identity: [["description"]], singleton: true, importId: id },
  aws_kms_alias: { identity: [name], importId: attr("name") },
  // database
  aws_db_instance: {
    identity: [["identifier"], tagName],
    singleton: true,
    importId: attr("identifier"),
    immutable: [
      { attribute: "identifier", setting: () => "database.identifier" },
      { attribute: "engine", setting: () => "database.kind" },
      { attribute: "db_name", setting: () => "database.databaseName" },
      { attribute: "username", setting: () => "database.masterUsername" },
    ],
  },
  aws_rds_cluster: {
    identity: [["cluster_identifier"], tagName],
    singleton: true,
    importId: attr("cluster_identifier"),
    immutable: [
      { attribute: "cluster_identifier", setting: () => "database.identifier" },
      { attribute: "engine", setting: () => "database.kind" },
      { attribute: "database_name", setting: () => "database.databaseName" },
      { attribute: "master_username", setting: () => "database.masterUsername" },
    ],
  },
  aws_rds_cluster_instance: {
    // Instances named otherwise are found by their cluster and zone (one instance per AZ).
    identity: [["identifier"], tagName, ["cluster_identifier", "availability_zone"]],
    importId: attr("identifier"),
    immutable: [{ attribute: "identifier", setting: (site) => `database.instanceIdentifiers.${site.path.split("/").pop()}` }],
  },
  // Stateless: a new name replaces them (the database moves to the new group in place).
  aws_db_subnet_group: { identity: [name], singleton: true, importId: attr("name"), immutable: [{ attribute: "name", setting: STATELESS }] },
  aws_db_parameter_group: { identity: [name, ["family"]], importId: attr("name"), immutable: [{ attribute: "name", setting: STATELESS }] },
  aws_rds_cluster_parameter_group: { identity: [name, ["family"]], importId: attr("name"), immutable: [{ attribute: "name", setting: STATELESS }] },
  // storage
  aws_s3_bucket: {
    identity: [["bucket"], tagName],
    importId: bucket,
    immutable: [{ attribute: "bucket", setting: bucketSetting }],
  },
  aws_s3_bucket_lifecycle_configuration: { identity: [["bucket"]], importId: bucket },
  aws_s3_bucket_ownership_controls: { identity: [["bucket"]], importId: bucket },
  aws_s3_bucket_policy: { identity: [["bucket"]], importId: bucket },
  aws_s3_bucket_public_access_block: { identity: [["bucket"]], importId: bucket },
  aws_s3_bucket_server_side_encryption_configuration: { identity: [["bucket"]], importId: bucket },
  aws_s3_bucket_versioning: { identity: [["bucket"]], importId: bucket },
  aws_s3_bucket_cors_configuration: { identity: [["bucket"]], importId: bucket },
  // compute
  aws_ecs_cluster: { identity: [name], singleton: true, importId: attr("name") },
  aws_ecs_cluster_capacity_providers: { identity: [["cluster_name"]], importId: attr("cluster_name") },
  aws_ecs_service: {
    identity: [["cluster", "name"], name],
    importId: (a) => `${s(a.cluster).split("/").pop()}/${s(a.name)}`,
  },
  aws_ecs_task_definition: { identity: [["family"]], importId: arn },
  aws_lb: { identity: [name], singleton: true, importId: arn },
  aws_lb_target_group: { identity: [name], importId: arn },
  aws_lb_listener: { identity: [["load_balancer_arn", "port"]], importId: arn },
  aws_lb_listener_rule: { identity: [["listener_arn", "priority"]], importId: arn },
  aws_appautoscaling_target: {
    identity: [["resource_id", "scalable_dimension"]],
    importId: (a) => `${s(a.service_namespace)}/${s(a.resource_id)}/${s(a.scalable_dimension)}`,
  },
  aws_appautoscaling_policy: {
    identity: [["resource_id", "name"], name],
    importId: (a) => `${s(a.service_namespace)}/${s(a.resource_id)}/${s(a.scalable_dimension)}/${s(a.name)}`,
  },
  aws_cloudwatch_log_group: { identity: [name], importId: attr("name") },
  aws_iam_role: { identity: [name], importId: attr("name") },
  aws_iam_role_policy: { identity: [["role", "name"]], importId: (a) => `${s(a.role)}:${s(a.name)}` },
  aws_iam_role_policy_attachment: { identity: [["role", "policy_arn"]], importId: (a) => `${s(a.role)}/${s(a.policy_arn)}` },
  aws_iam_instance_profile: { identity: [name], importId: attr("name") },
  aws_lambda_function: { identity: [["function_name"]], importId: attr("function_name") },
  aws_lambda_permission: {
    identity: [["function_name", "statement_id"]],
    importId: (a) => `${s(a.function_name)}/${s(a.statement_id)}`,
  },
  aws_lambda_function_event_invoke_config: { identity: [["function_name"]], importId: attr("function_name") },
  // An invocation is an action at apply, not an AWS object: nothing to import.
  aws_lambda_invocation: { identity: [["function_name"]] },
  aws_cloudwatch_event_rule: { identity: [name], importId: (a) => (s(a.event_bus_name) && s(a.event_bus_name) !== "default" ? `${s(a.event_bus_name)}/${s(a.name)}` : s(a.name)) },
  aws_cloudwatch_event_target: {
    identity: [["rule", "target_id"], ["rule"]],
    importId: (a) => `${s(a.event_bus_name) || "default"}/${s(a.rule)}/${s(a.target_id)}`,
  },
  aws_scheduler_schedule: { identity: [["group_name", "name"], name], importId: (a) => `${s(a.group_name) || "default"}/${s(a.name)}` },
  aws_scheduler_schedule_group: { identity: [name], importId: attr("name") },
  aws_instance: { identity: [tagName], singleton: true, importId: id },
  aws_launch_template: { identity: [name], importId: id },
  // dns and edge
  aws_route53_zone: {
    identity: [name],
    singleton: true,
    importId: attr("zone_id"),
    immutable: [{ attribute: "name", setting: () => "edge.domain" }],
  },
  aws_route53_record: {
    identity: [["zone_id", "name", "type"]],
    importId: (a) => [s(a.zone_id), s(a.name), s(a.type), ...(s(a.set_identifier) ? [s(a.set_identifier)] : [])].join("_"),
  },
  aws_acm_certificate: {
    identity: [["domain_name"]],
    importId: arn,
    // Re-issued and validated before the old one goes (create_before_destroy): nothing lost.
    immutable: ["domain_name", "key_algorithm"].map((attribute) => ({ attribute, setting: STATELESS })),
  },
  // A wait for validation, not an AWS object: nothing to import.
  aws_acm_certificate_validation: { identity: [["certificate_arn"]] },
  aws_wafv2_web_acl: { identity: [["name", "scope"]], importId: (a) => `${s(a.id)}/${s(a.name)}/${s(a.scope)}` },
  aws_wafv2_web_acl_association: {
    identity: [["resource_arn"]],
    importId: (a) => `${s(a.web_acl_arn)},${s(a.resource_arn)}`,
  },
  aws_wafv2_web_acl_logging_configuration: { identity: [["resource_arn"]], importId: attr("resource_arn") },
  // monitoring
  aws_cloudwatch_metric_alarm: { identity: [["alarm_name"]], importId: attr("alarm_name") },
  aws_cloudwatch_dashboard: { identity: [["dashboard_name"]], importId: attr("dashboard_name") },
  aws_sns_topic: { identity: [name], importId: arn },
  aws_sns_topic_policy: { identity: [["arn"]], importId: arn },
  aws_sns_topic_subscription: { identity: [["topic_arn", "protocol", "endpoint"]], importId: arn },
  // AWS Backup (prod's database): plans and vaults by name, selections by plan and name.
  aws_backup_vault: { identity: [name], importId: attr("name") },
  aws_backup_plan: { identity: [name], importId: attr("id") },
  aws_backup_selection: { identity: [["plan_id", "name"]], importId: (a) => `${s(a.plan_id)}|${s(a.id)}` },
  // Budgets are account-wide: imported as `<account id>:<budget name>`.
  aws_budgets_budget: { identity: [name], importId: (a) => `${s(a.account_id)}:${s(a.name)}` },
};

/** The value at a dotted attribute path (`tags.Name`), undefined when absent or empty. */
export function valueAt(attributes: Attributes, path: string): unknown {
  let v: unknown = attributes;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v === null || v === "" ? undefined : v;
}

/** Route 53 and a few APIs write names with a trailing dot; identities compare without it. */
function normalized(v: unknown): string {
  return String(v).replace(/\.$/, "").toLowerCase();
}

/** The identity value of one key, or undefined when any part is unknown (`${…}`) or absent. */
export function identityOf(attributes: Attributes, key: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const path of key) {
    const v = valueAt(attributes, path);
    if (v === undefined || (typeof v === "string" && v.includes("${"))) return undefined;
    if (typeof v === "object") return undefined;
    parts.push(normalized(v));
  }
  return parts.join("|");
}
