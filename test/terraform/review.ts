/**
 * `pnpm review` on real plans: the offline check's plan of every stack (a fresh create), and
 * a real replace of a stateful resource made from one of them (see review-scenarios.ts).
 * Registered inside the offline test's describe block, so it reuses its plans instead of
 * planning every stack again.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { StackCheck } from "../../scripts/lib/offline-check";
import type { PlanJson } from "../../scripts/lib/plan-json";
import { comparePlans, redactPlan } from "../../scripts/lib/plan-redact";
import { summarizePlan } from "../../scripts/lib/plan-summary";
import { renderReview } from "../../scripts/lib/review-comment";
import { environmentOf } from "../../scripts/lib/stack-names";
import { AWS_PROVIDER_VERSION, prepareTerraform } from "../../scripts/lib/terraform";
import { PROBE_SECRETS, findReplaceCandidate, replaceScenario, type ReplaceScenario } from "./review-scenarios";

interface Review {
  readonly status: number;
  readonly markdown: string;
  readonly githubOutput: string;
  readonly summaryJson: string;
}

function review(dir: string, name: string, inputs: readonly string[]): Review {
  const out = (ext: string) => join(dir, `${name}.${ext}`);
  writeFileSync(out("output"), "");
  const run = spawnSync(
    "node_modules/.bin/tsx",
    ["scripts/review.ts", ...inputs, "--out", out("md"), "--github-output", out("output"), "--summary-json", out("summary.json")],
    { encoding: "utf8" },
  );
  if (run.status === 1) throw new Error(`review failed: ${run.stderr}`);
  return {
    status: run.status ?? 1,
    markdown: readFileSync(out("md"), "utf8"),
    githubOutput: readFileSync(out("output"), "utf8"),
    summaryJson: readFileSync(out("summary.json"), "utf8"),
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
      all = review(dir, "all-stacks", planned.map((r) => r.planJsonPath!));
      const candidate = findReplaceCandidate(planned);
      if (!candidate) throw new Error("no stack has a stateful resource whose replace can be planned");
      const schema = JSON.parse(readFileSync(join(workRoot, `aws-${AWS_PROVIDER_VERSION}-schema.json`), "utf8"));
      const region = String((JSON.parse(readFileSync(join(candidate.sourceDir, "cdk.tf.json"), "utf8")) as { provider?: { aws?: Array<{ region?: string }> } }).provider?.aws?.[0]?.region ?? "us-east-1");
      scenario = await replaceScenario(prepareTerraform(workRoot), schema, candidate, workRoot, region);
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
      expect(replace.markdown).toContain("`aws_ssm_parameter.review_masking_probe`: ");
      expect(replace.markdown).toContain("`value (sensitive)`");
    });

    it("lets the deploy apply only the reviewed plan: the redacted replace matches itself, not the empty plan", () => {
      const replacePlan = JSON.parse(readFileSync(scenario.replacePlanPath, "utf8")) as PlanJson;
      const emptyPlan = JSON.parse(readFileSync(scenario.emptyPlanPath, "utf8")) as PlanJson;
      expect(comparePlans(redactPlan(replacePlan), replacePlan)).toEqual([]);
      expect(comparePlans(emptyPlan, replacePlan)).toContain(`${scenario.candidate.address}: not in the reviewed plan`);
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
