/**
 * Which stacks a change touches: synthesize the base commit and the head, compare each
 * stack's `cdk.tf.json`, and add every stack that reads from a changed one.
 *
 * The base is synthesized from a git worktree of the base commit, running *its* app (the
 * `app` command of its cdktf.json, normally `tsx apps/main.ts`) with *this* checkout's
 * installed packages: a `node_modules` in the worktree links every third-party package to
 * ours and every `@platform/*` package to the worktree's own source. A second `pnpm install`
 * would take minutes; this takes a second. The price: a base whose dependencies differ from
 * the head's may fail to synthesize, and then every stack counts as changed (never fewer).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { deployWaves, readManifest, withDependents, type Manifest } from "../shared/manifest";
import { compareEnvironments, compareStacks, environmentOf } from "../shared/stack-names";

/** Matches cdktf asset paths: `assets/<construct>/<content hash>/<file>`. */
const ASSET_PATH = /assets\/[^/"]+\/[0-9A-F]{32,}(?:\/[^"\s}]*)?/gi;

/**
 * A stack's JSON as compared: without cdktf's `//` metadata (construct paths, versions), and
 * with each asset path replaced by a digest of the asset's content, so two synths of equal
 * code compare equal even where a path hash or a zip timestamp differs, and differ whenever
 * the bundled code does.
 */
export function normalizeStackJson(value: unknown, stackDir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalizeStackJson(v, stackDir));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "//")
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalizeStackJson(v, stackDir)]),
    );
  }
  if (typeof value === "string") {
    return value.replace(ASSET_PATH, (path) => {
      const file = join(stackDir, path);
      return existsSync(file) ? `asset:${contentDigest(file)}` : path;
    });
  }
  return value;
}

/**
 * Digest of a file or folder's content. A zip counts by its entries (name, CRC-32, size),
 * not its bytes: cdktf writes the build time into every archive it makes.
 */
export function contentDigest(path: string): string {
  const hash = createHash("sha256");
  const add = (p: string, name: string) => {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) add(join(p, entry), `${name}/${entry}`);
      return;
    }
    const bytes = readFileSync(p);
    hash.update(`${name}\0`);
    hash.update(p.endsWith(".zip") ? (zipEntries(bytes) ?? bytes) : bytes);
  };
  add(path, "");
  return hash.digest("hex").slice(0, 32);
}

/** `name crc size` per entry from a zip's central directory, or undefined if unreadable. */
export function zipEntries(zip: Buffer): string | undefined {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > zip.length) return undefined;
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) return undefined;
    const crc = zip.readUInt32LE(offset + 16);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    lines.push(`${name} ${crc.toString(16)} ${size}`);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return lines.sort().join("\n");
}

function stackJson(outdir: string, manifest: Manifest, stack: string): unknown {
  const s = manifest.stacks[stack]!;
  const json = JSON.parse(readFileSync(resolve(outdir, s.synthesizedStackPath), "utf8")) as unknown;
  return normalizeStackJson(json, resolve(outdir, s.workingDirectory));
}

export interface StackDiff {
  /** Stacks in both whose normalized JSON differs. */
  readonly modified: readonly string[];
  /** Stacks only in the head. */
  readonly added: readonly string[];
  /** Stacks only in the base: their resources are left behind unless destroyed by hand. */
  readonly removed: readonly string[];
  /** Stacks in both, identical. */
  readonly unchanged: readonly string[];
}

/** Compares two synth outputs stack by stack. */
export function diffOutdirs(baseOutdir: string, headOutdir: string): StackDiff {
  const base = readManifest(baseOutdir);
  const head = readManifest(headOutdir);
  const modified: string[] = [];
  const added: string[] = [];
  const unchanged: string[] = [];
  for (const stack of Object.keys(head.stacks)) {
    if (!base.stacks[stack]) added.push(stack);
    else if (JSON.stringify(stackJson(baseOutdir, base, stack)) !== JSON.stringify(stackJson(headOutdir, head, stack))) modified.push(stack);
    else unchanged.push(stack);
  }
  const removed = Object.keys(base.stacks).filter((s) => !head.stacks[s]);
  const sort = (list: string[]) => list.sort(compareStacks);
  return { modified: sort(modified), added: sort(added), removed: sort(removed), unchanged: sort(unchanged) };
}

interface SynthesizedJson {
  resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: unknown } }>>;
  moved?: Array<{ from?: string; to?: string }>;
}

function guardedAddresses(json: SynthesizedJson): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName ?? {})) {
      if (body?.lifecycle?.prevent_destroy === true) out.add(`${type}.${name}`);
    }
  }
  return out;
}

/**
 * Per stack in both synth outputs, the resources whose `lifecycle.prevent_destroy` the head
 * drops (the block removed, or the resource gone from the configuration). A plan never shows
 * this, yet it takes away the guard against a later destroy. A resource `moved` to a new
 * address counts as guarded when the new address is.
 */
export function preventDestroyRemoved(baseOutdir: string, headOutdir: string): Record<string, string[]> {
  const base = readManifest(baseOutdir);
  const head = readManifest(headOutdir);
  const read = (outdir: string, manifest: Manifest, stack: string) =>
    JSON.parse(readFileSync(resolve(outdir, manifest.stacks[stack]!.synthesizedStackPath), "utf8")) as SynthesizedJson;
  const out: Record<string, string[]> = {};
  for (const stack of Object.keys(head.stacks).sort(compareStacks)) {
    if (!base.stacks[stack]) continue;
    const before = guardedAddresses(read(baseOutdir, base, stack));
    if (before.size === 0) continue;
    const headJson = read(headOutdir, head, stack);
    const after = guardedAddresses(headJson);
    const movedTo = new Map((headJson.moved ?? []).map((m) => [m.from, m.to]));
    const lost = [...before].filter((a) => !after.has(a) && !after.has(movedTo.get(a) ?? "")).sort();
    if (lost.length > 0) out[stack] = lost;
  }
  return out;
}

export interface EnvironmentPlanSet {
  readonly environment: string;
  /** Stacks of this environment to plan (changed or dependent), sorted. */
  readonly stacks: readonly string[];
  /** The same stacks in deploy waves. */
  readonly waves: readonly (readonly string[])[];
  /** `stacks` joined by commas, for a shell step. */
  readonly stackList: string;
  /** The environment for variable names: `STAGING` in `AWS_PLAN_ROLE_ARN_STAGING`. */
  readonly variableSuffix: string;
}

export interface ChangedStacks {
  readonly base: string;
  /** The commit the base resolved to, or undefined when it could not be synthesized. */
  readonly baseCommit?: string;
  /** Why the base could not be compared (every stack then counts as changed). */
  readonly baseError?: string;
  /** Every stack was selected on request (`--all`), whatever the diff. */
  readonly replanAll?: boolean;
  readonly modified: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Stacks that did not change themselves but read outputs of one that did. */
  readonly dependents: readonly string[];
  /** modified + added + dependents: every stack whose plan may differ. */
  readonly stacks: readonly string[];
  /** `stacks` in deploy waves (a wave's stacks are independent of each other). */
  readonly waves: readonly (readonly string[])[];
  /** Stacks whose synthesized JSON is identical and that read from no changed stack. */
  readonly unchanged: readonly string[];
  /** Of `stacks`, those CI cannot plan or apply: local state (bootstrap). */
  readonly manual: readonly string[];
  /** Of `stacks`, those CI plans and applies, per environment, for a workflow matrix. */
  readonly environments: readonly EnvironmentPlanSet[];
  /**
   * Per stack, resources whose `lifecycle.prevent_destroy` the change removes (visible in the
   * synthesized JSON only, never in a plan): the review asks for an explicit approval.
   */
  readonly preventDestroyRemoved: Readonly<Record<string, readonly string[]>>;
}

/** True when the stack keeps its state in a local file, which a CI runner does not have. */
export function usesLocalState(outdir: string, manifest: Manifest, stack: string): boolean {
  const json = JSON.parse(readFileSync(resolve(outdir, manifest.stacks[stack]!.synthesizedStackPath), "utf8")) as {
    terraform?: { backend?: Record<string, unknown> };
  };
  return Object.keys(json.terraform?.backend ?? {}).includes("local");
}

/** The changed stacks and their dependents, in waves, from two synth outputs. */
/**
 * `replanAll` selects every stack whatever the diff: a pull request with no code change then
 * re-plans what a deploy refused (main differs from AWS), so it can be reviewed and applied.
 */
export function changedStacks(
  base: string,
  baseOutdir: string | undefined,
  headOutdir: string,
  extra: { baseCommit?: string; baseError?: string; replanAll?: boolean } = {},
): ChangedStacks {
  const { replanAll, ...recorded } = extra;
  const head = readManifest(headOutdir);
  const all = Object.keys(head.stacks).sort(compareStacks);
  const diff: StackDiff = baseOutdir
    ? diffOutdirs(baseOutdir, headOutdir)
    : { modified: [], added: all, removed: [], unchanged: [] };
  const direct = replanAll ? all : [...diff.modified, ...diff.added];
  const stacks = withDependents(head.stacks, direct).sort(compareStacks);
  const selected = new Set(stacks);
  const waves = deployWaves(head.stacks)
    .map((wave) => wave.filter((s) => selected.has(s)))
    .filter((wave) => wave.length > 0);
  const manual = stacks.filter((s) => usesLocalState(headOutdir, head, s));
  const automated = stacks.filter((s) => !manual.includes(s));
  const environments = [...new Set(automated.map(environmentOf))].sort(compareEnvironments).map((environment) => {
    const mine = automated.filter((s) => environmentOf(s) === environment);
    return {
      environment,
      stacks: mine,
      waves: waves.map((w) => w.filter((s) => mine.includes(s))).filter((w) => w.length > 0),
      stackList: mine.join(","),
      variableSuffix: environment.toUpperCase().replace(/[^A-Z0-9]/g, "_"),
    };
  });
  return {
    base,
    ...recorded,
    ...(replanAll ? { replanAll: true } : {}),
    modified: diff.modified,
    added: diff.added,
    removed: diff.removed,
    dependents: stacks.filter((s) => !direct.includes(s)),
    stacks,
    waves,
    unchanged: all.filter((s) => !selected.has(s)),
    manual,
    environments,
    preventDestroyRemoved: baseOutdir ? preventDestroyRemoved(baseOutdir, headOutdir) : {},
  };
}

function git(repoRoot: string, args: readonly string[]): string {
  const out = spawnSync("git", args, { cwd: repoRoot, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${(out.stderr || out.stdout).trim()}`);
  return out.stdout.trim();
}

/**
 * A `node_modules` for a checkout of another commit: every third-party package this checkout
 * installed (at the root or in any workspace package) linked by absolute path, and each
 * `@platform/*` workspace package of the *other* commit linked to its own folder there.
 */
export function linkDependencies(installedRoot: string, checkout: string): void {
  const target = join(checkout, "node_modules");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const workspacePackages = new Map<string, string>();
  for (const group of ["packages", "apps"]) {
    const dir = join(checkout, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const manifest = join(dir, entry, "package.json");
      if (existsSync(manifest)) workspacePackages.set((JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name, join(dir, entry));
    }
  }
  const link = (name: string, to: string) => {
    const at = join(target, name);
    if (existsSync(at) || isLink(at)) return;
    mkdirSync(join(at, ".."), { recursive: true });
    symlinkSync(to, at, "dir");
  };
  for (const [name, dir] of workspacePackages) link(name, relative(join(target, name, ".."), dir));
  const sources = [join(installedRoot, "node_modules")];
  for (const group of ["packages", "apps"]) {
    const dir = join(installedRoot, group);
    if (existsSync(dir)) for (const entry of readdirSync(dir)) sources.push(join(dir, entry, "node_modules"));
  }
  for (const source of sources) {
    if (!existsSync(source)) continue;
    for (const entry of readdirSync(source)) {
      if (entry === ".pnpm" || entry.startsWith(".modules") || entry.startsWith(".pnpm-") || entry.startsWith(".vite")) continue;
      const full = join(source, entry);
      const names = entry.startsWith("@") && !isLink(full) ? readdirSync(full).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) {
        if (workspacePackages.has(name) || name.startsWith("@platform/")) continue;
        try {
          link(name, realpathSync(join(source, name)));
        } catch {
          // A dangling link in our own install: nothing to offer the other checkout.
        }
      }
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Synthesizes `ref` of the repository at `repoRoot` into `outdir`, with `repoRoot`'s installed
 * packages. Returns the commit. Throws when the ref is unknown or its app fails.
 */
export function synthesizeRef(ref: string, repoRoot: string, outdir: string): string {
  const commit = git(repoRoot, ["rev-parse", "--verify", `${ref}^{commit}`]);
  const worktree = mkdtempSync(join(tmpdir(), "platform-base-"));
  git(repoRoot, ["worktree", "add", "--detach", "--force", worktree, commit]);
  try {
    linkDependencies(repoRoot, worktree);
    const cdktfJson = join(worktree, "cdktf.json");
    const app = existsSync(cdktfJson)
      ? ((JSON.parse(readFileSync(cdktfJson, "utf8")) as { app?: string }).app ?? "node_modules/.bin/tsx apps/main.ts")
      : "node_modules/.bin/tsx apps/main.ts";
    mkdirSync(outdir, { recursive: true });
    const run = spawnSync("sh", ["-c", app], {
      cwd: worktree,
      encoding: "utf8",
      env: { ...process.env, CDKTF_OUTDIR: outdir, PATH: `${join(worktree, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
      timeout: 300_000,
    });
    if (run.status !== 0) throw new Error(`synth of ${ref} (${commit.slice(0, 12)}) failed: ${(run.stderr || run.stdout || String(run.error)).trim().split("\n").slice(-15).join("\n")}`);
    if (!existsSync(join(outdir, "manifest.json"))) throw new Error(`synth of ${ref} wrote no manifest.json into ${outdir}`);
    return commit;
  } finally {
    spawnSync("git", ["worktree", "remove", "--force", worktree], { cwd: repoRoot });
    rmSync(worktree, { recursive: true, force: true });
    spawnSync("git", ["worktree", "prune"], { cwd: repoRoot });
  }
}
