import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyIfReviewed, findReviewedPlans, planStacksInWaves } from "../lib/ci-terraform";
import type { PlanJson } from "../lib/plan-json";
import type { TerraformSetup } from "../lib/terraform";

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

describe("applying only the reviewed plan", () => {
  const setup = (dir: string) => stubTerraform(dir);

  async function run(current: PlanJson, reviewed: PlanJson | undefined) {
    const dir = mkdtempSync(join(tmpdir(), "ci-apply-"));
    writeFileSync(join(dir, "current.json"), JSON.stringify(current));
    process.env.STUB_PLAN = join(dir, "current.json");
    let reviewedPath: string | undefined;
    if (reviewed) {
      reviewedPath = join(dir, "staging-compute.json");
      writeFileSync(reviewedPath, JSON.stringify(reviewed));
    }
    const result = await applyIfReviewed(setup(dir), fakeOutdir(), "staging-compute", reviewedPath, join(dir, "work"));
    const calls = readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").map((l) => l.split(" ")[0]);
    return { result, calls, dir };
  }

  it("applies the saved plan file when the new plan matches the reviewed one", async () => {
    const { result, calls, dir } = await run(plan(2), plan(2));
    expect(result.outcome).toBe("applied");
    expect(calls).toEqual(["init", "plan", "show", "apply"]);
    expect(readFileSync(join(dir, "calls.log"), "utf8")).toMatch(/^apply .* tfplan$/m);
    // What it keeps of the new plan is redacted.
    expect(readFileSync(join(dir, "work", "staging-compute.json"), "utf8")).not.toContain(SECRET);
  });

  it("refuses, naming the address, when the plan no longer matches", async () => {
    const { result, calls } = await run(plan(3), plan(2));
    expect(result.outcome).toBe("refused");
    expect(result.detail).toContain("aws_ecs_service.web_1: changes differently than reviewed");
    expect(result.detail).not.toContain(SECRET);
    expect(calls).not.toContain("apply");
  });

  it("refuses changes that no reviewed plan covers, and skips a stack with nothing to do", async () => {
    expect((await run(plan(2), undefined)).result.outcome).toBe("refused");
    const none = await run({ format_version: "1.2", resource_changes: [] }, undefined);
    expect(none.result.outcome).toBe("nothing to apply");
    expect(none.calls).not.toContain("apply");
  });

  it("finds reviewed plans in the folders artifacts download into", () => {
    const dir = mkdtempSync(join(tmpdir(), "reviewed-"));
    mkdirSync(join(dir, "plans-staging"));
    writeFileSync(join(dir, "plans-staging", "staging-compute.json"), "{}");
    const found = findReviewedPlans(dir);
    expect([...found.keys()]).toEqual(["staging-compute"]);
    expect(existsSync(found.get("staging-compute")!)).toBe(true);
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
