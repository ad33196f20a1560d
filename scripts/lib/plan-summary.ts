/**
 * One stack's plan reduced to what a reviewer reads: counts, and per resource its address,
 * action and the attribute paths that change. Values are never kept.
 */
import {
  changedPaths,
  classifyActions,
  formatPath,
  safeReplacePath,
  type Action,
  type PlanJson,
  type ResourceChange,
} from "./plan-json";
import { statefulKind, type StatefulOptions } from "./stateful";
import { environmentOf } from "./stack-names";

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
  /** Terraform marked the plan as errored (partial). */
  readonly errored: boolean;
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

function summarizeResource(stack: string, rc: ResourceChange, options: StatefulOptions): ResourceSummary | undefined {
  if (rc.mode === "data") return undefined;
  const action = classifyActions(rc.change.actions);
  const movedFrom = rc.previous_address && rc.previous_address !== rc.address ? rc.previous_address : undefined;
  const imported = rc.change.importing !== undefined && rc.change.importing !== null;
  if ((action === "no-op" || action === "read") && !movedFrom && !imported) return undefined;
  // A replacement makes every computed attribute unknown (id, arn, …): noise, since
  // `replace_paths` already says why. An update's unknowns are kept: they are real changes.
  const paths =
    action === "update" || action === "replace"
      ? changedPaths(rc.change)
          .filter((p) => action === "update" || !p.unknown || p.sensitive)
          .map((p) => `${formatPath(p.path)}${p.sensitive ? " (sensitive)" : ""}${p.unknown && !p.sensitive ? " (known after apply)" : ""}`)
      : [];
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
    replacePaths,
    reason: rc.action_reason ? (REASONS[rc.action_reason] ?? rc.action_reason) : undefined,
    stateful: destroys ? statefulKind(stack, rc.type, options) : undefined,
  };
}

export function summarizePlan(stack: string, plan: PlanJson, options: StatefulOptions = {}): StackSummary {
  const counts = emptyCounts();
  const resources: ResourceSummary[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const r = summarizeResource(stack, rc, options);
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
    .map((rc) => summarizeResource(stack, rc, {}))
    .filter((r): r is ResourceSummary => r !== undefined)
    .map((r) => ({ ...r, stateful: undefined }));
  const outputs = { add: 0, change: 0, remove: 0 };
  for (const o of Object.values(plan.output_changes ?? {})) {
    const a = classifyActions(o.actions);
    if (a === "create") outputs.add++;
    else if (a === "delete") outputs.remove++;
    else if (a === "update" || a === "replace") outputs.change++;
  }
  return {
    stack,
    environment: environmentOf(stack),
    counts,
    resources: finalResources,
    drift,
    outputs,
    errored: plan.errored === true,
  };
}

export function hasChanges(s: StackSummary): boolean {
  const c = s.counts;
  return c.add + c.change + c.destroy + c.replace + c.moved + c.imported + c.forget > 0;
}

export function statefulChanges(s: StackSummary): ResourceSummary[] {
  return s.resources.filter((r) => r.stateful !== undefined);
}

export function totals(summaries: readonly StackSummary[]): Counts {
  const t = emptyCounts();
  for (const s of summaries) for (const k of Object.keys(t) as (keyof Counts)[]) t[k] += s.counts[k];
  return t;
}
