import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthAppStacks } from "@platform/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { github } from "../../apps/bootstrap/src/config";
import { buildBootstrap } from "../../apps/bootstrap/src/main";

const DIR = ".github/workflows";
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface WorkflowCheck {
  readonly errors: readonly string[];
  readonly data?: Record<string, unknown>;
}

/** Runs GitHub's workflow parser through scripts/check-workflows.ts (see there why a process). */
function check(paths: readonly string[]): { status: number; results: Record<string, WorkflowCheck> } {
  const run = spawnSync("node_modules/.bin/tsx", ["scripts/check-workflows.ts", "--json", ...paths], { encoding: "utf8" });
  if (!run.stdout) throw new Error(`check-workflows printed nothing: ${run.stderr}`);
  return { status: run.status ?? 1, results: JSON.parse(run.stdout) as Record<string, WorkflowCheck> };
}

type Job = {
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }>;
  if?: string;
  needs?: string | string[];
};
const jobsOf = (c: WorkflowCheck) => (c.data!.jobs as Record<string, Job>);

describe("GitHub workflows", () => {
  const checks = new Map<string, WorkflowCheck>();
  let status: number;
  beforeAll(() => {
    const run = check(files.map((f) => join(DIR, f)));
    status = run.status;
    for (const [f, r] of Object.entries(run.results)) checks.set(f, r);
  });

  it("has the pull request and deploy workflows", () => {
    expect(files).toEqual(expect.arrayContaining(["deploy.yml", "pull-request.yml"]));
  });

  it("passes GitHub's workflow parser (schema, expressions, contexts, needs)", () => {
    for (const f of files) expect({ file: f, errors: checks.get(f)!.errors }).toEqual({ file: f, errors: [] });
    expect(status).toBe(0);
  });

  it("the validator rejects a broken workflow, so the check above can fail", () => {
    const dir = mkdtempSync(join(tmpdir(), "workflow-"));
    writeFileSync(join(dir, "broken.yml"), "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo ${{ matrixx.x }}\n");
    writeFileSync(join(dir, "context.yml"), "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrixx.x }}\n");
    const run = check([join(dir, "broken.yml"), join(dir, "context.yml")]);
    expect(run.status).toBe(1);
    expect(run.results["broken.yml"]!.errors.join("\n")).toMatch(/Unexpected value 'stepz'/);
    expect(run.results["context.yml"]!.errors.join("\n")).toMatch(/Unrecognized named-value: 'matrixx'/);
  });

  it("pins every action to a version and never to a branch", () => {
    for (const f of files) {
      for (const job of Object.values(jobsOf(checks.get(f)!))) {
        for (const step of job.steps) {
          if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
        }
      }
    }
  });

  it("plans with OIDC from jobs without an environment, so the token's sub is the pull_request one the plan roles trust", () => {
    const plan = jobsOf(checks.get("pull-request.yml")!).plan!;
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(plan.environment).toBeUndefined();
    const creds = plan.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
    expect(String(creds.with!["role-to-assume"])).toContain("AWS_PLAN_ROLE_ARN_");
    // The workflow grants no write scope beyond what each job needs.
    expect((checks.get("pull-request.yml")!.data!.permissions as Record<string, string>)).toEqual({ contents: "read" });
  });

  it("posts the review with the hidden marker and asks for the stateful approval in its own environment", () => {
    const jobs = jobsOf(checks.get("pull-request.yml")!);
    expect(jobs.review!.permissions).toMatchObject({ "pull-requests": "write" });
    const script = String(jobs.review!.steps.find((s) => s.uses?.startsWith("actions/github-script@"))!.with!.script);
    expect(script).toContain("updateComment");
    expect(script).toContain("startsWith(marker)");
    expect(jobs["stateful-approval"]!.environment).toBe("stateful-change");
    expect(jobs["stateful-approval"]!.if).toContain("needs_approval == 'true'");
  });

  it("applies staging, then prod behind the production environment, one deploy at a time", () => {
    const deploy = checks.get("deploy.yml")!;
    const jobs = jobsOf(deploy);
    expect(deploy.data!.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    expect(jobs["apply-staging"]!.environment).toBe(github.deployEnvironments.staging);
    expect(jobs["apply-prod"]!.environment).toBe(github.deployEnvironments.prod);
    expect(jobs["apply-prod"]!.needs).toEqual(["prepare", "apply-staging"]);
    for (const name of ["apply-staging", "apply-prod"]) {
      expect(jobs[name]!.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(jobs[name]!.steps.some((s) => s.run?.includes("scripts/apply-reviewed.ts"))).toBe(true);
    }
  });

  it("reads exactly the repository variables the bootstrap stack outputs", () => {
    const bootstrap = synthAppStacks(buildBootstrap).bootstrap!;
    const provided = Object.keys((bootstrap.output!.github_variables!.value as Record<string, string>)).sort();
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(DIR, f), "utf8");
      for (const m of text.matchAll(/vars\.([A-Z0-9_]+)/g)) used.add(m[1]!);
      for (const m of text.matchAll(/format\('([A-Z0-9_]+)\{0\}', matrix\.variableSuffix\)/g)) {
        for (const env of Object.keys(github.deployEnvironments)) used.add(`${m[1]}${env.toUpperCase()}`);
      }
    }
    expect([...used].sort()).toEqual(provided);
  });
});
