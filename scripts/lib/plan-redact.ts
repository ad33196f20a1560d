/**
 * Plans as CI keeps them. `terraform show -json` prints sensitive values in clear text (the
 * `*_sensitive` masks only mark them), and workflow artifacts are readable by everyone who can
 * read the repository, so artifacts hold a redacted copy: the change sets only, every value
 * under a sensitive mark replaced by a marker that still says whether it changed.
 *
 * The same redacted form is the fingerprint the deploy compares: "the plan made now on main is
 * the plan that was reviewed on the pull request".
 */
import { classifyActions, deepEqual, type Change, type OutputChangeJson, type PlanJson, type ResourceChange } from "./plan-json";

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

interface FingerprintEntry {
  readonly address: string;
  readonly body: string;
}

/** What must be equal for two plans to do the same thing, per address (redacted values). */
function fingerprint(plan: PlanJson): FingerprintEntry[] {
  const redacted = redactPlan(plan);
  const entries: FingerprintEntry[] = [];
  for (const rc of redacted.resource_changes ?? []) {
    const action = classifyActions(rc.change.actions);
    const moved = rc.previous_address && rc.previous_address !== rc.address;
    if ((action === "no-op" || action === "read") && !moved && !rc.change.importing) continue;
    const c = rc.change;
    entries.push({
      address: `${rc.address}${rc.deposed ? ` (deposed ${rc.deposed})` : ""}`,
      body: canonical({
        actions: c.actions,
        previous_address: rc.previous_address ?? null,
        action_reason: rc.action_reason ?? null,
        replace_paths: c.replace_paths ?? null,
        before: c.before ?? null,
        after: c.after ?? null,
        after_unknown: c.after_unknown ?? null,
        importing: c.importing ?? null,
      }),
    });
  }
  for (const [name, o] of Object.entries(redacted.output_changes ?? {})) {
    if (classifyActions(o.actions) === "no-op") continue;
    entries.push({ address: `output.${name}`, body: canonical({ actions: o.actions, before: o.before ?? null, after: o.after ?? null, after_unknown: o.after_unknown ?? null }) });
  }
  return entries.sort((a, b) => a.address.localeCompare(b.address));
}

/** JSON with sorted keys, so key order never makes two equal plans differ. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return JSON.stringify(sort(value));
}

/**
 * Addresses where `current` does something other than `reviewed` (empty when they match).
 * Both may be raw or redacted plans. The messages name addresses only, never values.
 */
export function comparePlans(reviewed: PlanJson, current: PlanJson): string[] {
  const a = new Map(fingerprint(reviewed).map((e) => [e.address, e.body]));
  const b = new Map(fingerprint(current).map((e) => [e.address, e.body]));
  const differences: string[] = [];
  for (const [address, body] of b) {
    if (!a.has(address)) differences.push(`${address}: not in the reviewed plan`);
    else if (a.get(address) !== body) differences.push(`${address}: changes differently than reviewed`);
  }
  for (const address of a.keys()) if (!b.has(address)) differences.push(`${address}: reviewed, but no longer planned`);
  return differences.sort();
}
