/**
 * The combined validate (one root module calling every stack) must report each diagnostic on
 * the stack it belongs to, with the stack's own addresses: two small stacks, one with an
 * argument the AWS provider does not have, one clean; both carry an S3 backend, which only a
 * root may hold, and a variable without default; the clean one also imports its bucket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateCombined, type CombinedValidation } from "../../scripts/tf-check/combined-validate";
import { findTerraform, prepareOfflineTerraform } from "../../scripts/shared/terraform";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

function stack(name: string, bucket: Record<string, unknown>, imports: object[] = []): object {
  return {
    ...(imports.length ? { import: imports } : {}),
    terraform: {
      required_providers: { aws: { source: "aws", version: "5.100.0" } },
      backend: { s3: { bucket: "state", key: `${name}.tfstate`, region: "ap-northeast-1" } },
    },
    provider: { aws: [{ region: "ap-northeast-1" }] },
    variable: { allowed: { type: "list(string)" } },
    resource: { aws_s3_bucket: { logs: bucket } },
  };
}

describe.skipIf(!terraform && !inCi)("terraform validate of many stacks at once", () => {
  const root = mkdtempSync(join(tmpdir(), "combined-validate-"));
  let result: CombinedValidation;

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH");
    const outdir = join(root, "synth");
    const stacks = {
      // An import block, which only a root module may hold: the combined root takes it over.
      "staging-good": stack("staging-good", { bucket: "good-bucket" }, [{ to: "aws_s3_bucket.logs", id: "good-bucket" }]),
      "staging-bad": stack("staging-bad", { bucket: "bad-bucket", no_such_argument: true }),
    };
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(join(outdir, "stacks", name), { recursive: true });
      writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
    }
    writeFileSync(
      join(outdir, "manifest.json"),
      JSON.stringify({
        stacks: Object.fromEntries(Object.keys(stacks).map((name) => [name, { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: "", dependencies: [] }])),
      }),
    );
    const setup = await prepareOfflineTerraform(join(root, "work"));
    result = await validateCombined(setup, outdir, Object.keys(stacks), join(root, "work"));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reports the error on its own stack only", () => {
    expect(result.error).toBeUndefined();
    expect(result.diagnostics.get("staging-good")).toEqual([]);
    const bad = result.diagnostics.get("staging-bad")!;
    expect(bad.map((d) => [d.severity, d.summary])).toEqual([["error", "Extraneous JSON object property"]]);
    expect(bad[0]!.detail).toContain("no_such_argument");
  });
});
