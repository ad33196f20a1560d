/**
 * Issue 11, item 5: the trigger constructs of @platform/lambda gave the EventBridge rules,
 * targets, permissions and Scheduler resources of staging-database and staging-compute new
 * construct paths. Their `moved` blocks must keep the deployed resources: a state "applied"
 * from the pre-refactor addresses plans to moves and nothing else (no destroy, no create).
 * The "before" configuration is today's synth with each moved resource renamed back to its
 * former address (its `from`) and the moved blocks dropped. Applies and plans go through
 * applyOffline (local-pipeline.ts): one terraform run per round for both stacks.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { mainSynth } from "./main-synth";
import { findTerraform, prepareOfflineTerraform } from "../../scripts/shared/terraform";
import { applyOffline, editStack, localCopy, providerSchema, readStackJson, writeProducerState } from "./local-pipeline";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

const STACKS = ["staging-database", "staging-compute"] as const;
/** Their producers outside the test: outputs-only states. */
const PRODUCERS = ["staging-network", "staging-security", "staging-registry", "staging-storage"];

interface Moved {
  readonly from: string;
  readonly to: string;
}

const movedOf = (outdir: string, stack: string): Moved[] => ((readStackJson(outdir, stack) as { moved?: Moved[] }).moved ?? []);

describe.skipIf(!terraform && !inCi)("Lambda trigger refactor: moved blocks keep staging's resources", () => {
  const root = resolve(".tf-test", "lambda-moves");
  let synth: string;
  const plans = new Map<string, PlanJson>();

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const setup = await prepareOfflineTerraform(resolve(".tf-test", "lambda-moves-terraform"));
    synth = await mainSynth();
    const states = join(root, "states");
    mkdirSync(states, { recursive: true });

    const before = localCopy(synth, join(root, "before"), STACKS, states);
    for (const stack of STACKS) {
      const moved = movedOf(synth, stack);
      editStack(before, stack, (json) => {
        let text = JSON.stringify(json);
        for (const m of moved) text = text.replaceAll(m.to.split(".")[1]!, m.from.split(".")[1]!);
        const renamed = JSON.parse(text) as typeof json & { moved?: unknown };
        delete renamed.moved;
        for (const key of Object.keys(json)) delete (json as Record<string, unknown>)[key];
        Object.assign(json, renamed);
      });
    }
    const schema = await providerSchema(setup, join(root, "schema"));
    for (const p of PRODUCERS) writeProducerState(synth, p, states, schema);
    const after = localCopy(synth, join(root, "after"), STACKS, states);
    // Applied from the pre-refactor addresses, then planned with today's synth.
    const planned = await applyOffline(
      setup,
      join(root, "batches"),
      schema,
      STACKS.map((stack) => ({ outdir: before, stack, states })),
      STACKS.map((stack) => ({ id: `after-${stack}`, outdir: after, stack, states })),
    );
    for (const stack of STACKS) plans.set(stack, planned.get(`after-${stack}`)!);
  });

  it.each(STACKS)("%s: every moved block renames a deployed resource in place", (stack) => {
    const moved = movedOf(synth, stack);
    expect(moved.length).toBeGreaterThan(0);
    const changes = plans.get(stack)!.resource_changes ?? [];
    for (const m of moved) {
      const change = changes.find((c) => c.address === m.to);
      expect(change, m.to).toBeDefined();
      expect(change!.previous_address).toBe(m.from);
      expect(change!.change.actions).toEqual(["no-op"]);
    }
  });

  it.each(STACKS)("%s: plans no destroy, create or update anywhere", (stack) => {
    const changed = (plans.get(stack)!.resource_changes ?? [])
      .filter((c) => c.mode === "managed" && !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))
      .map((c) => `${c.change.actions.join("+")} ${c.address}`);
    expect(changed).toEqual([]);
  });
});
