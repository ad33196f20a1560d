import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changedPaths, classifyActions, findPlanFiles, formatPath, type PlanJson, type ResourceChange } from "../../shared/plan-json";
import { summarizePlan } from "../plan-summary";
import { reviewInProcess } from "./review-support";
import { GITHUB_COMMENT_LIMIT, renderReview } from "../review-comment";
import { environmentOf } from "../../shared/stack-names";

const SECRET = "hunter2-S3cr3t-Value-7731";
const SECRET_KEY = "DB_PASSWORD_FOR_tenant_4711";

function rc(address: string, actions: string[], extra: Partial<ResourceChange["change"]> & { previous_address?: string; action_reason?: string; mode?: string } = {}): ResourceChange {
  const { previous_address, action_reason, mode, ...change } = extra;
  const [type, name] = address.split(".");
  return {
    address,
    mode: mode ?? "managed",
    type: type!,
    name: name!,
    ...(previous_address ? { previous_address } : {}),
    ...(action_reason ? { action_reason } : {}),
    change: { actions, before: null, after: {}, after_unknown: {}, before_sensitive: false, after_sensitive: {}, ...change },
  };
}

function plan(changes: ResourceChange[], extra: Partial<PlanJson> = {}): PlanJson {
  return { format_version: "1.2", terraform_version: "1.11.4", resource_changes: changes, ...extra };
}

/** A database replaced because its identifier changed, with a password it also changes. */
const dbReplace = rc("aws_db_instance.postgres_instance_919E2690", ["delete", "create"], {
  before: { identifier: "acme-prod-db", password: "old-password-0000", instance_class: "db.t4g.micro", tags: { Name: "db" } },
  after: { identifier: "acme-prod-db-2", password: SECRET, instance_class: "db.t4g.small", tags: { Name: "db" } },
  after_unknown: { id: true, arn: true },
  before_sensitive: { password: true, tags: {} },
  after_sensitive: { password: true, tags: {} },
  replace_paths: [["identifier"]],
  action_reason: "replace_because_cannot_update",
});

const serviceUpdate = rc("aws_ecs_service.web_service_10983F6A", ["update"], {
  before: { desired_count: 1, network_configuration: [{ subnets: ["a", "b"], assign_public_ip: false }], tags: { Name: "web" } },
  after: { desired_count: 2, network_configuration: [{ subnets: ["a", "b", "c"], assign_public_ip: false }], tags: { Name: "web" } },
  after_unknown: { task_definition: true },
  before_sensitive: {},
  after_sensitive: {},
});

const lambdaSecrets = rc("aws_lambda_function.publisher_function_C53CFF26", ["update"], {
  before: { environment: [{ variables: { [SECRET_KEY]: "old" } }], memory_size: 128 },
  after: { environment: [{ variables: { [SECRET_KEY]: SECRET } }], memory_size: 256 },
  before_sensitive: { environment: [{ variables: true }] },
  after_sensitive: { environment: [{ variables: true }] },
});

describe("plan JSON reading", () => {
  it("folds delete+create pairs into replace, in either order", () => {
    expect(classifyActions(["delete", "create"])).toBe("replace");
    expect(classifyActions(["create", "delete"])).toBe("replace");
    expect(classifyActions(["create"])).toBe("create");
    expect(classifyActions(["no-op"])).toBe("no-op");
    expect(classifyActions(["forget"])).toBe("forget");
  });

  it("lists changed attribute paths, lists that grow at the list, unknowns marked", () => {
    const paths = changedPaths(serviceUpdate.change).map((p) => `${formatPath(p.path)}${p.unknown ? "?" : ""}`);
    expect(paths).toEqual(["desired_count", "network_configuration[0].subnets", "task_definition?"]);
  });

  it("stops at a sensitive value: its map keys are never listed", () => {
    const paths = changedPaths(lambdaSecrets.change);
    expect(paths.map((p) => formatPath(p.path))).toEqual(["environment[0].variables", "memory_size"]);
    expect(paths[0]!.sensitive).toBe(true);
  });

  it("names stacks' environments by <env>-<layer>, bootstrap account-wide", () => {
    expect(environmentOf("staging-network")).toBe("staging");
    expect(environmentOf("prod-compute")).toBe("prod");
    expect(environmentOf("dev-eu-compute")).toBe("dev-eu");
    expect(environmentOf("bootstrap")).toBe("account");
  });

  it("finds <stack>.json files and <stack>/plan.json folders", () => {
    const dir = mkdtempSync(join(tmpdir(), "plans-"));
    writeFileSync(join(dir, "staging-network.json"), "{}");
    mkdirSync(join(dir, "prod-network"));
    writeFileSync(join(dir, "prod-network", "plan.json"), "{}");
    expect(findPlanFiles([dir]).map((f) => f.stack)).toEqual(["prod-network", "staging-network"]);
  });
});

describe("plan summary", () => {
  const summary = summarizePlan(
    "prod-database",
    plan([
      dbReplace,
      serviceUpdate,
      rc("aws_s3_bucket.assets_bucket_1", ["delete"], { before: { bucket: "acme-assets" }, after: null, action_reason: "delete_because_no_resource_config" }),
      rc("aws_s3_bucket.assets_bucket_2", ["create"], { after: { bucket: "acme-assets" } }),
      rc("aws_iam_role.task_role_1", ["no-op"], { previous_address: "aws_iam_role.old_role_1", before: {}, after: {} }),
      rc("aws_ecr_repository.web_1", ["no-op"], { importing: { id: "acme-web" }, before: {}, after: {} }),
      rc("aws_ssm_parameter.old_1", ["forget"]),
      rc("aws_iam_policy_document.x", ["read"], { mode: "data" }),
      rc("aws_security_group.db_1", ["no-op"], { before: {}, after: {} }),
    ]),
  );

  it("counts add, change, destroy, replace, moved, imported and forget; ignores reads and no-ops", () => {
    expect(summary.counts).toEqual({ add: 1, change: 1, destroy: 1, replace: 1, moved: 1, imported: 1, forget: 1 });
    expect(summary.resources.map((r) => r.address)).not.toContain("aws_security_group.db_1");
    expect(summary.environment).toBe("prod");
  });

  it("marks destroys and replaces of stateful types, with what they lose and why", () => {
    const stateful = summary.resources.filter((r) => r.stateful);
    expect(stateful.map((r) => [r.address, r.action])).toEqual([
      ["aws_db_instance.postgres_instance_919E2690", "replace"],
      ["aws_s3_bucket.assets_bucket_1", "delete"],
    ]);
    expect(stateful[0]!.replacePaths).toEqual(["identifier"]);
    expect(stateful[0]!.stateful).toContain("database instance");
    expect(stateful[1]!.reason).toBe("removed from the configuration");
    expect(stateful[1]!.possibleRenameTo).toBe("aws_s3_bucket.assets_bucket_2");
  });

  it("does not flag an in-place update of a stateful type, nor stateful creates", () => {
    const s = summarizePlan("prod-database", plan([rc("aws_db_instance.x", ["update"], { before: { a: 1 }, after: { a: 2 } }), rc("aws_s3_bucket.y", ["create"])]));
    expect(s.resources.some((r) => r.stateful)).toBe(false);
  });

  it("calls the bootstrap stack's bucket the Terraform state bucket", () => {
    const s = summarizePlan("bootstrap", plan([rc("aws_s3_bucket.state_bucket_803B4E61", ["delete", "create"], { before: {}, after: {} })]));
    expect(s.resources[0]!.stateful).toContain("Terraform state bucket");
  });

  it("treats per-account bootstrap stacks (bootstrap-<envs>) like the shared one", () => {
    const s = summarizePlan("bootstrap-prod", plan([rc("aws_s3_bucket.state_bucket_803B4E61", ["delete", "create"], { before: {}, after: {} })]));
    expect(s.resources[0]!.stateful).toContain("Terraform state bucket");
    expect(environmentOf("bootstrap-prod")).toBe("account");
  });

  it("reads drift, without raising it as a stateful change", () => {
    const s = summarizePlan("prod-compute", plan([], { resource_drift: [serviceUpdate, rc("aws_s3_bucket.logs_1", ["delete"])] }));
    expect(s.drift.map((d) => [d.address, d.action])).toEqual([
      ["aws_ecs_service.web_service_10983F6A", "update"],
      ["aws_s3_bucket.logs_1", "delete"],
    ]);
    expect(s.drift.every((d) => d.stateful === undefined)).toBe(true);
  });
});

describe("review comment", () => {
  const stacks = [
    summarizePlan("prod-database", plan([dbReplace, lambdaSecrets])),
    summarizePlan("staging-compute", plan([serviceUpdate, rc("aws_ecs_service.api_service_1", ["create"])], { resource_drift: [serviceUpdate] })),
    summarizePlan("staging-network", plan([])),
  ];
  const review = renderReview(stacks, { unplannedStacks: ["prod-network"] });
  const md = review.markdown;

  it("starts with the hidden marker and a headline that says a stateful resource is replaced", () => {
    const lines = md.split("\n");
    expect(lines[0]).toBe("<!-- terraform-plan-review -->");
    expect(lines[1]).toBe("## 🚨 Terraform plan: 1 stateful resource would be destroyed or replaced");
    expect(lines[3]).toBe("**1 to add, 2 to change, 1 to replace** in 2 stacks (staging, prod).");
    expect(lines[5]).toBe("<sub>Commit unknown · plan time unknown</sub>");
    expect(review.needsApproval).toBe(true);
  });

  it("raises the replace with its address and the paths forcing it, above the table", () => {
    const alarm = md.indexOf("### 🚨 Needs explicit approval");
    expect(alarm).toBeGreaterThan(0);
    expect(alarm).toBeLessThan(md.indexOf("| Environment | Stack |"));
    expect(md).toMatch(/\| `prod-database` \| \*\*replace\*\* \| `aws_db_instance\.postgres_instance_919E2690` \| database instance: its data and automated backups \| forced by `identifier`; cannot update in place \|/);
  });

  it("has one table row per changed stack with env, counts and the alarm", () => {
    expect(md).toContain("| staging | `staging-compute` | 1 | 1 | · | · | · | · |");
    expect(md).toContain("| prod | `prod-database` | · | 1 | · | **1** 🚨 | · | · |");
    expect(md).toContain("**No changes** in 1 planned stack: `staging-network`.");
    expect(md).toContain("**Not planned** (synthesized Terraform unchanged): 1 stack: `prod-network`.");
  });

  it("lists per stack, collapsed, every changed attribute with before → after, and drift with values", () => {
    expect(md).toContain("<details><summary><code>staging-compute</code>: 1 to add, 1 to change</summary>");
    expect(md).toContain(
      [
        "- `aws_ecs_service.web_service_10983F6A`",
        "  - `desired_count`: `1` → `2`",
        '  - `network_configuration[0].subnets`: `["a","b"]` → `["a","b","c"]`',
        "  - `task_definition`: `null` → _(known after apply)_",
      ].join("\n"),
    );
    expect(md).toContain("- `aws_db_instance.postgres_instance_919E2690` 🚨: forced by `identifier`");
    expect(md).toContain('  - `identifier`: `"acme-prod-db"` → `"acme-prod-db-2"` (forces replacement)');
    expect(md).toContain('  - `instance_class`: `"db.t4g.micro"` → `"db.t4g.small"`');
    expect(md).toContain("  - `password`: _(sensitive)_ → _(sensitive)_");
    expect(md).toContain("### Drift since the last apply");
    expect(md).toContain("- `staging-compute` `aws_ecs_service.web_service_10983F6A` changed: `desired_count` `1` → `2`");
  });

  it("never shows a sensitive value, nor a key of a sensitive map", () => {
    for (const text of [SECRET, SECRET_KEY, "old-password-0000"]) expect(md).not.toContain(text);
    expect(md).toContain("  - `environment[0].variables`: _(sensitive)_ → _(sensitive)_");
    expect(md).toContain("  - `memory_size`: `128` → `256`");
  });

  it("says so when nothing changes", () => {
    const none = renderReview([summarizePlan("staging-network", plan([]))]);
    expect(none.markdown.split("\n")[1]).toBe("## ✅ Terraform plan: no changes");
    expect(none.hasChanges).toBe(false);
    expect(none.needsApproval).toBe(false);
    const nothingPlanned = renderReview([], { unplannedStacks: ["staging-network", "prod-network"] });
    expect(nothingPlanned.markdown).toContain("**Not planned** (synthesized Terraform unchanged): 2 stacks");
  });

  it("raises removed stacks and failed plans", () => {
    const r = renderReview([], { removedStacks: ["staging-legacy"], failedStacks: ["prod-edge"] });
    expect(r.needsApproval).toBe(true);
    expect(r.errored).toBe(true);
    expect(r.markdown).toContain("**Stacks removed from the app:** `staging-legacy`");
    expect(r.markdown).toContain("The plan failed for `prod-edge`");
  });

  it("fits a huge plan under GitHub's limit by shrinking details first, keeping the alarm", () => {
    const long = (i: number, j: number) => `aws_iam_role_policy.service_number_${i}_with_a_long_construct_path_${j}_ABCDEF12`;
    const big = Array.from({ length: 40 }, (_, i) =>
      summarizePlan(
        `prod-layer${i}`,
        plan([
          ...(i === 17 ? [dbReplace] : []),
          ...Array.from({ length: 150 }, (_, j) =>
            rc(long(i, j), ["update"], {
              before: { policy: "a", tags: { Name: "x", Team: "y" }, nested: [{ deep: { value: 1, other: 2 } }] },
              after: { policy: "b", tags: { Name: "z", Team: "w" }, nested: [{ deep: { value: 3, other: 4 } }] },
            }),
          ),
        ]),
      ),
    );
    const r = renderReview(big);
    expect(r.markdown.length).toBeLessThanOrEqual(65_000);
    expect(r.markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(r.markdown).toContain("`aws_db_instance.postgres_instance_919E2690`");
    expect(r.markdown).toContain("forced by `identifier`");
    expect(Math.max(...Object.values(r.detailLevels))).toBeGreaterThan(0);
    expect(r.markdown).toContain("<details><summary><code>prod-layer17</code> 🚨");
  });

  it("keeps the stateful headline and count even when the alarm itself must be cut", () => {
    const many = summarizePlan("prod-storage", plan(Array.from({ length: 3000 }, (_, i) => rc(`aws_s3_bucket.bucket_with_a_rather_long_name_${i}_ABCDEF12`, ["delete"]))));
    const r = renderReview([many]);
    expect(r.markdown.length).toBeLessThanOrEqual(65_000);
    expect(r.markdown).toContain("## 🚨 Terraform plan: 3000 stateful resources would be destroyed or replaced");
    expect(r.markdown).toMatch(/…and \d+ more: see the plan artifacts\./);
  });
});

describe("pnpm review (CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "review-cli-"));
  /** End to end: tsx main.ts, as CI runs it. */
  const spawn = (args: string[]) => spawnSync("node_modules/.bin/tsx", ["scripts/review/main.ts", ...args], { encoding: "utf8" });
  /** The command in-process (the code main.ts runs). */
  const run = reviewInProcess;

  it("exits 2 and writes needs_approval=true for a stateful replace; the summary JSON holds no secret", () => {
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "a", "prod-database.json"), JSON.stringify(plan([dbReplace, lambdaSecrets])));
    const out = join(dir, "a-out.txt");
    const result = spawn([join(dir, "a"), "--out", join(dir, "a.md"), "--github-output", out, "--summary-json", join(dir, "a-summary.json")]);
    expect(result.status).toBe(2);
    expect(readFileSync(out, "utf8")).toContain("needs_approval=true\napproval_count=1\nstateful_count=1\nhas_changes=true\nerrored=false");
    for (const file of ["a.md", "a-summary.json"]) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text).toContain("aws_db_instance.postgres_instance_919E2690");
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SECRET_KEY);
    }
  });

  it("exits 0 for an empty plan and 1 for an errored one", () => {
    writeFileSync(join(dir, "staging-network.json"), JSON.stringify(plan([])));
    const ok = run([join(dir, "staging-network.json")]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("## ✅ Terraform plan: no changes");
    writeFileSync(join(dir, "prod-edge.json"), JSON.stringify({ format_version: "1.2", errored: true, resource_changes: [] }));
    const failed = run([join(dir, "prod-edge.json")]);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("The plan failed for `prod-edge`");
    expect(failed.stdout).not.toContain("**No changes**");
  });
});
