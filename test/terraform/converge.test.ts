/**
 * Desired state on real plans (offline): two pull requests merge, each reviewed with its own
 * plan; the deploy run of the first is cancelled (GitHub drops an older pending run of the
 * concurrency group); the second run must apply BOTH, and a re-plan then shows no changes.
 * main is a copy of the synth output whose JSON each "merge" edits.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { converge, renderSummary, selectReviewedPlans, type StackResult } from "../../scripts/deploy/converge";
import { readManifest } from "../../scripts/shared/manifest";
import { planHasChanges } from "../../scripts/shared/plan-redact";
import { mainSynth } from "./main-synth";
import { findTerraform, prepareOfflineTerraform } from "../../scripts/shared/terraform";
import { OfflineEnvironment } from "./converge-offline";

const terraform = findTerraform();
const inCi = process.env.CI === "true";
const REGISTRY = "staging-registry";
const STORAGE = "staging-storage";
const STACKS = { [REGISTRY]: { dependencies: [] }, [STORAGE]: { dependencies: [] } };
const WAVES = [[REGISTRY, STORAGE]];
const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!terraform && !inCi)("deploy converges every stack: two merges, the first deploy cancelled", () => {
  let root: string;
  let main: string;
  let env: OfflineEnvironment;
  const stackFolder = (stack: string) => join(main, "stacks", stack);
  const edit = (stack: string, change: (json: Json) => void) => {
    const file = join(stackFolder(stack), "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Json;
    change(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
  };
  /** The pull request's plan job: plan the stack on main-with-the-change, keep the redacted plan as CI's artifact does. */
  const review = async (stack: string, merge: string) => {
    const planned = await env.planner.plan(stack);
    if (!planned.ok) throw new Error(planned.error);
    const dir = join(root, "reviewed", merge, "plans-staging");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${stack}.json`), JSON.stringify(planned.plan));
  };
  const deploy = (reviewedDir: string, mode: "apply" | "preview" = "apply") =>
    converge({ stacks: STACKS, waves: WAVES, reviewed: selectReviewedPlans(reviewedDir), planner: env.planner, applier: env.applier, mode, concurrency: 2 });
  const byStack = (results: readonly StackResult[]) => Object.fromEntries(results.map((r) => [r.stack, r]));

  let onlyB: StackResult[];
  let deployB: StackResult[];
  let after: StackResult[];

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    root = mkdtempSync(join(tmpdir(), "converge-"));
    const outdir = await mainSynth();
    main = join(root, "main");
    const manifest = readManifest(outdir);
    for (const stack of [REGISTRY, STORAGE]) cpSync(join(outdir, manifest.stacks[stack]!.workingDirectory), stackFolder(stack), { recursive: true });
    env = new OfflineEnvironment(await prepareOfflineTerraform(join(root, "terraform")), join(root, "aws"), stackFolder);

    // The environment as last deployed: both stacks created from main and converged (a second
    // round fills in what the create plan knew only after apply, such as a bucket policy). The two
    // stacks' plans of a round share one terraform run (the tier's shared planner merges concurrent plans).
    await Promise.all(
      [REGISTRY, STORAGE].map(async (stack) => {
        for (let round = 0; ; round++) {
          const planned = await env.planner.plan(stack);
          if (!planned.ok) throw new Error(planned.error);
          if (!planHasChanges(planned.plan!)) break;
          if (round === 3) throw new Error(`${stack} does not converge offline: ${JSON.stringify(planned.plan!.resource_changes)}`);
          await env.applier.apply(planned);
        }
      }),
    );
    env.applies.clear();

    // Merge A changes the registry; merge B (on top of A) the storage. Each PR planned only its stack
    // (B's edit leaves the registry's JSON as A left it, so both reviews are planned in one run).
    edit(REGISTRY, (j) => (j.resource.aws_ecr_repository.repositories_web_repository_B9E31F47.image_scanning_configuration.scan_on_push = false));
    edit(STORAGE, (j) => (j.resource.aws_s3_bucket_lifecycle_configuration.assets_lifecycle_96ACEA1E.rule[0].abort_incomplete_multipart_upload[0].days_after_initiation = 3));
    await Promise.all([review(REGISTRY, `0001-${SHA_A}`), review(STORAGE, `0002-${SHA_B}`)]);

    // A's deploy run was cancelled: it never ran. What the old `github.event.before` deploy saw:
    // only B's plans (a preview, so nothing is applied).
    const bOnly = join(root, "reviewed-b-only");
    cpSync(join(root, "reviewed", `0002-${SHA_B}`), join(bOnly, `0002-${SHA_B}`), { recursive: true });
    onlyB = await deploy(bOnly, "preview");

    // B's deploy run, with every reviewed plan since the last deploy.
    deployB = await deploy(join(root, "reviewed"));
    after = await deploy(join(root, "reviewed"));
  });

  it("the plans of both pull requests are found, the newest per stack", () => {
    const selected = selectReviewedPlans(join(root, "reviewed"));
    expect([...selected.keys()].sort()).toEqual([REGISTRY, STORAGE]);
    expect(selected.get(REGISTRY)!.source).toBe(`0001-${SHA_A}`);
    expect(selected.get(STORAGE)!.source).toBe(`0002-${SHA_B}`);
  });

  it("B's deploy applies both stacks, each from its own reviewed plan", () => {
    const r = byStack(deployB);
    expect(r[REGISTRY]).toMatchObject({ outcome: "applied", reviewedFrom: `0001-${SHA_A}` });
    expect(r[STORAGE]).toMatchObject({ outcome: "applied", reviewedFrom: `0002-${SHA_B}` });
    expect(r[REGISTRY]!.changes.map((c) => `${c.action} ${c.address}`)).toEqual(["update aws_ecr_repository.repositories_web_repository_B9E31F47"]);
    expect(r[STORAGE]!.changes.map((c) => `${c.action} ${c.address}`)).toEqual(["update aws_s3_bucket_lifecycle_configuration.assets_lifecycle_96ACEA1E"]);
    expect(Object.fromEntries(env.applies)).toEqual({ [REGISTRY]: 1, [STORAGE]: 1 });
    const summary = renderSummary("staging", "apply", deployB);
    expect(summary).toContain("## ✅ Deploy of staging: 2 applied, 0 unchanged, 0 refused, 0 failed, 0 blocked");
    expect(summary).toContain(`| \`${REGISTRY}\` | ✅ applied | matches the plan reviewed in 0001-${SHA_A} |`);
  });

  it("a re-plan afterwards shows no changes: the environment is converged", () => {
    expect(after.map((r) => [r.stack, r.outcome])).toEqual([[REGISTRY, "unchanged"], [STORAGE, "unchanged"]]);
  });

  it("with only the last merge's plans (deltas), A's change is refused visibly, never dropped", () => {
    const r = byStack(onlyB);
    expect(r[REGISTRY]!.outcome).toBe("refused");
    expect(r[REGISTRY]!.why).toContain("no pull request merged since the last deploy reviewed this plan");
    expect(r[REGISTRY]!.todo).toContain("approve_unreviewed");
    expect(r[STORAGE]!.outcome).toBe("will apply");
  });
});
