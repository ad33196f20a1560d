/**
 * The parts of `terraform show -json <planfile>` the review and the apply check read, and the
 * attribute-path diff between `before` and `after`. Nothing here returns attribute values:
 * only addresses and paths, so a secret in a plan can never reach a comment or a log.
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

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

const at = (v: unknown, key: PathStep): unknown =>
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

/** True when a mask (`after_unknown`, `*_sensitive`) marks anything in its subtree. */
function anyTrue(mask: unknown): boolean {
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

export function readPlan(path: string): PlanJson {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (!isObject(parsed) || (!("resource_changes" in parsed) && !("format_version" in parsed))) {
    throw new Error(`${path} is not the output of \`terraform show -json <planfile>\``);
  }
  return parsed as PlanJson;
}
