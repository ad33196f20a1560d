import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PlannedStack } from "../ci-terraform";
import { anyStopped, converge, decide, renderSummary, selectReviewedPlans, type ConvergeOptions, type ReviewedPlan } from "../converge";
import type { PlanJson, ResourceChange } from "../../shared/plan-json";

const rc = (address: string, actions: string[], before: unknown, after: unknown, type = address.split(".")[0]!): ResourceChange =>
  ({ address, type, name: address.split(".")[1]!, mode: "managed", change: { actions, before, after, after_unknown: {} } }) as unknown as ResourceChange;
const plan = (...changes: ResourceChange[]): PlanJson => ({ format_version: "1.2", resource_changes: changes }) as PlanJson;
const NOTHING = plan(rc("aws_ecr_repository.api", ["no-op"], { name: "a" }, { name: "a" }));
const TAG = plan(rc("aws_ecr_repository.api", ["update"], { tags: {} }, { tags: { a: "1" } }));
const SG_REPLACE = plan(rc("aws_security_group.alb", ["delete", "create"], { name: "x" }, { name: "y" }));
const DB_REPLACE = plan(rc("aws_db_instance.main", ["delete", "create"], { db_name: "a" }, { db_name: "b" }));
const reviewed = (p: PlanJson, extra: object = {}, source = "0001-aaa"): ReviewedPlan => ({
  stack: "s",
  path: "x",
  order: 1,
  source,
  plan: { ...p, ...extra },
});
const RUN = { approvedStateful: false, approveUnreviewed: false };

describe("selectReviewedPlans", () => {
  it("takes the newest reviewed plan of each stack by merge order, skipping errored plans", () => {
    const dir = mkdtempSync(join(tmpdir(), "reviewed-"));
    const put = (source: string, stack: string, body: object) => {
      mkdirSync(join(dir, source, "plans-staging"), { recursive: true });
      writeFileSync(join(dir, source, "plans-staging", `${stack}.json`), JSON.stringify(body));
    };
    put("0002-bbb", "staging-registry", TAG);
    put("0010-ccc", "staging-registry", SG_REPLACE); // 10 > 2: numeric, not lexical
    put("0001-aaa", "staging-storage", TAG);
    put("0011-ddd", "staging-storage", { format_version: "1.2", errored: true, resource_changes: [] });
    mkdirSync(join(dir, "stray"));
    const selected = selectReviewedPlans(dir);
    expect([...selected.keys()].sort()).toEqual(["staging-registry", "staging-storage"]);
    expect(selected.get("staging-registry")!.source).toBe("0010-ccc");
    expect(selected.get("staging-storage")!.source).toBe("0001-aaa");
    expect(selectReviewedPlans(join(dir, "missing")).size).toBe(0);
  });

  it("names the file when a reviewed plan is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "reviewed-"));
    mkdirSync(join(dir, "0001-aaa"));
    writeFileSync(join(dir, "0001-aaa", "staging-network.json"), "{oops");
    expect(() => selectReviewedPlans(dir)).toThrow(/0001-aaa\/staging-network\.json is not JSON/);
  });
});

describe("decide", () => {
  const settled = () => true;
  it("applies a plan equal to the reviewed one", () => {
    expect(decide(TAG, reviewed(TAG), [], settled, RUN)).toMatchObject({ apply: true, reviewedFrom: "0001-aaa" });
  });

  it("refuses a plan without a reviewed plan, saying how to get it applied", () => {
    const d = decide(TAG, undefined, [], settled, RUN);
    expect(d.apply).toBe(false);
    expect(d.todo).toMatch(/open a pull request with the label `replan` \(an empty commit is enough\).*approve_unreviewed/);
  });

  it("refuses a plan that differs from the reviewed one, naming the address", () => {
    const d = decide(SG_REPLACE, reviewed(TAG), [], settled, RUN);
    expect(d.apply).toBe(false);
    expect(d.why).toContain("aws_security_group.alb: not in the reviewed plan");
  });

  it("applies a re-plan of a plan that waited for producer values only when it is safe and the producer settled", () => {
    const pending = { platform_pending: [{ producer: "staging-security", output: "alb_sg_id" }] };
    const unknownTag = plan(rc("aws_ecr_repository.api", ["update"], { tags: {} }, { tags: {} }));
    expect(decide(TAG, reviewed(unknownTag, pending), [], settled, RUN)).toMatchObject({ apply: true });
    expect(decide(TAG, reviewed(unknownTag, pending), [], () => false, RUN)).toMatchObject({ apply: false });
    // A resource the reviewed plan did not touch at all is a different plan, pending values or not.
    const extra = decide(TAG, reviewed(NOTHING, pending), [], settled, RUN);
    expect(extra.apply).toBe(false);
    expect(extra.why).toContain("aws_ecr_repository.api: not in the reviewed plan");
    const replace = decide(SG_REPLACE, reviewed(NOTHING, pending), [], settled, RUN);
    expect(replace.apply).toBe(false);
    expect(replace.why).toContain("aws_security_group.alb: replace");
    const gated = decide(TAG, reviewed(unknownTag, pending), [{ stack: "s", address: "aws_db_instance.main", why: "update loses backups", kind: "data-loss" as const }], settled, { ...RUN, approvedStateful: true });
    expect(gated.apply).toBe(false);
    expect(gated.why).toContain("aws_db_instance.main (update loses backups)");
  });

  it("the gate is the fresh plan's: a stateful change waits for this run's approval even if the reviewed plan matched", () => {
    const reasons = [{ stack: "s", address: "aws_db_instance.main", why: "replace loses database", kind: "destroy" as const }];
    const waiting = decide(DB_REPLACE, reviewed(DB_REPLACE), reasons, settled, RUN);
    expect(waiting).toMatchObject({ apply: false });
    expect(waiting.why).toContain("needs the stateful-change approval: aws_db_instance.main (replace loses database)");
    expect(decide(DB_REPLACE, reviewed(DB_REPLACE), reasons, settled, { ...RUN, approvedStateful: true })).toMatchObject({ apply: true });
  });

  it("approve_unreviewed applies an unreviewed plan, still behind the stateful gate", () => {
    expect(decide(TAG, undefined, [], settled, { ...RUN, approveUnreviewed: true })).toMatchObject({ apply: true });
    const reasons = [{ stack: "s", address: "aws_db_instance.main", why: "replace loses database", kind: "destroy" as const }];
    expect(decide(DB_REPLACE, undefined, reasons, settled, { ...RUN, approveUnreviewed: true })).toMatchObject({ apply: false });
  });
});

describe("converge", () => {
  const stacks = { net: { dependencies: [] }, sec: { dependencies: ["net"] }, app: { dependencies: ["sec"] }, other: { dependencies: [] } };
  const waves = [["net", "other"], ["sec"], ["app"]];
  function run(plans: Record<string, PlanJson | "fail">, extra: Partial<ConvergeOptions> = {}) {
    const applied: string[] = [];
    const planned: string[] = [];
    const options: ConvergeOptions = {
      stacks,
      waves,
      reviewed: new Map(),
      mode: "apply",
      planner: {
        plan: async (stack): Promise<PlannedStack> => {
          planned.push(stack);
          const p = plans[stack] ?? NOTHING;
          return p === "fail" ? { stack, ok: false, error: "Error: no valid credential sources\nmore" } : { stack, ok: true, plan: p, planFile: `${stack}.tfplan` };
        },
      },
      applier: { apply: async (p) => (applied.push(p.stack), { ok: true }) },
      ...extra,
    };
    return converge(options).then((results) => ({ results, applied, planned }));
  }

  it("blocks every stack downstream of a refused one, naming the root cause, and goes on with the rest", async () => {
    const { results, applied, planned } = await run({ net: TAG, other: TAG }, { reviewed: new Map([["other", { ...reviewed(TAG), stack: "other" }]]) });
    const by = Object.fromEntries(results.map((r) => [r.stack, r]));
    expect(by.net!.outcome).toBe("refused");
    expect(by.sec!).toMatchObject({ outcome: "blocked", why: expect.stringContaining("blocked by net") });
    expect(by.app!).toMatchObject({ outcome: "blocked", why: expect.stringContaining("blocked by net") });
    expect(by.other!.outcome).toBe("applied");
    expect(applied).toEqual(["other"]);
    expect(planned.sort()).toEqual(["net", "other"]);
    expect(anyStopped(results)).toBe(true);
    const md = renderSummary("staging", "apply", results);
    expect(md.split("\n")[0]).toBe("## ⛔ Deploy of staging: 1 applied, 0 unchanged, 1 refused, 0 failed, 2 blocked");
    expect(md).toContain("**Not applied:** `net`, `sec`, `app`.");
    expect(md).toContain("| `sec` | ⏸️ blocked | blocked by net: it reads their outputs, which are not what main says yet | get net applied; the next deploy run converges this stack too |");
  });

  it("applies a reviewed stateful replace only in a run approved on stateful-change, recomputing the gate from the fresh plan", async () => {
    const reviewedDb = new Map([["other", { ...reviewed(DB_REPLACE), stack: "other" }]]);
    const refused = await run({ other: DB_REPLACE }, { reviewed: reviewedDb });
    expect(refused.applied).toEqual([]);
    expect(refused.results.find((r) => r.stack === "other")).toMatchObject({ outcome: "refused", todo: expect.stringContaining("stateful-change") });
    const approved = await run({ other: DB_REPLACE }, { reviewed: reviewedDb, approvedStateful: true });
    expect(approved.applied).toEqual(["other"]);
    // An approval covers the stateful change, not a plan nobody reviewed.
    const swapped = await run({ other: DB_REPLACE }, { reviewed: new Map([["other", { ...reviewed(TAG), stack: "other" }]]), approvedStateful: true });
    expect(swapped.applied).toEqual([]);
  });

  it("leaves stacks on local state to a person and plans them not", async () => {
    const { results, planned } = await run({}, { manual: new Set(["other"]) });
    expect(results.find((r) => r.stack === "other")).toMatchObject({ outcome: "manual" });
    expect(planned).not.toContain("other");
  });

  it("reports a failed plan with its first line and blocks its consumers", async () => {
    const { results } = await run({ sec: "fail" });
    const by = Object.fromEntries(results.map((r) => [r.stack, r]));
    expect(by.sec).toMatchObject({ outcome: "failed", why: "plan failed: Error: no valid credential sources" });
    expect(by.app!.why).toContain("blocked by sec");
    expect(by.net!.outcome).toBe("unchanged");
  });

  it("a preview applies nothing, says what would apply, and reports the gate", async () => {
    const reasons = new Map([["net", { ...reviewed(DB_REPLACE), stack: "net" }]]);
    const { results, applied } = await run({ net: DB_REPLACE }, { mode: "preview", reviewed: reasons });
    expect(applied).toEqual([]);
    const net = results.find((r) => r.stack === "net")!;
    expect(net.outcome).toBe("will apply");
    expect(net.approval.map((a) => a.address)).toEqual(["aws_db_instance.main"]);
    expect(renderSummary("staging", "preview", results)).toContain("**Needs the stateful-change approval:**");
  });

  it("a drift run applies nothing and tells drift from unapplied changes", async () => {
    const drifted = { ...NOTHING, resource_drift: [rc("aws_ecr_repository.api", ["update"], { tags: {} }, { tags: { by: "hand" } })] } as PlanJson;
    const { results, applied } = await run({ net: drifted, other: TAG }, { mode: "drift" });
    expect(applied).toEqual([]);
    const by = Object.fromEntries(results.map((r) => [r.stack, r.outcome]));
    expect(by).toEqual({ net: "drifted", other: "pending changes", sec: "unchanged", app: "unchanged" });
    expect(anyStopped(results)).toBe(false);
    expect(renderSummary("staging", "drift", results).split("\n")[0]).toBe("## ⚠️ Drift of staging: 1 drifted, 1 with unapplied changes, 2 unchanged");
  });

  it("never lets an address break the summary table", async () => {
    const evil = plan(rc("aws_ecr_repository.a|b", ["update"], { x: 1 }, { x: 2 }));
    const { results } = await run({ other: evil });
    const md = renderSummary("staging", "apply", results);
    expect(md).not.toMatch(/a\|b/);
    expect(md).toContain("a\\|b");
  });
});
