/**
 * Plans as CI keeps them. `terraform show -json` prints sensitive values in clear text (the
 * `*_sensitive` masks only mark them), and workflow artifacts are readable by everyone who can
 * read the repository, so artifacts hold a redacted copy: the change sets only, every value
 * under a sensitive mark replaced by a marker that still says whether it changed.
 *
 * The deploy compares the planned changes of that redacted form (`comparePlansDetailed`): "the
 * plan made now on main makes the changes that were reviewed on the pull request".
 */
import {
  changedPaths,
  classifyActions,
  deepEqual,
  formatPath,
  type Change,
  type OutputChangeJson,
  type PathStep,
  type PlanJson,
  type ResourceChange,
} from "./plan-json";

export const SENSITIVE = "(sensitive)";
export const SENSITIVE_CHANGED = "(sensitive, changed)";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const at = (v: unknown, k: string | number): unknown => (Array.isArray(v) ? v[k as number] : isObject(v) ? v[k as string] : undefined);

/** Redacts `before`/`after` together, so a changed secret shows as changed without its value. */
export function redactPair(before: unknown, after: unknown, sb: unknown, sa: unknown): [unknown, unknown] {
  if (sb === true || sa === true) {
    const hide = (v: unknown) => (v === null || v === undefined ? v : SENSITIVE);
    const b = hide(before);
    const a = after === null || after === undefined ? after : deepEqual(before, after) ? SENSITIVE : SENSITIVE_CHANGED;
    return [b, a];
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const bs = Array.isArray(before) ? before : [];
    const as = Array.isArray(after) ? after : [];
    const n = Math.max(bs.length, as.length);
    const rb: unknown[] = [];
    const ra: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const [x, y] = redactPair(bs[i], as[i], at(sb, i), at(sa, i));
      if (i < bs.length) rb.push(x);
      if (i < as.length) ra.push(y);
    }
    return [Array.isArray(before) ? rb : before, Array.isArray(after) ? ra : after];
  }
  if (isObject(before) || isObject(after)) {
    const bo = isObject(before) ? before : {};
    const ao = isObject(after) ? after : {};
    const rb: Record<string, unknown> = {};
    const ra: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(bo), ...Object.keys(ao)])) {
      const [x, y] = redactPair(bo[k], ao[k], at(sb, k), at(sa, k));
      if (k in bo) rb[k] = x;
      if (k in ao) ra[k] = y;
    }
    return [isObject(before) ? rb : before, isObject(after) ? ra : after];
  }
  return [before, after];
}

function redactChange<T extends Change | OutputChangeJson>(change: T): T {
  const [before, after] = redactPair(change.before, change.after, change.before_sensitive, change.after_sensitive);
  return { ...change, before, after };
}

function redactResource(rc: ResourceChange): ResourceChange {
  return { ...rc, change: redactChange(rc.change) };
}

/**
 * The change sets of a plan with sensitive values replaced; prior state, planned values,
 * configuration and variables (which repeat every value in clear text) are dropped.
 * `platform_pending` (producer outputs a consumer waits for, see planned-outputs.ts) is kept.
 */
export function redactPlan(plan: PlanJson): PlanJson {
  return {
    format_version: plan.format_version,
    terraform_version: plan.terraform_version,
    errored: plan.errored,
    applyable: plan.applyable,
    complete: plan.complete,
    resource_changes: (plan.resource_changes ?? []).map(redactResource),
    resource_drift: (plan.resource_drift ?? []).map(redactResource),
    output_changes: Object.fromEntries(Object.entries(plan.output_changes ?? {}).map(([k, o]) => [k, redactChange(o)])),
    ...(Array.isArray(plan.platform_pending) ? { platform_pending: plan.platform_pending } : {}),
  };
}

/** True when applying the plan would do anything (resources or outputs). */
export function planHasChanges(plan: PlanJson): boolean {
  const resources = (plan.resource_changes ?? []).some((rc) => {
    const a = classifyActions(rc.change.actions);
    return (a !== "no-op" && a !== "read") || rc.change.importing || (rc.previous_address && rc.previous_address !== rc.address);
  });
  const outputs = Object.values(plan.output_changes ?? {}).some((o) => classifyActions(o.actions) !== "no-op");
  return Boolean(resources || outputs);
}

/** One planned change of a resource or an output, after redaction. */
interface PlannedChange {
  readonly actions: readonly string[];
  readonly previousAddress: string | null;
  readonly importing: boolean;
  readonly change: Change;
}

/** The changes a plan makes, by address (`output.<name>` for outputs); no-ops and reads left out. */
function plannedChanges(plan: PlanJson): Map<string, PlannedChange> {
  const redacted = redactPlan(plan);
  const changes = new Map<string, PlannedChange>();
  for (const rc of redacted.resource_changes ?? []) {
    const action = classifyActions(rc.change.actions);
    const moved = rc.previous_address && rc.previous_address !== rc.address;
    if ((action === "no-op" || action === "read") && !moved && !rc.change.importing) continue;
    changes.set(`${rc.address}${rc.deposed ? ` (deposed ${rc.deposed})` : ""}`, {
      actions: rc.change.actions,
      previousAddress: moved ? rc.previous_address! : null,
      importing: Boolean(rc.change.importing),
      change: rc.change,
    });
  }
  for (const [name, o] of Object.entries(redacted.output_changes ?? {})) {
    if (classifyActions(o.actions) === "no-op") continue;
    changes.set(`output.${name}`, { actions: o.actions, previousAddress: null, importing: false, change: o });
  }
  return changes;
}

const valueAt = (v: unknown, path: readonly PathStep[]): unknown => path.reduce<unknown>((x, k) => at(x, k), v);

/** The `after_unknown` mask at `path`: true when the node or an ancestor is unknown. */
function maskAt(mask: unknown, path: readonly PathStep[]): unknown {
  let m = mask;
  for (const k of path) {
    if (m === true) return true;
    m = at(m, k);
  }
  return m;
}

/** A reviewed value matches a fresh one when equal, or wherever the reviewed value was unknown. */
function matches(reviewed: unknown, reviewedUnknown: unknown, fresh: unknown, freshUnknown: unknown): boolean {
  if (reviewedUnknown === true) return true;
  if (freshUnknown === true) return false;
  if (Array.isArray(reviewed) && Array.isArray(fresh)) {
    return reviewed.length === fresh.length && reviewed.every((v, i) => matches(v, at(reviewedUnknown, i), fresh[i], at(freshUnknown, i)));
  }
  if (isObject(reviewed) && isObject(fresh)) {
    const keys = new Set([...Object.keys(reviewed), ...Object.keys(fresh)]);
    return [...keys].every((k) => matches(reviewed[k] ?? null, at(reviewedUnknown, k), fresh[k] ?? null, at(freshUnknown, k)));
  }
  return deepEqual(reviewed, fresh);
}

/** True when every attribute the change changes is unknown: it waits for values only. */
function onlyUnknownChanges(change: Change): boolean {
  const paths = changedPaths(change);
  return paths.length > 0 && paths.every((p) => p.unknown);
}

export interface PlanComparison {
  /** Addresses where the fresh plan does something the reviewed one did not (empty: it matches). */
  readonly differences: string[];
  /**
   * The match relied on values the reviewed plan listed as pending a producer
   * (`platform_pending`): what will be applied there was not seen by the reviewer, so the
   * deploy applies it without a second approval only when it destroys and replaces nothing.
   */
  readonly matchedPending: boolean;
}

/**
 * Does the plan made now (`fresh`) do what the reviewed plan did? Both may be raw or redacted.
 *
 * The rule compares PLANNED CHANGES, never prior state:
 * - the same addresses have a change (any action but no-op and read, or a move or an import),
 *   and each has the same actions, move and import;
 * - at every attribute that changes in either plan (before ≠ after, or known after apply),
 *   the `after` values are equal; sensitive values compare as "(sensitive)" or
 *   "(sensitive, changed)" (redacted), never by value;
 * - a value the reviewed plan did not know (known after apply, or pending a producer) matches
 *   any fresh value; a reviewed update whose every change was unknown also matches a fresh plan
 *   with nothing to do there (the value turned out to be the current one);
 * - `before` alone never counts: an attribute moved outside Terraform (a `desired_count` under
 *   `ignore_changes` moved by the scaler or the scheduler) or a refreshed computed attribute
 *   that the plan does not change is not a difference.
 * Messages name addresses, actions and attribute paths only, never values.
 */
export function comparePlansDetailed(reviewed: PlanJson, fresh: PlanJson): PlanComparison {
  const a = plannedChanges(reviewed);
  const b = plannedChanges(fresh);
  const pendingAddresses = new Set(
    (Array.isArray(reviewed.platform_pending) ? (reviewed.platform_pending as Array<{ addresses?: unknown }>) : []).flatMap((p) =>
      Array.isArray(p.addresses) ? p.addresses.map(String) : [],
    ),
  );
  const differences: string[] = [];
  let matchedPending = false;
  for (const [address, r] of a) {
    const f = b.get(address);
    if (!f) {
      if (classifyActions(r.actions) === "update" && onlyUnknownChanges(r.change)) {
        if (pendingAddresses.has(address)) matchedPending = true;
      } else {
        differences.push(`${address}: reviewed, but no longer planned`);
      }
      continue;
    }
    if (r.actions.join("+") !== f.actions.join("+")) {
      differences.push(`${address}: changes differently than reviewed (${f.actions.join("+")} instead of ${r.actions.join("+")})`);
      continue;
    }
    if (r.previousAddress !== f.previousAddress || r.importing !== f.importing) {
      differences.push(`${address}: changes differently than reviewed (moved or imported differently)`);
      continue;
    }
    const paths = [...changedPaths(r.change), ...changedPaths(f.change)].map((p) => p.path);
    const differing = paths.find(
      (p) => !matches(valueAt(r.change.after, p), maskAt(r.change.after_unknown, p), valueAt(f.change.after, p), maskAt(f.change.after_unknown, p)),
    );
    if (differing) {
      differences.push(`${address}: changes differently than reviewed (at ${formatPath(differing)})`);
      continue;
    }
    if (pendingAddresses.has(address) && changedPaths(r.change).some((p) => p.unknown)) matchedPending = true;
  }
  for (const address of b.keys()) if (!a.has(address)) differences.push(`${address}: not in the reviewed plan`);
  differences.sort();
  return { differences, matchedPending: differences.length === 0 && matchedPending };
}

/**
 * Addresses where `current` does something other than `reviewed` (empty when they match), by
 * the rule of `comparePlansDetailed`. Both may be raw or redacted plans. The messages name
 * addresses and attribute paths only, never values.
 */
export function comparePlans(reviewed: PlanJson, current: PlanJson): string[] {
  return comparePlansDetailed(reviewed, current).differences;
}
