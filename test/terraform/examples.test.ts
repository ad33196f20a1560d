/**
 * The terraform tier for the examples app (apps/examples): each example stack through the real
 * AWS provider (terraform init + validate + offline plan), and seed 000's rollback variant too.
 * Without terraform it is skipped locally and fails in CI (CI=true).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesizeApp } from "@platform/core";
import { beforeAll, describe, expect, it } from "vitest";
import { airflowExample, examples } from "../../apps/examples/src/config";
import { buildExamples } from "../../apps/examples/src/main";
import { buildSeedEnvironments } from "../seeds/seed-environments";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import { findTerraform } from "../../scripts/shared/terraform";
import { planStacksOnce } from "./plan-once";

const terraform = findTerraform();
const inCi = process.env.CI === "true";
const WORK_ROOT = resolve(".tf-test-examples");

interface PlanJson {
  resource_changes: Array<{ type: string; change: { actions: string[]; after: Record<string, unknown> } }>;
}

/** The stacks this tier checks: the two self-contained examples and the compute stacks of seeds 002 and 003 (their producers are planned first). */
const CHECKED = ["example-singlecontainer", "example-twobackends", "seed002-compute", "seed003-compute"];

function synthToTemp(plan = examples, seeds = true): string {
  const outdir = mkdtempSync(join(tmpdir(), "platform-examples-"));
  synthesizeApp(
    (app) => {
      buildExamples(app, plan);
      if (seeds) buildSeedEnvironments(app);
    },
    { outdir },
  );
  return outdir;
}

function readPlan(result: StackCheck | undefined): PlanJson {
  if (!result?.planJsonPath) throw new Error(`no plan for ${result?.stack ?? "missing stack"}: ${result?.error ?? ""}`);
  return JSON.parse(readFileSync(result.planJsonPath, "utf8")) as PlanJson;
}

describe.skipIf(!terraform && !inCi)("terraform validate and offline plan of the examples app", () => {
  let results: StackCheck[];
  let rollback: StackCheck[];

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const rollbackPlan = { ...examples, twoBackends: { ...examples.twoBackends, autoScaling: false } };
    // Separate work roots: both variants have a stack named example-twobackends.
    [results, rollback] = await Promise.all([
      planStacksOnce(synthToTemp(), { workRoot: WORK_ROOT, stacks: CHECKED }),
      planStacksOnce(synthToTemp(rollbackPlan, false), { workRoot: join(WORK_ROOT, "rollback"), stacks: ["example-twobackends"] }),
    ]);
    // Fifteen stacks (the seeds' environments plan their producers too): minutes on a busy 2-core machine.
  }, 1_800_000);

  const created = (result: StackCheck | undefined, type: string) =>
    readPlan(result).resource_changes.filter((r) => r.type === type && r.change.actions.includes("create"));
  const stack = (name: string) => results.find((r) => r.stack === name);

  it("checks both example stacks, the seed 002 and 003 environments and the rollback variant", () => {
    // The seeds' producers (network, security, …) are planned first for their outputs; a failure there fails the compute stack.
    expect(results.map((r) => r.stack).sort()).toEqual([...CHECKED].sort());
    expect(rollback.map((r) => r.stack)).toEqual(["example-twobackends"]);
  });

  it("passes validate and plan for every stack", () => {
    const failures = [...results, ...rollback].filter((r) => !r.ok).map((r) => `${r.stack}: ${r.error}`);
    expect(failures).toEqual([]);
  });

  it("validates without warnings", () => {
    const warnings = [...results, ...rollback].flatMap((r) => r.diagnostics.filter((d) => d.severity === "warning").map((d) => `${r.stack}: ${d.summary}`));
    expect(warnings).toEqual([]);
  });

  it("plans only creations", () => {
    for (const r of [...results, ...rollback]) {
      expect(r.changes?.create).toBeGreaterThan(0);
      expect([r.changes?.update, r.changes?.delete]).toEqual([0, 0]);
    }
  });

  it("example-singlecontainer plans the 1 vCPU / 2 GB task, the encrypted EFS cache and 1–4 scaling", () => {
    const single = stack("example-singlecontainer");
    expect(created(single, "aws_ecs_task_definition").map((t) => [t.change.after.cpu, t.change.after.memory])).toEqual([["1024", "2048"]]);
    expect(created(single, "aws_efs_file_system").map((f) => f.change.after.encrypted)).toEqual([true]);
    expect(created(single, "aws_appautoscaling_target").map((t) => [t.change.after.min_capacity, t.change.after.max_capacity])).toEqual([[1, 4]]);
  });

  it("example-twobackends plans the Service Connect namespace and the Go → Python rule pair on 8000", () => {
    const two = stack("example-twobackends");
    expect(created(two, "aws_service_discovery_http_namespace").map((n) => n.change.after.name)).toEqual(["example-two-backends"]);
    const onPort = (type: string) => created(two, type).filter((r) => r.change.after.from_port === 8000).map((r) => r.change.after.description);
    expect(onPort("aws_vpc_security_group_egress_rule")).toEqual(["backend-go calls backend-python on 8000"]);
    expect(onPort("aws_vpc_security_group_ingress_rule")).toEqual(["backend-python called by backend-go on 8000"]);
    const connect = created(two, "aws_ecs_service").map((s) => [s.change.after.name, (s.change.after.service_connect_configuration as Array<Record<string, unknown>>)[0]!.enabled]);
    expect(connect.sort()).toEqual([
      ["example-two-backends-backend-go", true],
      ["example-two-backends-backend-python", true],
    ]);
  });

  it("seed002-compute plans the api's own group with 27017 to Atlas, and task roles reading the assets", () => {
    const seed = stack("seed002-compute");
    expect(created(seed, "aws_security_group").map((g) => g.change.after.name)).toEqual(["example-seed002-api-task"]);
    expect(created(seed, "aws_vpc_security_group_egress_rule").map((r) => [r.change.after.cidr_ipv4, r.change.after.from_port])).toEqual([
      ["192.0.2.0/24", 27017],
      ["198.51.100.0/24", 27017],
    ]);
    expect(created(seed, "aws_iam_role").map((r) => r.change.after.name).filter((n) => String(n).endsWith("-task")).sort()).toEqual([
      "example-seed002-api-task",
      "example-seed002-web-task",
    ]);
  });

  it("seed003-compute plans task definitions with the Datadog agent (and the api's log router) beside the app", () => {
    const names = created(stack("seed003-compute"), "aws_ecs_task_definition").map((t) =>
      (JSON.parse(String(t.change.after.container_definitions)) as Array<{ name: string }>).map((c) => c.name),
    );
    expect(names.map((n) => n.join(", ")).sort()).toEqual(["app, datadog-agent", "app, datadog-agent, log-router"]);
  });

  it("example-twobackends plans scaling 1–5 for both backends; its rollback plans none", () => {
    const scaled = created(stack("example-twobackends"), "aws_appautoscaling_target");
    expect(scaled.map((t) => [t.change.after.min_capacity, t.change.after.max_capacity])).toEqual([[1, 5], [1, 5]]);
    expect(created(stack("example-twobackends"), "aws_appautoscaling_policy")).toHaveLength(4);
    expect(created(rollback[0], "aws_appautoscaling_target")).toEqual([]);
    const counts = created(rollback[0], "aws_ecs_service").map((s) => [s.change.after.name, s.change.after.desired_count]);
    expect(counts.sort()).toEqual([
      ["example-two-backends-backend-go", 2],
      ["example-two-backends-backend-python", 1],
    ]);
  });
});

describe.skipIf(!terraform && !inCi)("terraform validate and offline plan of the examples app with MWAA on (seed 001)", () => {
  let result: StackCheck | undefined;

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const outdir = synthToTemp({ ...examples, airflow: airflowExample });
    [result] = await planStacksOnce(outdir, { workRoot: join(WORK_ROOT, "airflow"), stacks: ["example-airflow"], concurrency: 1 });
  });

  it("validates and plans the MWAA stack without warnings (the provider accepts mw1.micro)", () => {
    expect(result?.stack).toBe("example-airflow");
    expect(result?.ok, result?.error).toBe(true);
    expect(result!.diagnostics.filter((d) => d.severity === "warning").map((d) => d.summary)).toEqual([]);
    expect([result!.changes?.update, result!.changes?.delete]).toEqual([0, 0]);
  });

  it("plans a private mw1.micro environment with its versioned DAG bucket and five log groups", () => {
    const plan = readPlan(result);
    const created = (type: string) => plan.resource_changes.filter((r) => r.type === type && r.change.actions.includes("create"));
    const [environment] = created("aws_mwaa_environment");
    expect(environment!.change.after).toMatchObject({ environment_class: "mw1.micro", webserver_access_mode: "PRIVATE_ONLY", max_workers: 1 });
    expect(created("aws_s3_bucket_versioning").map((v) => v.change.after.versioning_configuration)).toEqual([[{ status: "Enabled" }]]);
    expect(created("aws_cloudwatch_log_group").map((g) => g.change.after.name).filter((n) => String(n).startsWith("airflow-"))).toHaveLength(5);
  });
});
