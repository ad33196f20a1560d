/**
 * One stack's plan reduced to what a reviewer reads: counts, and per resource its address,
 * action, the attributes that change with `before → after` (cut short; `(sensitive)` and
 * `(known after apply)` in place of values a mark covers), updates that lose data or disrupt,
 * output changes, and a failed plan's error lines.
 */
import { dataLossFindings, disruptiveFindings, type Finding } from "./data-loss";
import { maskErrorLine } from "../shared/error-text";
import {
  anyTrue,
  changedPaths,
  classifyActions,
  formatPath,
  maskedAt,
  safeReplacePath,
  valueAt,
  type Action,
  type ChangedPath,
  type Change,
  type OutputChangeJson,
  type PlanJson,
  type ResourceChange,
} from "../shared/plan-json";
import { formatValue, SENSITIVE_TEXT, UNKNOWN_TEXT } from "./plan-values";
import { statefulKind, type StatefulOptions } from "./stateful";
import { environmentOf } from "../shared/stack-names";

/** One changed attribute (or output) as shown: values already formatted, or a marker. */
export interface ValueChange {
  readonly path: string;
  /** Formatted old value; `(sensitive)` under a sensitive mark; `null` when absent. */
  readonly before: string;
  /** Formatted new value; `(sensitive)` or `(known after apply)` where so. */
  readonly after: string;
  readonly sensitive: boolean;
  readonly unknown: boolean;
}

export interface OutputChange extends ValueChange {
  readonly action: Action;
}

export interface ResourceSummary {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** The address this resource had before a `moved` block (or `moveTo`) renamed it. */
  readonly movedFrom?: string;
  readonly imported: boolean;
  /** A deposed object (left over from an interrupted create-before-destroy). */
  readonly deposed: boolean;
  /** Changed attribute paths, formatted; `(sensitive)` / `(known after apply)` appended where so. */
  readonly paths: readonly string[];
  /** The same attributes with their values (an update's and a replace's), in the same order. */
  readonly changes: readonly ValueChange[];
  /** Data lost by this update: needs an explicit approval (see approval.ts). */
  readonly dataLoss: readonly Finding[];
  /** Disruptive in-place changes: a restart, a failover, a single task replaced. */
  readonly disruptive: readonly Finding[];
  /** For a replace: the paths Terraform says force it. */
  readonly replacePaths: readonly string[];
  /** Terraform's reason, in words, when it says one. */
  readonly reason?: string;
  /** What a destroy of this resource loses, when its type holds state and it is destroyed. */
  readonly stateful?: string;
  /** For a stateful destroy: a create of the same type in the same stack (a likely rename). */
  readonly possibleRenameTo?: string;
}

export interface Counts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  moved: number;
  imported: number;
  forget: number;
}

export interface StackSummary {
  readonly stack: string;
  readonly environment: string;
  readonly counts: Counts;
  /** Every resource that does something (no-op and data reads left out unless moved/imported). */
  readonly resources: readonly ResourceSummary[];
  /** Changes made outside Terraform since the last apply, found by refresh. */
  readonly drift: readonly ResourceSummary[];
  readonly outputs: { readonly add: number; readonly change: number; readonly remove: number };
  /** Every output that changes, with values (sensitive ones masked). Other stacks read them. */
  readonly outputChanges: readonly OutputChange[];
  /** Terraform marked the plan as errored (partial), or the plan job wrote a failed plan. */
  readonly errored: boolean;
  /** A failed plan's first error lines, masked again (masking is idempotent). */
  readonly errorLines: readonly string[];
  /** When Terraform made the plan (the plan JSON's `timestamp`), if the file says. */
  readonly plannedAt?: string;
  /** Resources whose `lifecycle.prevent_destroy` this change removes (from the synthesized JSON). */
  readonly preventDestroyRemoved: readonly string[];
  /**
   * Producer stacks whose outputs this plan used before they are known (`platform_pending`, see
   * planned-outputs.ts): those values show as known after apply until the producer applies.
   */
  readonly pendingProducers: readonly string[];
}

export interface SummaryOptions extends StatefulOptions {
  /** Addresses whose `prevent_destroy` was removed (`pnpm changed-stacks` computes them). */
  readonly preventDestroyRemoved?: readonly string[];
}

const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "tainted",
  replace_because_cannot_update: "cannot update in place",
  replace_by_request: "replace requested (-replace)",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each changed",
  delete_because_count_index: "count index out of range",
  delete_because_each_key: "for_each key removed",
  delete_because_no_move_target: "moved to an address that does not exist",
  read_because_config_unknown: "config unknown until apply",
  read_because_dependency_pending: "depends on a pending change",
};

export function emptyCounts(): Counts {
  return { add: 0, change: 0, destroy: 0, replace: 0, moved: 0, imported: 0, forget: 0 };
}

/** Values of one changed path: never a value under a sensitive mark. */
function valueChange(change: Change | OutputChangeJson, p: ChangedPath): ValueChange {
  const show = (side: "before" | "after") => {
    const mask = side === "before" ? change.before_sensitive : change.after_sensitive;
    if (p.sensitive || maskedAt(mask, p.path)) return SENSITIVE_TEXT;
    if (side === "after" && p.unknown) return UNKNOWN_TEXT;
    return formatValue(valueAt(change[side], p.path));
  };
  const before = show("before");
  return { path: formatPath(p.path), before, after: p.sensitive ? SENSITIVE_TEXT : show("after"), sensitive: p.sensitive, unknown: p.unknown };
}

function summarizeResource(stack: string, rc: ResourceChange, options: StatefulOptions, plan: PlanJson): ResourceSummary | undefined {
  if (rc.mode === "data") return undefined;
  const action = classifyActions(rc.change.actions);
  const movedFrom = rc.previous_address && rc.previous_address !== rc.address ? rc.previous_address : undefined;
  const imported = rc.change.importing !== undefined && rc.change.importing !== null;
  if ((action === "no-op" || action === "read") && !movedFrom && !imported) return undefined;
  // A replacement makes every computed attribute unknown (id, arn, …): noise, since
  // `replace_paths` already says why. An update's unknowns are kept: they are real changes.
  const changed =
    action === "update" || action === "replace"
      ? changedPaths(rc.change).filter((p) => action === "update" || !p.unknown || p.sensitive)
      : [];
  const paths = changed.map((p) => `${formatPath(p.path)}${p.sensitive ? " (sensitive)" : ""}${p.unknown && !p.sensitive ? " (known after apply)" : ""}`);
  const replacePaths = action === "replace" ? (rc.change.replace_paths ?? []).map((p) => safeReplacePath(rc.change, p)) : [];
  const destroys = action === "delete" || action === "replace";
  return {
    address: rc.address,
    type: rc.type,
    action,
    movedFrom,
    imported,
    deposed: rc.deposed !== undefined,
    paths,
    changes: changed.map((p) => valueChange(rc.change, p)),
    dataLoss: dataLossFindings(rc),
    disruptive: disruptiveFindings(rc, plan),
    replacePaths,
    reason: rc.action_reason ? (REASONS[rc.action_reason] ?? rc.action_reason) : undefined,
    stateful: destroys ? statefulKind(stack, rc.type, options) : undefined,
  };
}

export function summarizePlan(stack: string, plan: PlanJson, options: SummaryOptions = {}): StackSummary {
  const counts = emptyCounts();
  const resources: ResourceSummary[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const r = summarizeResource(stack, rc, options, plan);
    if (!r) continue;
    resources.push(r);
    if (r.action === "create") counts.add++;
    else if (r.action === "update") counts.change++;
    else if (r.action === "delete") counts.destroy++;
    else if (r.action === "replace") counts.replace++;
    else if (r.action === "forget") counts.forget++;
    if (r.movedFrom) counts.moved++;
    if (r.imported) counts.imported++;
  }
  // A destroy next to a create of the same type is how a renamed construct ID looks without
  // a `moved` block: point at it, because `moveTo` would keep the data.
  const finalResources = resources.map((r) => {
    if (!r.stateful || r.action !== "delete") return r;
    const twin = resources.find((o) => o.action === "create" && o.type === r.type);
    return twin ? { ...r, possibleRenameTo: twin.address } : r;
  });
  const drift = (plan.resource_drift ?? [])
    .map((rc) => summarizeResource(stack, rc, {}, plan))
    .filter((r): r is ResourceSummary => r !== undefined)
    // Drift already happened: nothing to approve or to warn about.
    .map((r) => ({ ...r, stateful: undefined, dataLoss: [], disruptive: [] }));
  const outputs = { add: 0, change: 0, remove: 0 };
  const outputChanges: OutputChange[] = [];
  for (const [name, o] of Object.entries(plan.output_changes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const a = classifyActions(o.actions);
    if (a === "create") outputs.add++;
    else if (a === "delete") outputs.remove++;
    else if (a === "update" || a === "replace") outputs.change++;
    else continue;
    const sensitive = anyTrue(o.before_sensitive) || anyTrue(o.after_sensitive);
    const unknown = anyTrue(o.after_unknown);
    const v = valueChange(o, { path: [], sensitive, unknown });
    outputChanges.push({ ...v, path: name, action: a, before: a === "create" ? "null" : v.before, after: a === "delete" ? "null" : v.after });
  }
  return {
    stack,
    environment: environmentOf(stack),
    counts,
    resources: finalResources,
    drift,
    outputs,
    outputChanges,
    errored: plan.errored === true,
    errorLines: (Array.isArray(plan.error_lines) ? plan.error_lines : []).slice(0, 20).map((l) => maskErrorLine(String(l))),
    plannedAt: typeof plan.timestamp === "string" ? plan.timestamp : undefined,
    preventDestroyRemoved: [...(options.preventDestroyRemoved ?? [])].sort(),
    pendingProducers: pendingProducersOf(plan),
  };
}

/** Resources or outputs change (an output change matters: other stacks read it). */
export function hasChanges(s: StackSummary): boolean {
  const c = s.counts;
  return c.add + c.change + c.destroy + c.replace + c.moved + c.imported + c.forget + s.outputChanges.length > 0;
}

export function statefulChanges(s: StackSummary): ResourceSummary[] {
  return s.resources.filter((r) => r.stateful !== undefined);
}

export function totals(summaries: readonly StackSummary[]): Counts {
  const t = emptyCounts();
  for (const s of summaries) for (const k of Object.keys(t) as (keyof Counts)[]) t[k] += s.counts[k];
  return t;
}

function pendingProducersOf(plan: PlanJson): string[] {
  const entries = (plan as { platform_pending?: unknown }).platform_pending;
  if (!Array.isArray(entries)) return [];
  const producers = entries.map((e) => (e && typeof e === "object" ? (e as { producer?: unknown }).producer : undefined));
  return [...new Set(producers.filter((p): p is string => typeof p === "string"))].sort();
}
