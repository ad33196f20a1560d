/**
 * Issue 12, item 6: a release of a new tag changes only `<env>-compute`. The environment is
 * synthesized twice, as main has it and with `apps/staging/src/releases.json` carrying a new
 * tag for one service (what `pnpm release staging web <tag>` writes); the two outputs go
 * through the changed-stacks logic CI runs, and `staging-compute` alone is planned offline:
 * against a state "applied" from main's plan (state-from-plan.ts), its producers as outputs-only
 * states. Only one stack is ever planned. Both offline scenarios (this one and the registry's) are
 * "applied" and planned together, one terraform run per round (applyOffline in local-pipeline.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { changedStacks, type ChangedStacks } from "../../scripts/changed-stacks/changed-stacks";
import { readManifest } from "../../scripts/shared/manifest";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { mainSynth } from "./main-synth";
import { findTerraform, prepareOfflineTerraform } from "../../scripts/shared/terraform";
import { applyOffline, editStack, localCopy, providerSchema, writeProducerState } from "./local-pipeline";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

const STACK = "staging-compute";
const RELEASES = "../../apps/staging/src/releases.json";
const current = JSON.parse(readFileSync(resolve("apps/staging/src/releases.json"), "utf8")) as Record<string, string>;
const NEW_TAG = `${current.web}-test.1`;
const REGISTRY = "staging-registry";
/** The registry's lifecycle policy before the release-aware one: "keep the newest N of any tag". */
const OLD_POLICY = (n: number) =>
  JSON.stringify({
    rules: [
      { rulePriority: 1, description: "Expire untagged images 7 days after push", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } },
      { rulePriority: 2, description: `Keep only the newest ${n} images`, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: n }, action: { type: "expire" } },
    ],
  });

/** Every app stack synthesized with staging's web service on NEW_TAG, as after `pnpm release staging web NEW_TAG`. */
async function synthWithRelease(): Promise<string> {
  vi.resetModules();
  vi.doMock(RELEASES, () => ({ default: { ...current, web: NEW_TAG } }));
  try {
    const { synthesizeAll } = (await import("../../apps/main")) as typeof import("../../apps/main");
    const outdir = mkdtempSync(join(tmpdir(), "platform-release-"));
    synthesizeAll({ outdir });
    return outdir;
  } finally {
    vi.doUnmock(RELEASES);
    vi.resetModules();
  }
}

const changes = (plan: PlanJson) =>
  (plan.resource_changes ?? [])
    .filter((r) => r.mode === "managed" && !(r.change.actions.length === 1 && r.change.actions[0] === "no-op"))
    .map((r) => ({ address: r.address, type: r.type, actions: [...r.change.actions].sort() }));

describe.skipIf(!terraform && !inCi)("a release of a new tag changes only <env>-compute", () => {
  let base: string;
  let head: string;
  let changed: ChangedStacks;
  let offline: Promise<{ release: PlanJson; registry: PlanJson }> | undefined;

  /**
   * Main as deployed, then the offline plans: staging-compute converged on main's plan (its
   * producers as outputs-only states) and planned with the release; staging-registry converged
   * on the old lifecycle policy and planned with today's.
   */
  async function planOffline(): Promise<{ release: PlanJson; registry: PlanJson }> {
    const root = resolve(".tf-test", "release");
    rmSync(root, { recursive: true, force: true });
    const setup = await prepareOfflineTerraform(resolve(".tf-test", "release-terraform"));
    const schema = await providerSchema(setup, join(root, "schema"));

    const states = join(root, "states");
    mkdirSync(states, { recursive: true });
    const deployed = localCopy(base, join(root, "main"), [STACK], states);
    for (const producer of readManifest(base).stacks[STACK]!.dependencies) writeProducerState(base, producer, states, schema);
    const released = localCopy(head, join(root, "release"), [STACK], states);

    const registryStates = join(root, "registry-states");
    mkdirSync(registryStates, { recursive: true });
    const before = localCopy(base, join(root, "registry-before"), [REGISTRY], registryStates);
    editStack(before, REGISTRY, (json) => {
      for (const p of Object.values(json.resource.aws_ecr_lifecycle_policy ?? {})) p.policy = OLD_POLICY(10);
    });
    const after = localCopy(base, join(root, "registry-after"), [REGISTRY], registryStates);

    const plans = await applyOffline(
      setup,
      join(root, "batches"),
      schema,
      [
        { outdir: deployed, stack: STACK, states },
        { outdir: before, stack: REGISTRY, states: registryStates },
      ],
      [
        { id: "release", outdir: released, stack: STACK, states },
        { id: "registry", outdir: after, stack: REGISTRY, states: registryStates },
      ],
    );
    return { release: plans.get("release")!, registry: plans.get("registry")! };
  }
  const offlinePlans = () => (offline ??= planOffline());

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    base = await mainSynth();
    head = await synthWithRelease();
    changed = changedStacks("main", base, head);
  });

  it("changed-stacks: the releases file is no global change, only staging-compute differs; its one reader (monitoring) is planned with it", () => {
    expect(changed.modified).toEqual([STACK]);
    expect([changed.added, changed.removed]).toEqual([[], []]);
    // staging-monitoring reads the cluster name and the ALB's ARN suffix, which a release never changes:
    // CI plans it as a dependent and its plan shows no change.
    expect(changed.dependents).toEqual(["staging-monitoring"]);
    expect(changed.stacks).toEqual([STACK, "staging-monitoring"]);
    expect(changed.environments.map((e) => [e.environment, e.stackList])).toEqual([["staging", `${STACK},staging-monitoring`]]);
    expect(changed.preventDestroyRemoved).toEqual({});
  });

  describe("the offline plan of staging-compute", () => {
    let plan: PlanJson;

    beforeAll(async () => {
      plan = (await offlinePlans()).release;
    });

    it("replaces web's task definition (a new revision) and updates web's service, and nothing else", () => {
      const list = changes(plan);
      expect(list.map((c) => [c.type, c.actions])).toEqual([
        ["aws_ecs_service", ["update"]],
        ["aws_ecs_task_definition", ["create", "delete"]],
      ]);
      expect(list.every((c) => c.address.startsWith("aws_ecs_service.web_") || c.address.startsWith("aws_ecs_task_definition.web_"))).toBe(true);
      // No policy document waits for the apply (it would show its role policy as "known after apply").
      expect((plan.resource_changes ?? []).filter((r) => r.mode === "data").map((r) => `${r.address} ${r.action_reason ?? ""}`)).toEqual([]);
      expect(Object.values(plan.output_changes ?? {}).every((o) => o.actions.length === 1 && o.actions[0] === "no-op")).toBe(true);
    });

    it("runs the new image in the new revision, and the service's only change is that revision", () => {
      const td = plan.resource_changes!.find((r) => r.type === "aws_ecs_task_definition" && r.address.includes(".web_"))!;
      const image = (text: unknown) => (JSON.parse(String(text)) as Array<{ name: string; image: string }>).find((c) => c.name === "app")!.image;
      expect(image((td.change.before as Record<string, unknown>).container_definitions)).toMatch(new RegExp(`:${current.web}$`));
      expect(image((td.change.after as Record<string, unknown>).container_definitions)).toMatch(new RegExp(`:${NEW_TAG.replace(/\./g, "\\.")}$`));
      const service = plan.resource_changes!.find((r) => r.type === "aws_ecs_service" && r.address.includes(".web_"))!;
      const before = service.change.before as Record<string, unknown>;
      const after = service.change.after as Record<string, unknown>;
      const unknown = service.change.after_unknown as Record<string, unknown>;
      const differing = Object.keys({ ...before, ...after }).filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      expect(differing).toEqual(["task_definition"]);
    });
  });

  /**
   * The lifecycle policy that keeps release images, as it reaches a registry deployed with the
   * old "keep the newest N of any tag" policy: what its pull request's plan shows.
   */
  describe("the offline plan of staging-registry moving to the release-aware lifecycle policy", () => {
    let plan: PlanJson;

    beforeAll(async () => {
      plan = (await offlinePlans()).registry;
    });

    it("replaces each repository's lifecycle policy (provider 5.100.0: policy forces a new one) and touches no repository", () => {
      // A replace deletes the old policy, then puts the new one: no image is deleted by it, and
      // the review asks no approval (a policy is not stateful; the repositories are untouched).
      expect(changes(plan).map((c) => [c.type, c.actions])).toEqual([
        ["aws_ecr_lifecycle_policy", ["create", "delete"]],
        ["aws_ecr_lifecycle_policy", ["create", "delete"]],
      ]);
    });
  });
});
