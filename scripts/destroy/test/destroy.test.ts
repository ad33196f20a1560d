import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteParameterCommand } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { destroyArgs, destroyRefusal, destroyWaves, destroyedCount, lambdaWrittenParameters, removeLambdaWrites } from "../destroy";

/** The dependency graph of the README's "Stacks and deploy order", both environments. */
const stacks = (names: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(names).map(([name, dependencies]) => [name, { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies }]));

const manifest = {
  stacks: stacks({
    bootstrap: [],
    "staging-network": [],
    "staging-registry": [],
    "staging-storage": [],
    "staging-security": ["staging-network"],
    "staging-database": ["staging-network", "staging-security"],
    "staging-compute": ["staging-network", "staging-registry", "staging-security", "staging-database"],
    "prod-network": [],
    "prod-dns": [],
    "prod-security": ["prod-network"],
    "prod-database": ["prod-network", "prod-security"],
    "prod-compute": ["prod-network", "prod-security", "prod-dns", "prod-database"],
    "prod-edge": ["prod-compute", "prod-dns"],
  }),
};

describe("destroy refusal", () => {
  it("refuses prod without --confirm prod, naming the command that confirms", () => {
    expect(destroyRefusal("prod", "protected", { planOnly: false })).toMatch(/prod is protected .* `pnpm destroy prod --confirm prod`/);
  });

  it("refuses a confirmation that is not the environment's name", () => {
    expect(destroyRefusal("prod", "protected", { planOnly: false, confirm: "yes" })).toMatch(/got --confirm "yes"/);
    expect(destroyRefusal("prod", "protected", { planOnly: false, confirm: "staging" })).toMatch(/protected/);
  });

  it("lets prod go only when its name is typed, and plans without confirmation", () => {
    expect(destroyRefusal("prod", "protected", { planOnly: false, confirm: "prod" })).toBeUndefined();
    expect(destroyRefusal("prod", "protected", { planOnly: true })).toBeUndefined();
  });

  it("lets a teardown-allowed environment go without confirmation, and refuses an unknown one", () => {
    expect(destroyRefusal("staging", "allowed", { planOnly: false })).toBeUndefined();
    expect(destroyRefusal("qa", undefined, { planOnly: true })).toMatch(/no environment named qa/);
  });
});

describe("destroy order", () => {
  it("is the environment's deploy waves reversed: consumers before their producers, nothing of another environment", () => {
    expect(destroyWaves(manifest, "staging")).toEqual([
      ["staging-compute"],
      ["staging-database"],
      ["staging-security"],
      ["staging-network", "staging-registry", "staging-storage"],
    ]);
    expect(destroyWaves(manifest, "prod")).toEqual([["prod-edge"], ["prod-compute"], ["prod-database"], ["prod-security"], ["prod-dns", "prod-network"]]);
  });

  it("leaves out excluded stacks (local state)", () => {
    expect(destroyWaves(manifest, "staging", new Set(["staging-storage"])).flat()).not.toContain("staging-storage");
  });
});

describe("what the Lambda wrote", () => {
  const outdir = mkdtempSync(join(tmpdir(), "destroy-test-"));
  mkdirSync(join(outdir, "stacks", "staging-database"), { recursive: true });
  writeFileSync(join(outdir, "stacks", "staging-database", "cdk.tf.json"), JSON.stringify({ output: { database_url_parameter: { value: "/acme/staging/DATABASE_URL" } } }));

  it("is the database stack's DATABASE_URL parameter", () => {
    expect(lambdaWrittenParameters(outdir, manifest, "staging")).toEqual(["/acme/staging/DATABASE_URL"]);
    expect(lambdaWrittenParameters(outdir, manifest, "qa")).toEqual([]);
  });

  it("prints and deletes nothing on a dry run", async () => {
    const sent: unknown[] = [];
    const lines: string[] = [];
    await removeLambdaWrites({ send: async (c: unknown) => sent.push(c) } as never, ["/acme/staging/DATABASE_URL"], { dryRun: true, log: (l) => lines.push(l) });
    expect(sent).toEqual([]);
    expect(lines).toEqual(["would delete SSM parameter /acme/staging/DATABASE_URL (written by the DATABASE_URL publisher, outside Terraform)"]);
  });

  it("deletes the parameter, and accepts one already gone (a re-run)", async () => {
    const sent: DeleteParameterCommand[] = [];
    const ssm = { send: async (c: DeleteParameterCommand) => { sent.push(c); if (sent.length > 1) throw Object.assign(new Error("gone"), { name: "ParameterNotFound" }); return {}; } };
    const removed = await removeLambdaWrites(ssm as never, ["/a/DATABASE_URL", "/b/DATABASE_URL"], { dryRun: false, log: () => {} });
    expect(sent.map((c) => c.input.Name)).toEqual(["/a/DATABASE_URL", "/b/DATABASE_URL"]);
    expect(removed).toEqual(["/a/DATABASE_URL"]);
  });

  it("fails on any other error (no silent leftovers)", async () => {
    const ssm = { send: async () => { throw Object.assign(new Error("denied"), { name: "AccessDeniedException" }); } };
    await expect(removeLambdaWrites(ssm as never, ["/a/DATABASE_URL"], { dryRun: false, log: () => {} })).rejects.toThrow(/denied/);
  });
});

describe("terraform steps", () => {
  it("plans a destroy into a saved plan in --plan mode, destroys otherwise", () => {
    expect(destroyArgs(true).slice(0, 2)).toEqual(["plan", "-destroy"]);
    expect(destroyArgs(false).slice(0, 2)).toEqual(["destroy", "-auto-approve"]);
  });

  it("reads the count from terraform's summary line", () => {
    expect(destroyedCount("Plan: 0 to add, 0 to change, 12 to destroy.")).toBe(12);
    expect(destroyedCount("Destroy complete! Resources: 7 destroyed.")).toBe(7);
    expect(destroyedCount("No changes. No objects need to be destroyed.")).toBe(0);
  });
});
