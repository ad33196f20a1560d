/**
 * Updates that lose data although nothing is destroyed (deletion protection off, backups
 * shortened, objects expiring sooner, …), and in-place updates that disrupt a running system
 * (a restart, a failover, a single task replaced). The first need the same explicit approval
 * as a stateful destroy (see approval.ts); the second get their own line in the review.
 *
 * Rules read `before` and `after` of one resource change; a value under a sensitive mark or
 * known only after apply is never compared (nor shown).
 */
import { at, classifyActions, isObject, maskedAt, valueAt, type PathStep, type PlanJson, type ResourceChange } from "../shared/plan-json";
import { formatValue } from "./plan-values";

export interface Finding {
  /** The attribute, as Terraform's UI writes it. */
  readonly path: string;
  /** What happens, in words: "deletion protection turned off". */
  readonly what: string;
  readonly before: string;
  readonly after: string;
}

type Obj = Record<string, unknown>;
type Rule = (before: Obj, after: Obj, known: (path: readonly PathStep[]) => boolean) => Finding[];

const finding = (path: string, what: string, before: unknown, after: unknown): Finding => ({
  path,
  what,
  before: formatValue(before),
  after: formatValue(after),
});

/** `attr` goes from `from` to anything else that is not unknown (null counts: the default). */
const leaves = (attr: string, from: unknown, what: string): Rule => (b, a, known) =>
  b[attr] === from && a[attr] !== from && known([attr]) && (a[attr] === null || typeof a[attr] === typeof from)
    ? [finding(attr, what, b[attr], a[attr] ?? null)]
    : [];

/** `attr` becomes `to` from anything else. */
const becomes = (attr: string, to: unknown, what: string): Rule => (b, a, known) =>
  a[attr] === to && b[attr] !== to && known([attr]) ? [finding(attr, what, b[attr] ?? null, to)] : [];

/** A number that goes down. */
const lowered = (attr: string, what: string): Rule => (b, a, known) =>
  typeof b[attr] === "number" && typeof a[attr] === "number" && a[attr] < b[attr] && known([attr])
    ? [finding(attr, what, b[attr], a[attr])]
    : [];

/** The first element of a nested block list (`versioning_configuration[0]`). */
const first = (v: unknown): Obj => (Array.isArray(v) && isObject(v[0]) ? v[0] : isObject(v) ? v : {});

interface LifecycleRule {
  readonly id: string;
  readonly index: number;
  readonly enabled: boolean;
  readonly expirationDays?: number;
  readonly noncurrentDays?: number;
}

function lifecycleRules(config: Obj): LifecycleRule[] {
  const rules = Array.isArray(config.rule) ? config.rule : [];
  return rules.filter(isObject).map((r, index) => {
    const days = first(r.expiration).days;
    const noncurrent = first(r.noncurrent_version_expiration).noncurrent_days;
    return {
      id: typeof r.id === "string" ? r.id : `#${index}`,
      index,
      enabled: r.status === "Enabled",
      expirationDays: typeof days === "number" && days > 0 ? days : undefined,
      noncurrentDays: typeof noncurrent === "number" && noncurrent > 0 ? noncurrent : undefined,
    };
  });
}

/** An S3 lifecycle rule (matched by id) that expires current or noncurrent objects sooner than before. */
const lifecycleShortened: Rule = (b, a, known) => {
  const before = new Map(lifecycleRules(b).map((r) => [r.id, r]));
  const out: Finding[] = [];
  for (const r of lifecycleRules(a)) {
    if (!r.enabled) continue;
    const old = before.get(r.id);
    const kinds = [
      ["expirationDays", "expiration", "days", "objects expire sooner"],
      ["noncurrentDays", "noncurrent_version_expiration", "noncurrent_days", "old versions expire sooner"],
    ] as const;
    for (const [field, block, attr, what] of kinds) {
      const now = r[field];
      const was = old?.enabled ? old[field] : undefined;
      if (now === undefined || (was !== undefined && now >= was) || !known(["rule", r.index, block, 0, attr])) continue;
      out.push(finding(`rule[${r.index}].${block}[0].${attr}`, `${what} (rule ${r.id})`, was ?? "never", now));
    }
  }
  return out;
};

/** A nested attribute (`versioning_configuration[0].status`) leaving a value. */
const nestedLeaves = (block: string, attr: string, from: unknown, what: string): Rule => (b, a, known) => {
  const was = first(b[block])[attr];
  const now = first(a[block])[attr];
  return was === from && now !== from && now !== undefined && known([block, 0, attr]) ? [finding(`${block}[0].${attr}`, what, was, now ?? null)] : [];
};

const DATABASE_RULES: readonly Rule[] = [
  leaves("deletion_protection", true, "deletion protection turned off"),
  becomes("skip_final_snapshot", true, "no final snapshot on delete"),
  lowered("backup_retention_period", "backups kept for fewer days (older ones are deleted)"),
];

/** Updates that lose data or remove the guard against losing it: they need explicit approval. */
export const DATA_LOSS_RULES: Readonly<Record<string, readonly Rule[]>> = {
  aws_db_instance: DATABASE_RULES,
  aws_rds_cluster: DATABASE_RULES,
  aws_docdb_cluster: DATABASE_RULES,
  aws_neptune_cluster: DATABASE_RULES,
  aws_dynamodb_table: [
    leaves("deletion_protection_enabled", true, "deletion protection turned off"),
    nestedLeaves("point_in_time_recovery", "enabled", true, "point-in-time recovery turned off"),
  ],
  aws_s3_bucket: [becomes("force_destroy", true, "a destroy deletes every object (force_destroy)")],
  aws_s3_bucket_versioning: [nestedLeaves("versioning_configuration", "status", "Enabled", "versioning suspended: overwritten objects are lost")],
  aws_s3_bucket_lifecycle_configuration: [lifecycleShortened],
  aws_ecr_repository: [becomes("force_delete", true, "a destroy deletes every image (force_delete)")],
  aws_secretsmanager_secret: [becomes("recovery_window_in_days", 0, "a delete is immediate, with no recovery window")],
};

const changedTo = (attr: string, what: string): Rule => (b, a, known) =>
  b[attr] !== undefined && b[attr] !== null && a[attr] !== b[attr] && a[attr] !== undefined && known([attr]) && typeof a[attr] !== "object"
    ? [finding(attr, what, b[attr], a[attr] ?? null)]
    : [];

const ENGINE = changedTo("engine_version", "engine upgrade: a restart (and a failover, where there is a standby)");
const PARAMETER_GROUP = (attr: string) => changedTo(attr, "another parameter group: static parameters need a reboot");

const acuRange: Rule = (b, a, known) => {
  const was = first(b.serverlessv2_scaling_configuration);
  const now = first(a.serverlessv2_scaling_configuration);
  const range = (c: Obj) => (c.min_capacity === undefined ? "none" : `${String(c.min_capacity)}–${String(c.max_capacity)} ACU`);
  if (was.min_capacity === now.min_capacity && was.max_capacity === now.max_capacity) return [];
  if (!known(["serverlessv2_scaling_configuration"])) return [];
  return [{ path: "serverlessv2_scaling_configuration[0]", what: "Serverless v2 capacity range", before: range(was), after: range(now) }];
};

const parameterValues: Rule = (b, a, known) => {
  const text = (v: unknown) => JSON.stringify(v ?? []);
  return text(b.parameter) !== text(a.parameter) && known(["parameter"])
    ? [{ path: "parameter", what: "parameter values change: static ones apply only at the next reboot", before: "…", after: "…" }]
    : [];
};

/** In-place updates that interrupt a running system: listed on their own line, not gated. */
export const DISRUPTIVE_RULES: Readonly<Record<string, readonly Rule[]>> = {
  aws_db_instance: [ENGINE, changedTo("instance_class", "another instance class: a restart"), PARAMETER_GROUP("parameter_group_name")],
  aws_rds_cluster: [
    ENGINE,
    changedTo("db_cluster_instance_class", "another instance class: a restart"),
    acuRange,
    PARAMETER_GROUP("db_cluster_parameter_group_name"),
  ],
  aws_rds_cluster_instance: [ENGINE, changedTo("instance_class", "another instance class: a restart or failover"), PARAMETER_GROUP("db_parameter_group_name")],
  aws_db_parameter_group: [parameterValues],
  aws_rds_cluster_parameter_group: [parameterValues],
  aws_elasticache_replication_group: [ENGINE, changedTo("node_type", "another node type: a failover")],
  aws_opensearch_domain: [ENGINE],
  aws_lb: [leaves("enable_deletion_protection", true, "deletion protection turned off")],
};

function applyRules(rules: readonly Rule[] | undefined, rc: ResourceChange): Finding[] {
  const action = classifyActions(rc.change.actions);
  if (!rules || (action !== "update" && action !== "replace")) return [];
  const { before, after, after_unknown, before_sensitive, after_sensitive } = rc.change;
  if (!isObject(before) || !isObject(after)) return [];
  // A value under a sensitive mark or unknown until apply is never compared, so never shown.
  const known = (path: readonly PathStep[]) =>
    !maskedAt(after_unknown, path) && !maskedAt(before_sensitive, path) && !maskedAt(after_sensitive, path);
  return rules.flatMap((rule) => rule(before, after, known));
}

/** What this update loses, in the words of the rules above; empty for a safe change. */
export function dataLossFindings(rc: ResourceChange): Finding[] {
  return applyRules(DATA_LOSS_RULES[rc.type], rc);
}

/**
 * Disruptive in-place changes of this resource. `plan` gives the context one resource lacks:
 * whether an ECS service runs a single task (desired_count 1, or an autoscaling target of it
 * with min_capacity 1) while its task definition changes.
 */
export function disruptiveFindings(rc: ResourceChange, plan: PlanJson): Finding[] {
  const found = applyRules(DISRUPTIVE_RULES[rc.type], rc);
  if (rc.type === "aws_ecs_service" && classifyActions(rc.change.actions) === "update") {
    const single = singleTaskService(rc, plan);
    const b = rc.change.before;
    const a = rc.change.after;
    const taskChanges = at(b, "task_definition") !== at(a, "task_definition") || maskedAt(rc.change.after_unknown, ["task_definition"]);
    if (single && taskChanges) {
      const after = maskedAt(rc.change.after_unknown, ["task_definition"]) ? "(known after apply)" : formatValue(at(a, "task_definition"));
      found.push({
        path: "task_definition",
        what: `a new task definition for a service that runs a single task (${single}): its only task is replaced`,
        before: formatValue(at(b, "task_definition")),
        after,
      });
    }
  }
  return found;
}

function singleTaskService(rc: ResourceChange, plan: PlanJson): string | undefined {
  const desired = valueAt(rc.change.after, ["desired_count"]);
  if (desired === 1) return "desired_count 1";
  const name = valueAt(rc.change.after, ["name"]) ?? valueAt(rc.change.before, ["name"]);
  if (typeof name !== "string") return undefined;
  const target = (plan.resource_changes ?? []).find((t) => {
    if (t.type !== "aws_appautoscaling_target") return false;
    const v = t.change.after ?? t.change.before;
    const id = valueAt(v, ["resource_id"]);
    return typeof id === "string" && id.endsWith(`/${name}`) && valueAt(v, ["min_capacity"]) === 1;
  });
  return target ? "autoscaling min_capacity 1" : undefined;
}
