import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import type { ManifestStack } from "../shared/manifest";
import { AWS_PROVIDER_VERSION } from "../shared/terraform";

/** Bumped when the offline working copy or the plan flags change what a plan shows. */
const FORMAT = 1;

/** Where the terraform tier keeps plans of unchanged stacks (see {@link PlanCache}). */
export const DEFAULT_PLAN_CACHE = resolve("node_modules", ".cache", "tf-plans");

/** A stack's cached offline check: its result (no paths) and its `terraform show -json`. */
export interface CachedCheck<R> {
  readonly result: R;
  readonly planJsonPath: string;
}

/**
 * Offline plans keyed by everything they depend on: the stack's cdk.tf.json and asset files,
 * the keys of its producers (their planned outputs are its inputs), the terraform binary's and
 * the AWS provider's versions, and this format. The same stack synthesized the same way is
 * planned once, whichever test file (or run) asks first; any change to an input is a miss.
 */
export class PlanCache {
  private readonly keys = new Map<string, string>();
  private readonly binaryVersion: string;

  constructor(
    private readonly dir: string,
    binary: string,
  ) {
    // The whole version line: a different terraform build may plan differently.
    this.binaryVersion = spawnSync(binary, ["version", "-json"], { encoding: "utf8" }).stdout;
    if (!this.binaryVersion) throw new Error(`${binary} version -json printed nothing`);
  }

  /** Keys of `stacks` (producers first, as `deployWaves` orders them) from the synth output. */
  keyAll(outdir: string, stacks: Readonly<Record<string, ManifestStack>>, order: readonly string[]): void {
    for (const name of order) {
      const stack = stacks[name]!;
      const source = resolve(outdir, stack.workingDirectory);
      const hash = createHash("sha256").update(`${FORMAT}\0${this.binaryVersion}\0${AWS_PROVIDER_VERSION}\0`);
      hash.update(readFileSync(join(source, "cdk.tf.json")));
      for (const file of listFiles(join(source, "assets"))) hash.update(`\0${relative(source, file)}\0`).update(readFileSync(file));
      for (const producer of [...stack.dependencies].sort()) {
        const key = this.keys.get(producer);
        if (!key) throw new Error(`${name}: producer ${producer} has no key yet (keys follow the deploy order)`);
        hash.update(`\0${producer}\0${key}`);
      }
      this.keys.set(name, hash.digest("hex"));
    }
  }

  get<R>(stack: string): CachedCheck<R> | undefined {
    const entry = this.entry(stack);
    if (!entry || !existsSync(join(entry, "plan.json")) || !existsSync(join(entry, "result.json"))) return undefined;
    return { result: JSON.parse(readFileSync(join(entry, "result.json"), "utf8")) as R, planJsonPath: join(entry, "plan.json") };
  }

  put(stack: string, result: unknown, planJsonPath: string): void {
    const entry = this.entry(stack);
    if (!entry) return;
    // Written aside, then renamed: a reader in another test file never sees half an entry.
    const temp = `${entry}.${process.pid}.tmp`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    cpSync(planJsonPath, join(temp, "plan.json"));
    writeFileSync(join(temp, "result.json"), JSON.stringify(result));
    rmSync(entry, { recursive: true, force: true });
    try {
      renameSync(temp, entry);
    } catch {
      rmSync(temp, { recursive: true, force: true }); // another process stored the same key first
    }
  }

  private entry(stack: string): string | undefined {
    const key = this.keys.get(stack);
    return key && join(this.dir, key.slice(0, 2), key);
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: false })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .sort();
}
