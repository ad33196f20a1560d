/**
 * The review's rules on small synthetic plans, each with a compliant and a violating case:
 * fail closed (missing, unreadable, state, unknown format), data loss needs approval,
 * disruptive updates get their own line, values shown (never a secret), failed plans show
 * their error lines, and no input can break the comment's Markdown.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approvalReasons, approvalReasonsForPlanFile } from "../approval";
import { changedStacks, preventDestroyRemoved } from "../../changed-stacks/changed-stacks";
import { dataLossFindings, disruptiveFindings } from "../data-loss";
import { checkPlan, readPlan, type PlanJson, type ResourceChange } from "../../shared/plan-json";
import { summarizePlan } from "../plan-summary";
import { reviewInProcess } from "./review-support";
import { renderReview } from "../review-comment";

type ChangeExtra = Partial<ResourceChange["change"]>;

function update(address: string, before: Record<string, unknown>, after: Record<string, unknown>, extra: ChangeExtra = {}): ResourceChange {
  const [type, name] = address.split(".");
  return {
    address,
    mode: "managed",
    type: type!,
    name: name!,
    change: { actions: ["update"], before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {}, ...extra },
  };
}

const plan = (changes: ResourceChange[], extra: Partial<PlanJson> = {}): PlanJson => ({
  format_version: "1.2",
  terraform_version: "1.11.4",
  resource_changes: changes,
  ...extra,
});

const whats = (rc: ResourceChange) => dataLossFindings(rc).map((f) => f.what);

describe("fail closed: what counts as a plan", () => {
  const dir = mkdtempSync(join(tmpdir(), "review-read-"));
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it("accepts the 1.x plan formats, and an errored plan the plan job wrote", () => {
    for (const v of ["1.0", "1.1", "1.2"]) expect(() => checkPlan({ format_version: v, planned_values: {} }, "x.json")).not.toThrow();
    expect(readPlan(file("e.json", '{"format_version":"1.2","errored":true,"resource_changes":[],"error_lines":["Error: x"]}')).errored).toBe(true);
  });

  it("rejects a raw state file, naming the file", () => {
    const path = file("prod-database.json", JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 3, lineage: "x", outputs: {}, resources: [] }));
    expect(() => readPlan(path)).toThrow(`${path}: a Terraform state file (state version 4), not a plan`);
  });

  it("rejects a state shown as JSON (values, no resource_changes)", () => {
    const path = file("s.json", JSON.stringify({ format_version: "1.0", terraform_version: "1.11.4", values: { root_module: {} } }));
    expect(() => readPlan(path)).toThrow(/s\.json: a state shown as JSON/);
  });

  it("rejects an unknown or missing format_version", () => {
    expect(() => checkPlan({ format_version: "2.0", resource_changes: [] }, "f.json")).toThrow('f.json: unknown plan format_version "2.0"');
    expect(() => checkPlan({ resource_changes: [] }, "g.json")).toThrow("g.json: no format_version");
    expect(() => checkPlan([], "h.json")).toThrow("h.json: not a plan (a JSON array)");
  });

  it("names the file of malformed JSON", () => {
    const path = file("broken.json", '{"format_version": "1.2", ');
    expect(() => readPlan(path)).toThrow(`${path}: not valid JSON`);
  });
});

describe("pnpm review --changed-stacks (fail closed)", () => {
  /** The command in-process (the code main.ts runs). */
  const run = reviewInProcess;
  const changed = (stacks: Record<string, string[]>, extra: Record<string, unknown> = {}) => {
    const all = Object.values(stacks).flat();
    return JSON.stringify({
      base: "main",
      modified: all,
      added: [],
      removed: [],
      dependents: [],
      stacks: all,
      waves: [all],
      unchanged: [],
      manual: [],
      environments: Object.entries(stacks).map(([environment, s]) => ({ environment, stacks: s, waves: [s], stackList: s.join(","), variableSuffix: environment.toUpperCase() })),
      preventDestroyRemoved: {},
      ...extra,
    });
  };
  const setup = (name: string, plans: Record<string, string>, expected: Record<string, string[]>, extra: Record<string, unknown> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), `review-${name}-`));
    mkdirSync(join(dir, "plans"));
    for (const [stack, text] of Object.entries(plans)) writeFileSync(join(dir, "plans", `${stack}.json`), text);
    writeFileSync(join(dir, "changed.json"), changed(expected, extra));
    return dir;
  };
  const empty = JSON.stringify(plan([]));

  it("passes (exit 0) when every expected stack has a readable plan", () => {
    const dir = setup("ok", { "staging-network": empty, "prod-network": empty }, { staging: ["staging-network"], prod: ["prod-network"] });
    const r = run([join(dir, "plans"), "--changed-stacks", join(dir, "changed.json")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("## ✅ Terraform plan: no changes");
  });

  it("exits 1 naming a stack whose plan is missing", () => {
    const dir = setup("missing", { "staging-network": empty }, { staging: ["staging-network", "staging-compute"] });
    const r = run([join(dir, "plans"), "--changed-stacks", join(dir, "changed.json")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("review: no readable plan for staging-compute: no plan file staging-compute.json among the plans");
    expect(r.stdout).toContain("## 🛑 Terraform plan review incomplete: 1 stack without a readable plan");
    expect(r.stdout).toContain("- `staging-compute`: no plan file staging-compute.json among the plans, although");
    expect(r.stdout).not.toContain("✅");
  });

  it("says an environment's plan job wrote nothing, and never says no changes, also with no plan folder at all", () => {
    const dir = setup("noenv", {}, { staging: ["staging-network"], prod: ["prod-network", "prod-compute"] });
    const r = run([join(dir, "does-not-exist"), "--changed-stacks", join(dir, "changed.json")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("## 🛑 Terraform plan review incomplete: 3 stacks without a readable plan");
    expect(r.stdout).toContain("the prod plan job wrote no plans at all");
    expect(r.stdout).not.toContain("✅");
    expect(r.stdout).not.toContain("No changes");
  });

  it("exits 1 naming the file when a plan is a state file or of an unknown format", () => {
    const state = JSON.stringify({ version: 4, serial: 1, lineage: "l", resources: [], outputs: {} });
    const dir = setup("state", { "staging-network": state, "prod-network": JSON.stringify({ format_version: "9.0", resource_changes: [] }) }, { staging: ["staging-network"], prod: ["prod-network"] });
    const r = run([join(dir, "plans"), "--changed-stacks", join(dir, "changed.json")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`staging-network: ${join(dir, "plans", "staging-network.json")}: a Terraform state file`);
    expect(r.stderr).toContain(`prod-network: ${join(dir, "plans", "prod-network.json")}: unknown plan format_version "9.0"`);
  });

  it("asks for approval (exit 2) for a removed prevent_destroy, also in a stack applied by hand", () => {
    const dir = setup("guard", { "prod-dns": empty }, { prod: ["prod-dns"] }, {
      manual: ["bootstrap"],
      preventDestroyRemoved: { "prod-dns": ["aws_route53_zone.zone_1"], bootstrap: ["aws_s3_bucket.state_bucket_1"] },
    });
    const r = run([join(dir, "plans"), "--changed-stacks", join(dir, "changed.json"), "--github-output", join(dir, "out.txt")]);
    expect(r.status).toBe(2);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toContain("needs_approval=true\napproval_count=2");
    expect(r.stdout).toContain("| `prod-dns` | **guard removed** | `aws_route53_zone.zone_1` |");
    expect(r.stdout).toContain("| `bootstrap` | **guard removed** | `aws_s3_bucket.state_bucket_1` |");
  });
});

describe("data loss by update needs approval", () => {
  const cases: ReadonlyArray<[string, ResourceChange, ResourceChange, string]> = [
    [
      "RDS deletion protection off",
      update("aws_rds_cluster.c", { deletion_protection: true }, { deletion_protection: false }),
      update("aws_rds_cluster.c", { deletion_protection: false }, { deletion_protection: true }),
      "deletion protection turned off",
    ],
    [
      "DB instance deletion protection off",
      update("aws_db_instance.d", { deletion_protection: true }, { deletion_protection: false }),
      update("aws_db_instance.d", { deletion_protection: true }, { deletion_protection: true, allocated_storage: 30 }),
      "deletion protection turned off",
    ],
    [
      "DynamoDB deletion protection off",
      update("aws_dynamodb_table.t", { deletion_protection_enabled: true }, { deletion_protection_enabled: false }),
      update("aws_dynamodb_table.t", { deletion_protection_enabled: false }, { deletion_protection_enabled: true }),
      "deletion protection turned off",
    ],
    [
      "final snapshot skipped",
      update("aws_db_instance.d", { skip_final_snapshot: false }, { skip_final_snapshot: true }),
      update("aws_db_instance.d", { skip_final_snapshot: true }, { skip_final_snapshot: false }),
      "no final snapshot on delete",
    ],
    [
      "backup retention lowered",
      update("aws_rds_cluster.c", { backup_retention_period: 30 }, { backup_retention_period: 1 }),
      update("aws_rds_cluster.c", { backup_retention_period: 7 }, { backup_retention_period: 30 }),
      "backups kept for fewer days (older ones are deleted)",
    ],
    [
      "S3 expiration shortened",
      update(
        "aws_s3_bucket_lifecycle_configuration.l",
        { rule: [{ id: "logs", status: "Enabled", expiration: [{ days: 730 }], noncurrent_version_expiration: [] }] },
        { rule: [{ id: "logs", status: "Enabled", expiration: [{ days: 1 }], noncurrent_version_expiration: [] }] },
      ),
      update(
        "aws_s3_bucket_lifecycle_configuration.l",
        { rule: [{ id: "logs", status: "Enabled", expiration: [{ days: 30 }] }] },
        { rule: [{ id: "logs", status: "Enabled", expiration: [{ days: 730 }] }] },
      ),
      "objects expire sooner (rule logs)",
    ],
    [
      "S3 noncurrent expiration shortened",
      update(
        "aws_s3_bucket_lifecycle_configuration.l",
        { rule: [{ id: "v", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }] },
        { rule: [{ id: "v", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 7 }] }] },
      ),
      update(
        "aws_s3_bucket_lifecycle_configuration.l",
        { rule: [{ id: "v", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }] },
        { rule: [{ id: "v", status: "Disabled", noncurrent_version_expiration: [{ noncurrent_days: 7 }] }] },
      ),
      "old versions expire sooner (rule v)",
    ],
    [
      "versioning suspended",
      update("aws_s3_bucket_versioning.v", { versioning_configuration: [{ status: "Enabled" }] }, { versioning_configuration: [{ status: "Suspended" }] }),
      update("aws_s3_bucket_versioning.v", { versioning_configuration: [{ status: "Suspended" }] }, { versioning_configuration: [{ status: "Enabled" }] }),
      "versioning suspended: overwritten objects are lost",
    ],
    [
      "force_destroy on",
      update("aws_s3_bucket.b", { force_destroy: false }, { force_destroy: true }),
      update("aws_s3_bucket.b", { force_destroy: true }, { force_destroy: false }),
      "a destroy deletes every object (force_destroy)",
    ],
    [
      "force_delete on",
      update("aws_ecr_repository.r", { force_delete: false }, { force_delete: true }),
      update("aws_ecr_repository.r", { force_delete: null }, { force_delete: false }),
      "a destroy deletes every image (force_delete)",
    ],
    [
      "secret recovery window to 0",
      update("aws_secretsmanager_secret.s", { recovery_window_in_days: 30 }, { recovery_window_in_days: 0 }),
      update("aws_secretsmanager_secret.s", { recovery_window_in_days: 30 }, { recovery_window_in_days: 7 }),
      "a delete is immediate, with no recovery window",
    ],
  ];

  for (const [name, violating, compliant, what] of cases) {
    it(`${name}: approval; the opposite change: none`, () => {
      expect(whats(violating)).toEqual([what]);
      expect(whats(compliant)).toEqual([]);
      const reasons = approvalReasons(summarizePlan("prod-data", plan([violating])));
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatchObject({ stack: "prod-data", address: violating.address, kind: "data-loss" });
      expect(approvalReasons(summarizePlan("prod-data", plan([compliant])))).toEqual([]);
    });
  }

  it("never compares a value known only after apply or under a sensitive mark", () => {
    expect(whats(update("aws_db_instance.d", { backup_retention_period: 7 }, { backup_retention_period: null }, { after_unknown: { backup_retention_period: true } }))).toEqual([]);
    expect(whats(update("aws_db_instance.d", { deletion_protection: true }, { deletion_protection: false }, { after_sensitive: { deletion_protection: true } }))).toEqual([]);
  });

  it("shows the data-loss update in the alarm with its value change; exit status asks for approval", () => {
    const review = renderReview([summarizePlan("prod-database", plan([update("aws_rds_cluster.aurora_cluster_1", { deletion_protection: true, backup_retention_period: 30 }, { deletion_protection: false, backup_retention_period: 1 })]))]);
    expect(review.needsApproval).toBe(true);
    expect(review.markdown.split("\n")[1]).toBe("## 🚨 Terraform plan: 2 changes can lose data: explicit approval needed");
    expect(review.markdown).toContain("| `prod-database` | **update** | `aws_rds_cluster.aurora_cluster_1` | deletion protection turned off | `deletion_protection`: `true` → `false` |");
    expect(review.markdown).toContain("| `prod-database` | **update** | `aws_rds_cluster.aurora_cluster_1` | backups kept for fewer days (older ones are deleted) | `backup_retention_period`: `30` → `1` |");
    expect(review.markdown).toContain("| prod | `prod-database` | · | **1** 🚨 |");
  });

  it("gives the deploy the same gate over a plan file, and refuses a state file in its place", () => {
    const dir = mkdtempSync(join(tmpdir(), "gate-"));
    writeFileSync(join(dir, "p.json"), JSON.stringify(plan([update("aws_s3_bucket.b", { force_destroy: false }, { force_destroy: true })])));
    expect(approvalReasonsForPlanFile("prod-storage", join(dir, "p.json")).map((r) => r.kind)).toEqual(["data-loss"]);
    writeFileSync(join(dir, "s.json"), JSON.stringify({ version: 4, resources: [] }));
    expect(() => approvalReasonsForPlanFile("prod-storage", join(dir, "s.json"))).toThrow("s.json: a Terraform state file");
  });

  it("asks for approval for a removed prevent_destroy given to the summary", () => {
    const reasons = approvalReasons(summarizePlan("prod-dns", plan([]), { preventDestroyRemoved: ["aws_route53_zone.z"] }));
    expect(reasons.map((r) => [r.address, r.kind])).toEqual([["aws_route53_zone.z", "prevent-destroy-removed"]]);
    expect(approvalReasons(summarizePlan("prod-dns", plan([])))).toEqual([]);
  });
});

describe("prevent_destroy removal from the synthesized JSON (pnpm changed-stacks)", () => {
  const outdir = (stacks: Record<string, Record<string, unknown>>) => {
    const dir = mkdtempSync(join(tmpdir(), "guard-synth-"));
    const manifest: Record<string, unknown> = {};
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(join(dir, "stacks", name), { recursive: true });
      writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { s3: {} } }, ...json }));
      manifest[name] = { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: [] };
    }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ stacks: manifest }));
    return dir;
  };
  const zone = (guarded: boolean, name = "zone_1") => ({ resource: { aws_route53_zone: { [name]: { name: "example.com", ...(guarded ? { lifecycle: { prevent_destroy: true } } : {}) } } } });

  it("lists a guard removed or a guarded resource dropped; not a kept guard nor one moved along", () => {
    const base = outdir({ "prod-dns": zone(true), "prod-edge": zone(true), "prod-keep": zone(true), "prod-moved": zone(true) });
    const head = outdir({
      "prod-dns": zone(false),
      "prod-edge": {},
      "prod-keep": zone(true),
      "prod-moved": { ...zone(true, "zone_2"), moved: [{ from: "aws_route53_zone.zone_1", to: "aws_route53_zone.zone_2" }] },
    });
    expect(preventDestroyRemoved(base, head)).toEqual({ "prod-dns": ["aws_route53_zone.zone_1"], "prod-edge": ["aws_route53_zone.zone_1"] });
    expect(changedStacks("main", base, head).preventDestroyRemoved).toEqual(preventDestroyRemoved(base, head));
    expect(changedStacks("main", undefined, head).preventDestroyRemoved).toEqual({});
  });
});

describe("disruptive in-place changes get their own line, without approval", () => {
  const cases: ReadonlyArray<[string, ResourceChange, ResourceChange]> = [
    ["engine version", update("aws_rds_cluster.c", { engine_version: "17.7" }, { engine_version: "17.9" }), update("aws_rds_cluster.c", { engine_version: "17.7" }, { engine_version: "17.7" })],
    ["instance class", update("aws_db_instance.d", { instance_class: "db.t4g.micro" }, { instance_class: "db.t4g.small" }), update("aws_db_instance.d", { instance_class: "db.t4g.micro", tags: {} }, { instance_class: "db.t4g.micro", tags: { a: "b" } })],
    [
      "ACU range",
      update("aws_rds_cluster.c", { serverlessv2_scaling_configuration: [{ min_capacity: 0.5, max_capacity: 2 }] }, { serverlessv2_scaling_configuration: [{ min_capacity: 1, max_capacity: 4 }] }),
      update("aws_rds_cluster.c", { serverlessv2_scaling_configuration: [{ min_capacity: 0.5, max_capacity: 2 }] }, { serverlessv2_scaling_configuration: [{ min_capacity: 0.5, max_capacity: 2 }] }),
    ],
    ["parameter group", update("aws_rds_cluster_instance.w", { db_parameter_group_name: "a" }, { db_parameter_group_name: "b" }), update("aws_rds_cluster_instance.w", { db_parameter_group_name: "a" }, { db_parameter_group_name: "a" })],
    [
      "single-task service's task definition",
      update("aws_ecs_service.web", { desired_count: 1, task_definition: "arn:td:1" }, { desired_count: 1, task_definition: null }, { after_unknown: { task_definition: true } }),
      update("aws_ecs_service.web", { desired_count: 2, task_definition: "arn:td:1" }, { desired_count: 2, task_definition: null }, { after_unknown: { task_definition: true } }),
    ],
  ];
  for (const [name, disruptive, calm] of cases) {
    it(`${name}: a disruptive line, no approval; unchanged: none`, () => {
      expect(disruptiveFindings(disruptive, plan([disruptive]))).toHaveLength(1);
      expect(disruptiveFindings(calm, plan([calm]))).toEqual([]);
      const review = renderReview([summarizePlan("prod-x", plan([disruptive]))]);
      expect(review.needsApproval).toBe(false);
      expect(review.markdown).toContain("### ⚠️ Disruptive in-place changes");
      expect(review.markdown).toContain(`- \`prod-x\` \`${disruptive.address}\`: `);
    });
  }

  it("counts a service with an autoscaling minimum of 1 as single-task", () => {
    const service = update("aws_ecs_service.api", { name: "api", desired_count: 3, task_definition: "arn:1" }, { name: "api", desired_count: 3, task_definition: "arn:2" });
    const target = (min: number): ResourceChange => ({
      address: "aws_appautoscaling_target.t",
      mode: "managed",
      type: "aws_appautoscaling_target",
      name: "t",
      change: { actions: ["no-op"], before: { resource_id: "service/c/api", min_capacity: min }, after: { resource_id: "service/c/api", min_capacity: min } },
    });
    expect(disruptiveFindings(service, plan([service, target(1)]))[0]!.what).toContain("autoscaling min_capacity 1");
    expect(disruptiveFindings(service, plan([service, target(2)]))).toEqual([]);
  });
});

describe("values, outputs, failed plans and the header", () => {
  it("cuts long values, shows sensitive as (sensitive) and unknown as (known after apply)", () => {
    const long = "x".repeat(500);
    const s = summarizePlan("staging-app", plan([
      update("aws_ssm_parameter.p", { value: "old-secret-1", description: "a", insecure_value: long }, { value: "new-secret-2", description: "b", insecure_value: `${long}y` }, {
        before_sensitive: { value: true },
        after_sensitive: { value: true },
      }),
      update("aws_lb.alb", { dns_name: "x" }, { dns_name: null }, { after_unknown: { dns_name: true } }),
    ]));
    const md = renderReview([s]).markdown;
    expect(md).not.toContain("old-secret-1");
    expect(md).not.toContain("new-secret-2");
    expect(md).toContain("  - `value`: _(sensitive)_ → _(sensitive)_");
    expect(md).toContain('  - `description`: `"a"` → `"b"`');
    expect(md).toContain(`  - \`insecure_value\`: \`"${"x".repeat(78)}…\``);
    expect(md).toContain('  - `dns_name`: `"x"` → _(known after apply)_');
  });

  it("lists output changes per stack with values, sensitive ones masked, and counts the stack as changed", () => {
    const s = summarizePlan("staging-security", plan([], {
      output_changes: {
        alb_sg: { actions: ["update"], before: "sg-1", after: null, after_unknown: true, before_sensitive: false, after_sensitive: false },
        token: { actions: ["update"], before: "t-old-SECRET", after: "t-new-SECRET", before_sensitive: true, after_sensitive: true },
        added: { actions: ["create"], before: null, after: "sg-9", before_sensitive: false, after_sensitive: false },
        same: { actions: ["no-op"], before: "a", after: "a" },
      },
    }));
    const review = renderReview([s]);
    expect(review.hasChanges).toBe(true);
    expect(review.markdown).toContain("**3 outputs changed** in 1 stack (staging).");
    expect(review.markdown).toContain("- `added` added: `\"sg-9\"`");
    expect(review.markdown).toContain("- `alb_sg`: `\"sg-1\"` → _(known after apply)_");
    expect(review.markdown).toContain("- `token`: _(sensitive)_ → _(sensitive)_");
    expect(review.markdown).not.toContain("SECRET");
    expect(review.markdown).not.toContain("`same`");
  });

  it("shows a failed plan's first error lines in a code block, masked again", () => {
    const s = summarizePlan("staging-security", plan([], {
      errored: true,
      error_lines: ['Error: Invalid value for variable', 'on variables.tf line 1: variable "alb_allowed_cidrs" = "203.0.113.9/32"', "token AKIAABCDEFGHIJKLMNOPQRSTUVWXYZ123456 ```"],
    }));
    const review = renderReview([s]);
    expect(review.errored).toBe(true);
    expect(review.markdown.split("\n")[1]).toBe("## ⚠️ Terraform plan failed for 1 stack");
    expect(review.markdown).toContain(
      ["````text", "Error: Invalid value for variable", 'on variables.tf line 1: variable "alb_allowed_cidrs" = "(masked)"', "token (masked) ```", "````"].join("\n"),
    );
  });

  it("heads the comment with the commit and the plan time", () => {
    const a = summarizePlan("staging-network", plan([], { timestamp: "2026-11-30T15:12:07Z" }));
    const b = summarizePlan("prod-network", plan([], { timestamp: "2026-11-30T15:14:59Z" }));
    expect(renderReview([a, b], { commit: "0123456789abcdef0123" }).markdown).toContain("<sub>Commit `0123456789ab` · planned 2026-11-30 15:12 UTC – 2026-11-30 15:14 UTC</sub>");
    expect(renderReview([summarizePlan("x-y", plan([]))], { plannedAt: "2026-11-30T09:00:00Z" }).markdown).toContain("· planned 2026-11-30 09:00 UTC</sub>");
  });
});

describe("hostile input cannot break the comment", () => {
  const hostile = [
    "aws_s3_bucket.a|b",
    "aws_s3_bucket.tick`s",
    "aws_s3_bucket.c<!--hide",
    "aws_s3_bucket.d\n### ✅ all fine\n</details>",
    'aws_s3_bucket.e["</details>"]',
  ];
  const changes: ResourceChange[] = hostile.map((address) => ({
    address,
    mode: "managed",
    type: "aws_s3_bucket",
    name: "x",
    change: { actions: ["delete", "create"], before: { "k|`<!--\n": "v|`\n</details>" }, after: { "k|`<!--\n": "w|" }, replace_paths: [["k|`<!--\n"]] },
  }));
  const md = renderReview([summarizePlan("prod-storage", plan(changes))]).markdown;
  const lines = md.split("\n");

  it("keeps every alarm row a row of five cells", () => {
    const rows = lines.filter((l) => l.startsWith("| `prod-storage` |"));
    expect(rows).toHaveLength(hostile.length);
    // GitHub splits cells at every `|` not escaped with a backslash.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it("opens no HTML comment, closes no <details> early, starts no heading", () => {
    // Inside a code span HTML is text; outside one, none of the input may appear.
    const outsideCode = lines.slice(1).map((l) => l.replace(/`[^`]*`/g, ""));
    expect(outsideCode.join("\n")).not.toContain("<!--");
    expect(outsideCode.filter((l) => l.includes("</details>"))).toEqual(["</details>"]);
    expect(lines.filter((l) => l.startsWith("#")).every((l) => !l.includes("all fine"))).toBe(true);
    expect(lines.every((l) => !l.startsWith("<!--") || l === lines[0])).toBe(true);
  });

  it("keeps inline code closed: an even number of backticks on every line outside fences", () => {
    for (const l of lines) expect((l.match(/`/g) ?? []).length % 2).toBe(0);
  });

  it("still raises every hostile resource in the alarm", () => {
    expect(lines[1]).toBe(`## 🚨 Terraform plan: ${hostile.length} stateful resources would be destroyed or replaced`);
  });
});

describe("consumers planned with producers' planned outputs", () => {
  it("says which producer's apply the unknown values wait for, and says nothing when none", () => {
    const sg = update("aws_ecs_service.web", { security_groups: ["sg-1"] }, { security_groups: [null] }, { after_unknown: { security_groups: [true] } });
    const pending = plan([sg], { platform_pending: [{ producer: "staging-security", output: "cross-stack-output-sg", addresses: ["aws_ecs_service.web"] }] } as Partial<PlanJson>);
    const summary = summarizePlan("staging-compute", pending);
    expect(summary.pendingProducers).toEqual(["staging-security"]);
    const md = renderReview([summary]).markdown;
    expect(md).toContain("⏳ Planned with the planned outputs of `staging-security`");
    expect(md).toContain("known after it applies");
    expect(renderReview([summarizePlan("staging-compute", plan([sg]))]).markdown).not.toContain("⏳");
  });
});

describe("sections from our own tools", () => {
  it("shows the policy pack's section after the summary and before the details", () => {
    const s = summarizePlan("staging-compute", plan([update("aws_ecs_service.web", { desired_count: 1 }, { desired_count: 2 })]));
    const md = renderReview([s], { sections: ["### Policy pack\n\n✅ **staging**: 56 rules, 0 unwaived finding(s)"] }).markdown;
    expect(md).toContain("### Policy pack");
    expect(md.indexOf("### Policy pack")).toBeLessThan(md.indexOf("### Changes by stack"));
  });
});
