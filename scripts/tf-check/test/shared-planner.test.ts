import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TerraformSetup } from "../../shared/terraform";
import type { BatchJob, BatchOptions, BatchResult } from "../plan-batch";
import { remotePlanner, servePlanner, SharedPlanner, type RunBatch } from "../shared-planner";

const setup: TerraformSetup = { binary: "terraform", cliConfigFile: "rc", mirror: undefined, pluginCacheDir: "cache" };
const job = (id: string): BatchJob => ({ id, stackDir: `/synth/${id}`, json: {} as never, remoteState: (p) => `/states/${p}.tfstate` });

/** A stand-in for planBatchHere: records each run's job ids and options; a job named `bad…` fails its whole run. */
function recorder() {
  const runs: Array<{ ids: string[]; options: BatchOptions }> = [];
  const run: RunBatch = async (_setup, jobs, options) => {
    runs.push({ ids: jobs.map((j) => j.id), options });
    const failed = jobs.find((j) => j.id.includes("bad"));
    return new Map<string, BatchResult>(
      jobs.map((j) => [j.id, failed ? { ok: false, error: `${failed.id} failed` } : { ok: true, plan: { planned: j.id }, diagnostics: [{ severity: "warning", summary: `on ${j.id}` }] }]),
    );
  };
  return { runs, run };
}

const planner = (run: RunBatch, limits = {}) => new SharedPlanner(setup, mkdtempSync(join(tmpdir(), "planner-")), { gatherMs: 20, ...limits }, run);

describe("the shared planner", () => {
  it("plans batches asked for together in one run, and answers each with its own jobs under their own ids", async () => {
    const { runs, run } = recorder();
    const p = planner(run);
    const [a, b] = await Promise.all([p.plan([job("network"), job("security")], { diagnostics: true }), p.plan([job("network")], {})]);
    expect(runs.map((r) => r.ids)).toEqual([["q0_network", "q0_security", "q1_network"]]);
    expect(runs[0]!.options).toMatchObject({ diagnostics: true });
    expect([...a!]).toEqual([
      ["network", { ok: true, plan: { planned: "q0_network" }, diagnostics: [{ severity: "warning", summary: "on q0_network" }] }],
      ["security", { ok: true, plan: { planned: "q0_security" }, diagnostics: [{ severity: "warning", summary: "on q0_security" }] }],
    ]);
    // As its own planBatch would answer: no diagnostics asked for, none given.
    expect([...b!]).toEqual([["network", { ok: true, plan: { planned: "q1_network" }, diagnostics: [] }]]);
    expect(p.stats()).toMatchObject({ runs: 1, merged: 1, rerun: 0 });
  });

  it("runs each batch of a merged run that failed again on its own, so only the failing one gets the error", async () => {
    const { runs, run } = recorder();
    const p = planner(run);
    const [good, bad] = await Promise.all([p.plan([job("good")], {}), p.plan([job("bad")], {})]);
    expect(runs.map((r) => r.ids)).toEqual([["q0_good", "q1_bad"], ["good"], ["bad"]]);
    expect(good!.get("good")).toMatchObject({ ok: true });
    expect(bad!.get("bad")).toEqual({ ok: false, error: "bad failed" });
    expect(p.stats()).toMatchObject({ runs: 3, merged: 1, rerun: 1 });
  });

  it("never merges a destroy plan with a plan, nor past the job limit", async () => {
    const { runs, run } = recorder();
    const p = planner(run, { runs: 1, jobs: 3 });
    await Promise.all([p.plan([job("a"), job("b")], {}), p.plan([job("c")], { destroy: true }), p.plan([job("d"), job("e")], {}), p.plan([job("f")], {})]);
    expect(runs.map((r) => [r.ids, Boolean(r.options.destroy)])).toEqual([
      [["q0_a", "q0_b", "q1_f"], false],
      [["c"], true],
      [["d", "e"], false],
    ]);
  });

  it("runs a batch expected to fail on its own, so it fails no one else's run", async () => {
    const { runs, run } = recorder();
    const p = planner(run);
    const [refused, other] = await Promise.all([p.plan([job("bad-destroy")], { destroy: true, mayFail: true }), p.plan([job("staging")], { destroy: true })]);
    expect(runs.map((r) => r.ids)).toEqual([["bad-destroy"], ["staging"]]);
    expect(refused.get("bad-destroy")).toMatchObject({ ok: false });
    expect(other.get("staging")).toMatchObject({ ok: true });
    expect(p.stats()).toMatchObject({ merged: 0, rerun: 0 });
  });

  it("serves workers over HTTP: a job's producers' state files travel with it, the work folder stays the planner's", async () => {
    const { runs, run } = recorder();
    const seen: string[] = [];
    const capture: RunBatch = async (s, jobs, options) => {
      seen.push(...jobs.map((j) => j.remoteState("staging-network")));
      return run(s, jobs, options);
    };
    const dir = mkdtempSync(join(tmpdir(), "planner-stack-"));
    mkdirSync(join(dir, "compute"), { recursive: true });
    const json = { data: { terraform_remote_state: { net: { backend: "s3", config: { key: "staging-network.tfstate" } } } } };
    writeFileSync(join(dir, "compute", "cdk.tf.json"), JSON.stringify(json));
    const served = await servePlanner(planner(capture));
    try {
      const results = await remotePlanner(served.url)([{ id: "compute", stackDir: join(dir, "compute"), remoteState: (p) => `/states/${p}.tfstate` }], { workDir: "ignored" });
      expect(seen).toEqual(["/states/staging-network.tfstate"]);
      expect(results.get("compute")).toMatchObject({ ok: true, plan: { planned: "compute" } });
      expect(runs.map((r) => r.options.workDir)).not.toContain("ignored");
    } finally {
      await served.close();
    }
  });
});
