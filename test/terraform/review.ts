/**
 * `pnpm review` on real plans: the offline check's plan of every stack (a fresh create), and
 * a real replace of a stateful resource made from one of them (see review-scenarios.ts).
 * Registered inside the offline test's describe block, so it reuses its plans instead of
 * planning every stack again.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChangedStacks } from "../../scripts/changed-stacks/changed-stacks";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { comparePlans, redactPlan } from "../../scripts/shared/plan-redact";
import { summarizePlan } from "../../scripts/review/plan-summary";
import { reviewInProcess } from "../../scripts/review/test/review-support";
import { renderReview } from "../../scripts/review/review-comment";
import { environmentOf } from "../../scripts/shared/stack-names";
import { SchemaCache } from "../../scripts/shared/planned-outputs";
import { prepareOfflineTerraform } from "../../scripts/shared/terraform";
import { PROBE_SECRETS, findReplaceCandidate, replaceScenario, type ReplaceScenario } from "./review-scenarios";

interface Review {
  readonly status: number;
  readonly markdown: string;
  readonly githubOutput: string;
  readonly summaryJson: string;
  readonly stderr: string;
}

/** Runs `pnpm review` (in-process: reviewInProcess); exit 1 throws unless `expectFailure` (the fail-closed tests want it). */
function review(dir: string, name: string, inputs: readonly string[], extra: readonly string[] = [], expectFailure = false): Review {
  const out = (ext: string) => join(dir, `${name}.${ext}`);
  writeFileSync(out("output"), "");
  const { status, stderr } = reviewInProcess([...inputs, "--out", out("md"), "--github-output", out("output"), "--summary-json", out("summary.json"), ...extra]);
  if (status === 1 && !expectFailure) throw new Error(`review failed: ${stderr}`);
  return {
    status,
    markdown: readFileSync(out("md"), "utf8"),
    githubOutput: readFileSync(out("output"), "utf8"),
    summaryJson: readFileSync(out("summary.json"), "utf8"),
    stderr,
  };
}

/** A `pnpm changed-stacks` output that expects a plan of each of `stacks` (all CI-planned). */
function changedJson(stacks: readonly string[]): ChangedStacks {
  const environments = [...new Set(stacks.map(environmentOf))].map((environment) => {
    const mine = stacks.filter((s) => environmentOf(s) === environment);
    return { environment, stacks: mine, waves: [mine], stackList: mine.join(","), variableSuffix: environment.toUpperCase() };
  });
  return {
    base: "main",
    modified: [...stacks],
    added: [],
    removed: [],
    dependents: [],
    stacks: [...stacks],
    waves: [[...stacks]],
    unchanged: [],
    manual: [],
    environments,
    preventDestroyRemoved: {},
  };
}

export function describeReviewOfRealPlans(context: () => { results: readonly StackCheck[]; workRoot: string }): void {
  describe("plan review (pnpm review) of real plans", () => {
    let dir: string;
    let planned: StackCheck[];
    let scenario: ReplaceScenario;
    let all: Review;
    let replace: Review;

    beforeAll(async () => {
      const { results, workRoot } = context();
      dir = join(workRoot, "review");
      mkdirSync(dir, { recursive: true });
      planned = results.filter((r) => r.planJsonPath);
      // With --changed-stacks expecting every stack: real Terraform 1.11 plans pass the fail-closed check.
      writeFileSync(join(dir, "changed.json"), JSON.stringify(changedJson(planned.map((p) => p.stack))));
      all = review(dir, "all-stacks", planned.map((r) => r.planJsonPath!), ["--changed-stacks", join(dir, "changed.json")]);
      const candidate = findReplaceCandidate(planned);
      if (!candidate) throw new Error("no stack has a stateful resource whose replace can be planned");
      const setup = await prepareOfflineTerraform(workRoot);
      const schema = await new SchemaCache(setup).get(candidate.sourceDir);
      const region = String((JSON.parse(readFileSync(join(candidate.sourceDir, "cdk.tf.json"), "utf8")) as { provider?: { aws?: Array<{ region?: string }> } }).provider?.aws?.[0]?.region ?? "us-east-1");
      scenario = await replaceScenario(setup, schema, candidate, workRoot, region);
      replace = review(dir, "replace", [scenario.replacePlanPath]);
    });

    it("reads every stack's fresh create in one comment: a row per stack, no alarm, exit 0, under GitHub's limit", () => {
      expect(all.status).toBe(0);
      expect(all.githubOutput).toContain("needs_approval=false");
      const lines = all.markdown.split("\n");
      expect(lines[0]).toBe("<!-- terraform-plan-review -->");
      const creating = planned.filter((r) => (r.changes?.create ?? 0) > 0);
      expect(lines[1]).toBe(`## Terraform plan: ${creating.length} of ${planned.length} stack${planned.length === 1 ? "" : "s"} change`);
      for (const r of creating) expect(all.markdown).toContain(`| ${environmentOf(r.stack)} | \`${r.stack}\` | ${r.changes!.create} | · | · | · | · | · |`);
      expect(all.markdown).not.toContain("🚨");
      expect(all.markdown.length).toBeLessThanOrEqual(65_000);
    });

    it("fails the review's exit status on a real replace of a stateful resource, naming it and the attribute forcing it", () => {
      const raw = JSON.parse(readFileSync(scenario.replacePlanPath, "utf8")) as PlanJson;
      const change = raw.resource_changes!.find((r) => r.address === scenario.candidate.address)!;
      expect([...change.change.actions].sort()).toEqual(["create", "delete"]);
      expect(change.change.replace_paths).toEqual([[scenario.candidate.attribute]]);

      expect(replace.status).toBe(2);
      expect(replace.githubOutput).toContain("needs_approval=true");
      expect(replace.markdown.split("\n")[1]).toMatch(/^## 🚨 Terraform plan: \d+ stateful resources? would be destroyed or replaced$/);
      expect(replace.markdown).toContain(`| \`${scenario.candidate.stack}\` | **replace** | \`${scenario.candidate.address}\` |`);
      expect(replace.markdown).toContain(`forced by \`${scenario.candidate.attribute}\``);
    });

    it("reads the unchanged configuration planned against its own state as no changes", () => {
      const empty = review(dir, "empty", [scenario.emptyPlanPath]);
      expect(empty.status).toBe(0);
      expect(empty.markdown.split("\n")[1]).toBe("## ✅ Terraform plan: no changes");
    });

    it("never lets a sensitive value out: not in the comment, the summary, nor the redacted artifact", () => {
      const raw = readFileSync(scenario.replacePlanPath, "utf8");
      for (const secret of PROBE_SECRETS) expect(raw).toContain(secret);
      const redacted = JSON.stringify(redactPlan(JSON.parse(raw) as PlanJson));
      for (const text of [replace.markdown, replace.summaryJson, redacted]) {
        for (const secret of PROBE_SECRETS) expect(text).not.toContain(secret);
      }
      const probe = replace.markdown.slice(replace.markdown.indexOf("- `aws_ssm_parameter.review_masking_probe`"));
      expect(probe.slice(0, probe.indexOf("\n- "))).toContain("\n  - `value`: _(sensitive)_ → _(sensitive)_");
      expect(replace.markdown).toContain("- `review_masking_probe`: _(sensitive)_ → _(sensitive)_");
    });

    it("lets the deploy apply only the reviewed plan: the redacted replace matches itself, not the empty plan", () => {
      const replacePlan = JSON.parse(readFileSync(scenario.replacePlanPath, "utf8")) as PlanJson;
      const emptyPlan = JSON.parse(readFileSync(scenario.emptyPlanPath, "utf8")) as PlanJson;
      expect(comparePlans(redactPlan(replacePlan), replacePlan)).toEqual([]);
      expect(comparePlans(emptyPlan, replacePlan)).toContain(`${scenario.candidate.address}: not in the reviewed plan`);
    });

    it("asks for approval of a real data-losing update (backups 1 day, no final snapshot), naming each reason", () => {
      const dataLoss = scenario.dataLoss;
      if (!dataLoss) throw new Error(`${scenario.candidate.type} has no data-loss edit in review-scenarios.ts`);
      const raw = JSON.parse(readFileSync(dataLoss.planPath, "utf8")) as PlanJson;
      const change = raw.resource_changes!.find((r) => r.address === scenario.candidate.address)!;
      expect(change.change.actions).toEqual(["update"]);

      const r = review(dir, "data-loss", [dataLoss.planPath], ["--commit", "0123456789abcdef"]);
      expect(r.status).toBe(2);
      expect(r.githubOutput).toContain("needs_approval=true");
      expect(r.githubOutput).toContain("stateful_count=0");
      expect(r.markdown.split("\n")[1]).toMatch(/^## 🚨 Terraform plan: \d+ changes? can lose data: explicit approval needed$/);
      expect(r.markdown).toMatch(/<sub>Commit `0123456789ab` · planned \d{4}-\d\d-\d\d \d\d:\d\d UTC<\/sub>/);
      const row = (what: string, path: string, before: unknown, after: unknown) =>
        `| \`${scenario.candidate.stack}\` | **update** | \`${scenario.candidate.address}\` | ${what} | \`${path}\`: \`${JSON.stringify(before)}\` → \`${JSON.stringify(after)}\` |`;
      const { before } = dataLoss;
      expect(typeof before.backup_retention_period === "number" && before.backup_retention_period > 1).toBe(true);
      expect(r.markdown).toContain(row("backups kept for fewer days (older ones are deleted)", "backup_retention_period", before.backup_retention_period, 1));
      expect(r.stderr).toContain(`review: needs approval: ${scenario.candidate.stack} ${scenario.candidate.address}: backups kept for fewer days`);
      if (before.skip_final_snapshot === false) expect(r.markdown).toContain(row("no final snapshot on delete", "skip_final_snapshot", false, true));
      if (before.deletion_protection === true) expect(r.markdown).toContain(row("deletion protection turned off", "deletion_protection", true, false));
    });

    it("fails closed (exit 1) on a missing plan or a state in place of a plan, naming the stack and the file", () => {
      // One stack's plan missing, two others replaced by the converged state: shown as JSON, and the raw file.
      const [missing, asShow, asTfstate] = [scenario.candidate.stack, ...planned.map((p) => p.stack).filter((s) => s !== scenario.candidate.stack)];
      if (!asShow || !asTfstate) throw new Error("the fail-closed test needs three planned stacks");
      const stateDir = join(dir, "states-as-plans");
      mkdirSync(stateDir, { recursive: true });
      const showFile = join(stateDir, `${asShow}.json`);
      const tfstateFile = join(stateDir, `${asTfstate}.json`);
      writeFileSync(showFile, readFileSync(scenario.stateShowPath));
      writeFileSync(tfstateFile, readFileSync(scenario.statePath));
      const others = planned.filter((p) => ![missing, asShow, asTfstate].includes(p.stack)).map((p) => p.planJsonPath!);

      const r = review(dir, "fail-closed", [...others, showFile, tfstateFile], ["--changed-stacks", join(dir, "changed.json")], true);
      expect(r.status).toBe(1);
      expect(r.githubOutput).toContain("errored=true");
      expect(r.stderr).toContain(`review: no readable plan for ${missing}: no plan file ${missing}.json among the plans`);
      expect(r.stderr).toContain(`review: no readable plan for ${asShow}: ${showFile}: a state shown as JSON`);
      expect(r.stderr).toContain(`review: no readable plan for ${asTfstate}: ${tfstateFile}: a Terraform state file (state version 4)`);
      expect(r.markdown.split("\n")[1]).toBe("## 🛑 Terraform plan review incomplete: 3 stacks without a readable plan");
      expect(r.markdown).toContain(`- \`${missing}\`: no plan file`);
      expect(r.markdown).not.toContain("✅");
    });

    it("keeps a comment of many environments' real plans under GitHub's limit, alarm first", () => {
      const plans = planned.map((r) => ({ stack: r.stack, plan: JSON.parse(readFileSync(r.planJsonPath!, "utf8")) as PlanJson }));
      const summaries = [
        summarizePlan(scenario.candidate.stack, JSON.parse(readFileSync(scenario.replacePlanPath, "utf8")) as PlanJson),
        // Twelve more environments' worth of the same plans, under other stack names.
        ...Array.from({ length: 12 }, (_, k) => plans.map((p) => summarizePlan(`copy${k}-${p.stack}`, p.plan))).flat(),
      ];
      const r = renderReview(summaries);
      expect(r.markdown.length).toBeLessThanOrEqual(65_000);
      expect(r.stateful.map((s) => s.address)).toEqual([scenario.candidate.address]);
      expect(r.markdown.indexOf(scenario.candidate.address)).toBeLessThan(r.markdown.indexOf("| Environment | Stack |"));
      expect(Math.max(...Object.values(r.detailLevels))).toBeGreaterThan(0);
    });
  });
}
