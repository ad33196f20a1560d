import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { applySavedPlan, planStack, planStacksInWaves } from "../ci-terraform";
import type { PlanJson } from "../../shared/plan-json";
import type { TerraformSetup } from "../../shared/terraform";

const SECRET = "ci-apply-Secr3t-1234";

/**
 * A stand-in `terraform` that records its arguments and prints the plan JSON in
 * $STUB_PLAN for `show -json`, so the apply decision is tested without AWS.
 */
function stubTerraform(dir: string): TerraformSetup {
  const binary = join(dir, "terraform");
  writeFileSync(
    binary,
    `#!/bin/sh\necho "$@" >> "${join(dir, "calls.log")}"\ncase "$1" in\n  show) cat "$STUB_PLAN" ;;\n  apply) echo "Apply complete! Resources: 0 added, 1 changed, 0 destroyed." ;;\nesac\nexit 0\n`,
  );
  chmodSync(binary, 0o755);
  return { binary, cliConfigFile: join(dir, "rc"), mirror: undefined, pluginCacheDir: dir };
}

function fakeOutdir(): string {
  const out = mkdtempSync(join(tmpdir(), "ci-synth-"));
  mkdirSync(join(out, "stacks", "staging-compute"), { recursive: true });
  writeFileSync(join(out, "stacks", "staging-compute", "cdk.tf.json"), "{}");
  writeFileSync(
    join(out, "manifest.json"),
    JSON.stringify({ stacks: { "staging-compute": { name: "staging-compute", workingDirectory: "stacks/staging-compute", synthesizedStackPath: "stacks/staging-compute/cdk.tf.json", dependencies: [] } } }),
  );
  return out;
}

function plan(desired: number): PlanJson {
  return {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_ecs_service.web_1",
        type: "aws_ecs_service",
        change: {
          actions: ["update"],
          before: { desired_count: 1, secret: SECRET },
          after: { desired_count: desired, secret: SECRET },
          after_unknown: {},
          before_sensitive: { secret: true },
          after_sensitive: { secret: true },
        },
      },
    ],
  };
}

describe("planning and applying the saved plan", () => {
  it("plans into a saved plan file, keeps only the redacted JSON, and applies exactly that file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ci-apply-"));
    writeFileSync(join(dir, "current.json"), JSON.stringify(plan(2)));
    // Test files share their worker's process (isolate: false): put the variable back afterwards.
    const saved = process.env.STUB_PLAN;
    onTestFinished(() => {
      if (saved === undefined) delete process.env.STUB_PLAN;
      else process.env.STUB_PLAN = saved;
    });
    process.env.STUB_PLAN = join(dir, "current.json");
    const setup = stubTerraform(dir);
    const outdir = fakeOutdir();
    const planned = await planStack(setup, outdir, "staging-compute", join(dir, "work", "staging-compute.json"));
    expect(planned.ok).toBe(true);
    expect(readFileSync(join(dir, "work", "staging-compute.json"), "utf8")).not.toContain(SECRET);
    expect(await applySavedPlan(setup, outdir, "staging-compute")).toEqual({ ok: true });
    const calls = readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n");
    expect(calls.map((l) => l.split(" ")[0])).toEqual(["init", "plan", "show", "apply"]);
    expect(calls.at(-1)).toMatch(/^apply .* tfplan$/);
  });

  it("returns a failed apply's error masked (it lands in the job summary)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ci-apply-"));
    const binary = join(dir, "terraform");
    writeFileSync(binary, `#!/bin/sh\necho 'Error: creating thing: value "${SECRET}" rejected' >&2\nexit 1\n`);
    chmodSync(binary, 0o755);
    const result = await applySavedPlan({ binary, cliConfigFile: join(dir, "rc"), mirror: undefined, pluginCacheDir: dir }, fakeOutdir(), "staging-compute");
    expect(result.ok).toBe(false);
    expect(result.error).toContain("Error: creating thing");
    expect(result.error).not.toContain(SECRET);
  });
});

describe("planning stacks in waves", () => {
  /** A stand-in terraform whose plan fails in the staging-security folder, quoting a value. */
  function failingProducer(dir: string): TerraformSetup {
    const binary = join(dir, "terraform");
    writeFileSync(
      binary,
      `#!/bin/sh\necho "$(basename "$PWD") $@" >> "${join(dir, "calls.log")}"\ncase "$1" in\n  plan) if [ "$(basename "$PWD")" = staging-security ]; then printf 'Error: No value for required variable\\n\\n  on cdk.tf.json line 3: "alb_allowed_cidrs-${SECRET}"\\n' >&2; exit 1; fi ;;\n  show) echo '{"format_version":"1.2","resource_changes":[]}' ;;\n  providers) echo '{"provider_schemas":{}}' ;;\nesac\nexit 0\n`,
    );
    chmodSync(binary, 0o755);
    return { binary, cliConfigFile: join(dir, "rc"), mirror: undefined, pluginCacheDir: dir };
  }

  function outdirOf(stacks: Record<string, readonly string[]>): string {
    const out = mkdtempSync(join(tmpdir(), "ci-waves-"));
    const manifest: Record<string, unknown> = {};
    for (const [name, dependencies] of Object.entries(stacks)) {
      mkdirSync(join(out, "stacks", name), { recursive: true });
      writeFileSync(join(out, "stacks", name, "cdk.tf.json"), "{}");
      manifest[name] = { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: "", dependencies };
    }
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ stacks: manifest }));
    return out;
  }

  it("leaves an errored placeholder with masked error lines, and fails a consumer of a failed producer without planning it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ci-waves-"));
    const outdir = outdirOf({ "staging-network": [], "staging-security": ["staging-network"], "staging-compute": ["staging-security", "staging-network"] });
    const results = await planStacksInWaves(failingProducer(dir), outdir, ["staging-compute", "staging-security", "staging-network"], join(dir, "plans"), {
      workDir: join(dir, "work"),
      concurrency: 2,
    });
    expect(results.map((r) => [r.stack, r.ok])).toEqual([["staging-compute", false], ["staging-security", false], ["staging-network", true]]);
    expect(results[0]!.error).toBe("producer staging-security failed");

    const placeholder = JSON.parse(readFileSync(join(dir, "plans", "staging-security.json"), "utf8")) as PlanJson;
    expect(placeholder).toEqual({
      format_version: "1.2",
      errored: true,
      resource_changes: [],
      error_lines: ["Error: No value for required variable", '  on cdk.tf.json line 3: "(masked)"'],
    });
    const consumer = JSON.parse(readFileSync(join(dir, "plans", "staging-compute.json"), "utf8")) as PlanJson;
    expect(consumer).toMatchObject({ errored: true, resource_changes: [] });
    expect(consumer.error_lines).toEqual(["Error: not planned: producer staging-security failed, so its outputs are unknown"]);
    const calls = readFileSync(join(dir, "calls.log"), "utf8");
    expect(calls).not.toContain("staging-compute");
    expect(JSON.parse(readFileSync(join(dir, "plans", "staging-network.json"), "utf8"))).toMatchObject({ format_version: "1.2", resource_changes: [] });
  });
});
