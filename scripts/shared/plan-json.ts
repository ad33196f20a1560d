/**
 * The parts of `terraform show -json <planfile>` the review and the apply check read, and the
 * attribute-path diff between `before` and `after`. Sensitive subtrees are reported at their
 * marked node only, so a secret's value or map keys never leave this module.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export type PathStep = string | number;

export interface Change {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly replace_paths?: readonly (readonly PathStep[])[];
  readonly importing?: { readonly id?: string };
}

export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode?: string;
  readonly type: string;
  readonly name?: string;
  readonly deposed?: string;
  readonly action_reason?: string;
  readonly change: Change;
}

export interface OutputChangeJson {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  /** When Terraform made the plan (RFC 3339). */
  readonly timestamp?: string;
  /** Written by the plan job for a failed plan: its first error lines, masked. */
  readonly error_lines?: readonly string[];
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, OutputChangeJson>>;
  readonly [key: string]: unknown;
}

/** What a resource change does, with Terraform's delete+create pairs folded into `replace`. */
export type Action = "create" | "update" | "delete" | "replace" | "no-op" | "read" | "forget";

export function classifyActions(actions: readonly string[]): Action {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const first = actions[0];
  switch (first) {
    case "create":
    case "update":
    case "delete":
    case "read":
    case "forget":
      return first;
    default:
      return "no-op";
  }
}

/** `a.b[0]["odd key"]`: the way Terraform's own UI writes attribute paths. */
export function formatPath(path: readonly PathStep[]): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step.length > 60 ? `${step.slice(0, 57)}...` : step)}]`;
  }
  return out || "(root)";
}

export interface ChangedPath {
  readonly path: readonly PathStep[];
  /** The value sits under a sensitive mark: shown as a path only, never descended into. */
  readonly sensitive: boolean;
  /** The new value is known only after apply. */
  readonly unknown: boolean;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k] ?? null, b[k] ?? null)) return false;
    return true;
  }
  // Terraform writes an unset attribute as null in one place and leaves it out in another.
  return (a === null || a === undefined) && (b === null || b === undefined);
}

export const at = (v: unknown, key: PathStep): unknown =>
  Array.isArray(v) ? v[key as number] : isObject(v) ? v[key as string] : undefined;

/**
 * Attribute paths that differ between `before` and `after`. Sensitive subtrees (either side
 * marked) are reported at the marked node and never descended into, so even map keys under a
 * sensitive value stay hidden. Lists of different lengths and whole blocks that appear or
 * disappear are reported at the list or block.
 */
export function changedPaths(change: Change, maxDepth = 8): ChangedPath[] {
  const out: ChangedPath[] = [];
  const walk = (b: unknown, a: unknown, u: unknown, sb: unknown, sa: unknown, path: PathStep[]) => {
    if (sb === true || sa === true) {
      if (u === true || !deepEqual(b, a)) out.push({ path, sensitive: true, unknown: u === true });
      return;
    }
    if (u === true) {
      out.push({ path, sensitive: false, unknown: true });
      return;
    }
    if (path.length >= maxDepth) {
      if (!deepEqual(b, a)) out.push({ path, sensitive: false, unknown: false });
      return;
    }
    if (isObject(b) && isObject(a)) {
      const keys = [...new Set([...Object.keys(b), ...Object.keys(a), ...(isObject(u) ? Object.keys(u) : [])])].sort();
      for (const k of keys) walk(b[k], a[k], at(u, k), at(sb, k), at(sa, k), [...path, k]);
      return;
    }
    if (Array.isArray(b) && Array.isArray(a) && b.length === a.length) {
      for (let i = 0; i < a.length; i++) walk(b[i], a[i], at(u, i), at(sb, i), at(sa, i), [...path, i]);
      return;
    }
    if (!deepEqual(b, a) || anyTrue(u)) {
      // A block or map that appears, disappears or changes shape: the path of the whole
      // (marked sensitive when anything under it is, so its keys are not listed either).
      out.push({ path, sensitive: anyTrue(sb) || anyTrue(sa), unknown: anyTrue(u) });
    }
  };
  walk(change.before ?? null, change.after ?? null, change.after_unknown, change.before_sensitive, change.after_sensitive, []);
  return out;
}

/** The value (or mask) at `path`, undefined where the path does not exist. */
export function valueAt(value: unknown, path: readonly PathStep[]): unknown {
  let v = value;
  for (const step of path) v = at(v, step);
  return v;
}

/** True when a mask marks `path`, one of its ancestors, or anything under it. */
export function maskedAt(mask: unknown, path: readonly PathStep[]): boolean {
  let m = mask;
  for (const step of path) {
    if (m === true) return true;
    m = at(m, step);
  }
  return anyTrue(m);
}

/** True when a mask (`after_unknown`, `*_sensitive`) marks anything in its subtree. */
export function anyTrue(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(anyTrue);
  if (isObject(mask)) return Object.values(mask).some(anyTrue);
  return false;
}

/**
 * A replace path as printed: cut at the first sensitive node, so a key inside a sensitive map
 * is never shown.
 */
export function safeReplacePath(change: Change, path: readonly PathStep[]): string {
  let sb: unknown = change.before_sensitive;
  let sa: unknown = change.after_sensitive;
  const shown: PathStep[] = [];
  for (const step of path) {
    if (sb === true || sa === true) return `${formatPath(shown)} (sensitive)`;
    shown.push(step);
    sb = at(sb, step);
    sa = at(sa, step);
  }
  return sb === true || sa === true ? `${formatPath(shown)} (sensitive)` : formatPath(shown);
}

export interface PlanFile {
  readonly stack: string;
  readonly path: string;
}

/**
 * Plan files from the review's arguments: a `<stack>.json` file, a folder of them, or a
 * folder of `<stack>/plan.json` (the offline check's work folder, `.tf-test/stacks`).
 */
export function findPlanFiles(inputs: readonly string[]): PlanFile[] {
  const files: PlanFile[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`no such file or folder: ${input}`);
    if (statSync(input).isDirectory()) {
      for (const entry of readdirSync(input, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(input, entry.name);
        if (entry.isFile() && entry.name.endsWith(".json")) files.push({ stack: stackOfFile(full), path: full });
        else if (entry.isDirectory() && existsSync(join(full, "plan.json"))) files.push({ stack: entry.name, path: join(full, "plan.json") });
      }
    } else {
      files.push({ stack: stackOfFile(input), path: input });
    }
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.stack);
    if (other) throw new Error(`two plans for stack ${f.stack}: ${other} and ${f.path}`);
    seen.set(f.stack, f.path);
  }
  return files;
}

function stackOfFile(path: string): string {
  const name = basename(path);
  return name === "plan.json" ? basename(dirname(path)) : name.replace(/\.plan\.json$|\.json$/, "");
}

/** The plan formats this review reads: Terraform 1.x writes `format_version` 1.x (1.11: "1.2"). */
export const PLAN_FORMAT = /^1\.\d+$/;

/**
 * Reads one `terraform show -json <planfile>` output, or throws an error that names the file
 * and says what it holds instead: unreadable, not JSON, a state file, an unknown format.
 */
export function readPlan(path: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  return checkPlan(parsed, path);
}

/** The checks of `readPlan` on parsed JSON; `source` names the file in the error. */
export function checkPlan(parsed: unknown, source: string): PlanJson {
  const fix = "expected the output of `terraform show -json <planfile>`";
  if (!isObject(parsed)) throw new Error(`${source}: not a plan (a JSON ${Array.isArray(parsed) ? "array" : typeof parsed}); ${fix}`);
  const isPlan = "resource_changes" in parsed || "planned_values" in parsed || parsed.errored === true;
  if (!isPlan && typeof parsed.version === "number" && Array.isArray(parsed.resources)) {
    throw new Error(`${source}: a Terraform state file (state version ${parsed.version}), not a plan; ${fix}`);
  }
  if (!isPlan && "values" in parsed) {
    throw new Error(`${source}: a state shown as JSON (\`terraform show -json\` without a plan file: it has \`values\`, no \`resource_changes\`); ${fix}`);
  }
  const format = parsed.format_version;
  if (typeof format !== "string") throw new Error(`${source}: no format_version, so not a plan; ${fix}`);
  if (!PLAN_FORMAT.test(format)) {
    throw new Error(`${source}: unknown plan format_version ${JSON.stringify(format).slice(0, 40)} (this review reads 1.x, which Terraform 1.x writes)`);
  }
  if (!isPlan) throw new Error(`${source}: format_version ${format} but neither \`resource_changes\` nor \`planned_values\`; ${fix}`);
  if (parsed.resource_changes !== undefined && !Array.isArray(parsed.resource_changes)) {
    throw new Error(`${source}: \`resource_changes\` is not a list; ${fix}`);
  }
  return parsed as PlanJson;
}
