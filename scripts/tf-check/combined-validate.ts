import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readManifest } from "../shared/manifest";
import { OFFLINE_ENV, runTerraform, type TerraformSetup } from "../shared/terraform";
import { asChildModule, asStackDiagnostic, diagnosticModule, mockVariables, parseValidateOutput, tail, type Diagnostic, type StackJson } from "./offline-config";

export interface CombinedValidation {
  /** Diagnostics of each stack, addresses as in the stack itself (no `module.<stack>.` prefix). */
  readonly diagnostics: ReadonlyMap<string, readonly Diagnostic[]>;
  /** A failure that belongs to no one stack (the root itself, `terraform get`). */
  readonly error?: string;
  readonly seconds: number;
}

/** A file of the combined root that belongs to one stack: its module's folder, or its import blocks. */
const STACK_FILE = /^(?:\.\/)?(?:stacks\/([^/]+)\/|imports-(.+)\.tf\.json$)/;

/**
 * `terraform validate` of many stacks in one run, so the AWS provider schema is loaded once: a
 * generated root module calls every stack as a child module (`./stacks/<stack>`, a copy of its
 * cdk.tf.json without the backend block, which only a root may hold; offline provider settings
 * and mock inputs as in the per-stack check). Diagnostics map back to their stack by the file
 * they point at (`stacks/<stack>/…`), else by their `module.<stack>` address.
 */
export async function validateCombined(setup: TerraformSetup, outdir: string, stacks: readonly string[], workRoot: string): Promise<CombinedValidation> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const manifest = readManifest(outdir);
  const root = resolve(workRoot, "combined");
  rmSync(join(root, "stacks"), { recursive: true, force: true });
  mkdirSync(join(root, "stacks"), { recursive: true });
  const modules: Record<string, Record<string, unknown>> = {};
  for (const stack of stacks) {
    const source = resolve(outdir, manifest.stacks[stack]!.workingDirectory);
    const { json, imports } = asChildModule(JSON.parse(readFileSync(join(source, "cdk.tf.json"), "utf8")) as StackJson, stack);
    // The import blocks go to a root file of the stack's own, so their diagnostics still map to it.
    const importsFile = join(root, `imports-${stack}.tf.json`);
    rmSync(importsFile, { force: true });
    if (imports.length) writeFileSync(importsFile, JSON.stringify({ import: imports }, null, 2));
    const dir = join(root, "stacks", stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    if (existsSync(join(source, "assets"))) symlinkSync(resolve(source, "assets"), join(dir, "assets"), "dir");
    modules[stack] = { source: `./stacks/${stack}`, ...mockVariables(json) };
  }
  writeFileSync(join(root, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));

  const get = await runTerraform(setup, root, ["get", "-no-color"], OFFLINE_ENV);
  if (get.code !== 0) return { diagnostics: new Map(), error: `terraform get failed: ${tail(get.stderr || get.stdout)}`, seconds: seconds() };
  const validate = await runTerraform(setup, root, ["validate", "-json", "-no-color"], OFFLINE_ENV);
  const byStack = new Map<string, Diagnostic[]>(stacks.map((s) => [s, []]));
  const orphans: string[] = [];
  for (const d of parseValidateOutput(validate.stdout)) {
    const stack = diagnosticModule(d, STACK_FILE, stacks);
    if (!stack) {
      orphans.push(`${d.severity}: ${d.summary}${d.detail ? `: ${d.detail}` : ""}`);
      continue;
    }
    byStack.get(stack)!.push(asStackDiagnostic(d, stack));
  }
  const failedWithoutDiagnostics = validate.code !== 0 && [...byStack.values()].every((ds) => !ds.some((d) => d.severity === "error"));
  const error =
    orphans.length > 0 ? orphans.join("\n") : failedWithoutDiagnostics ? `terraform validate failed: ${tail(validate.stderr || validate.stdout)}` : undefined;
  return { diagnostics: byStack, error, seconds: seconds() };
}

