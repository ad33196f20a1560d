import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthAppStacks } from "@platform/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { github } from "../../../apps/bootstrap/src/config";
import { buildBootstrap } from "../../../apps/bootstrap/src/main";
import { buildStaging } from "../../../apps/staging/src/main";
import { checkWorkflowFiles } from "../workflow-check";

const DIR = ".github/workflows";
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface WorkflowCheck {
  readonly errors: readonly string[];
  readonly data?: Record<string, unknown>;
}

/** `pnpm check-workflows --json`, end to end (tsx main.ts): GitHub's parser and actionlint, the exit status and the JSON. */
function checkCommand(paths: readonly string[]): { status: number; results: Record<string, WorkflowCheck> } {
  const run = spawnSync("node_modules/.bin/tsx", ["scripts/workflows/main.ts", "--json", ...paths], { encoding: "utf8" });
  if (!run.stdout) throw new Error(`check-workflows printed nothing: ${run.stderr}`);
  return { status: run.status ?? 1, results: JSON.parse(run.stdout) as Record<string, WorkflowCheck> };
}

type Job = {
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps: Array<{ id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }>;
  if?: string;
  needs?: string | string[];
};
const jobsOf = (c: WorkflowCheck) => (c.data!.jobs as Record<string, Job>);

/** package.json scripts: the workflows call tools by these names. */
const rootScripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;

describe("GitHub workflows", () => {
  const checks = new Map<string, WorkflowCheck>();
  let status: number;
  beforeAll(() => {
    const run = checkCommand(files.map((f) => join(DIR, f)));
    status = run.status;
    for (const [f, r] of Object.entries(run.results)) checks.set(f, r);
  });

  it("has the pull request and deploy workflows", () => {
    expect(files).toEqual(expect.arrayContaining(["deploy.yml", "pull-request.yml"]));
  });

  it("passes GitHub's workflow parser (schema, expressions, contexts, needs) and actionlint", () => {
    for (const f of files) expect({ file: f, errors: checks.get(f)!.errors }).toEqual({ file: f, errors: [] });
    expect(status).toBe(0);
  });

  it("the validator rejects a broken workflow, so the check above can fail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workflow-"));
    writeFileSync(join(dir, "broken.yml"), "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo ${{ matrixx.x }}\n");
    writeFileSync(join(dir, "context.yml"), "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrixx.x }}\n");
    // Valid for GitHub's parser, caught by actionlint: an untrusted value in a script, a step output that does not exist.
    writeFileSync(join(dir, "lint.yml"), "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n      - run: echo ${{ steps.nope.outputs.x }}\n");
    // In-process: the code main.ts runs.
    const run = await checkWorkflowFiles([join(dir, "broken.yml"), join(dir, "context.yml"), join(dir, "lint.yml")]);
    expect(run.status).toBe(1);
    expect(run.results["broken.yml"]!.errors.join("\n")).toMatch(/Unexpected value 'stepz'/);
    expect(run.results["context.yml"]!.errors.join("\n")).toMatch(/Unrecognized named-value: 'matrixx'/);
    const lint = run.results["lint.yml"]!.errors.join("\n");
    expect(lint).toMatch(/actionlint 6:\d+ \[expression\] "github.event.pull_request.title" is potentially untrusted/);
    expect(lint).toMatch(/actionlint 7:\d+ \[expression\] property "nope" is not defined/);
  });

  it("pins every action by full commit SHA with its version in a comment (or says why not)", () => {
    for (const f of files) {
      const lines = readFileSync(join(DIR, f), "utf8").split("\n");
      const uses = lines.filter((l) => /^\s*(- )?uses:/.test(l));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) {
        const pinned = /uses: [\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(line);
        const unverified = /uses: [\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+(\.\d+){0,2} # SHA not verified: /.test(line);
        expect({ file: f, line, pinned: pinned || unverified }).toEqual({ file: f, line, pinned: true });
      }
    }
  });

  it("pins each action to one commit everywhere, so an upgrade changes every use at once", () => {
    const pins = new Map<string, Set<string>>();
    for (const f of files) {
      for (const m of readFileSync(join(DIR, f), "utf8").matchAll(/uses: ([\w.-]+\/[\w.-]+)@(\S+ # \S+)/g)) {
        pins.set(m[1]!, (pins.get(m[1]!) ?? new Set()).add(m[2]!));
      }
    }
    for (const [action, refs] of pins) expect({ action, refs: [...refs] }).toEqual({ action, refs: [[...refs][0]] });
    expect([...pins.keys()].sort()).toEqual([
      "actions/checkout",
      "actions/download-artifact",
      "actions/github-script",
      "actions/setup-node",
      "actions/upload-artifact",
      "aws-actions/configure-aws-credentials",
      "hashicorp/setup-terraform",
    ]);
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

  it("converges staging, then prod behind the production environment, one deploy at a time", () => {
    const deploy = checks.get("deploy.yml")!;
    const jobs = jobsOf(deploy);
    expect(deploy.data!.concurrency).toEqual({ group: "${{ github.event_name == 'schedule' && 'drift' || 'deploy' }}", "cancel-in-progress": false });
    expect(Object.keys(deploy.data!.on as object).sort()).toEqual(["push", "schedule", "workflow_dispatch"]);
    expect(jobs["converge-staging"]!.environment).toBe(github.deployEnvironments.staging);
    expect(jobs["converge-prod"]!.environment).toBe(github.deployEnvironments.prod);
    expect(jobs["preview-prod"]!.needs).toEqual(["prepare", "converge-staging"]);
    for (const [name, env] of [["converge-staging", "staging"], ["converge-prod", "prod"]] as const) {
      expect(jobs[name]!.permissions).toEqual({ contents: "read", "id-token": "write" });
      const run = jobs[name]!.steps.find((s) => s.run?.includes("run deploy"))!.run!;
      expect(run).toContain(`run deploy ${env} --reviewed reviewed/${env} --summary "$GITHUB_STEP_SUMMARY"`);
    }
  });

  it("the gate is main's: a preview computes needs_approval, stateful-change approves, converge gets --approved-stateful only then", () => {
    const jobs = jobsOf(checks.get("deploy.yml")!);
    for (const env of ["staging", "prod"]) {
      const preview = jobs[`preview-${env}`]!;
      expect(preview.environment).toBeUndefined();
      expect(preview.steps.find((s) => s.uses?.startsWith("aws-actions/"))!.with!["role-to-assume"]).toBe(`\${{ vars.AWS_PLAN_ROLE_ARN_${env.toUpperCase()} }}`);
      expect(preview.steps.find((s) => s.id === "preview")!.run).toContain("--github-output \"$GITHUB_OUTPUT\"");
      const approve = jobs[`approve-${env}`]!;
      expect(approve.environment).toBe("stateful-change");
      expect(approve.if).toContain(`needs.preview-${env}.outputs.needs_approval == 'true'`);
      // Without it, a job skipped further up (staging in a run dispatched for prod) would skip the approval too.
      expect(approve.if).toMatch(/^!cancelled\(\) && /);
      const converge = jobs[`converge-${env}`]!;
      expect(converge.needs).toEqual(["prepare", `preview-${env}`, `approve-${env}`]);
      const step = converge.steps.find((s) => s.run?.includes("run deploy"))!;
      expect(step.env!.APPROVED).toBe(`\${{ needs.approve-${env}.result == 'success' }}`);
      expect(step.run).toContain('if [ "$APPROVED" = "true" ]; then args+=(--approved-stateful); fi');
    }
  });

  it("collects the reviewed plans of every pull request merged since the last successful deploy", () => {
    const prepare = jobsOf(checks.get("deploy.yml")!).prepare!;
    expect(prepare.permissions).toEqual({ contents: "read", actions: "read", "pull-requests": "read" });
    expect(String(prepare.steps[0]!.with!["fetch-depth"])).toBe("0");
    const run = prepare.steps.find((s) => s.run?.includes('" reviewed-plans '))!.run!;
    expect(rootScripts["reviewed-plans"]).toBe("tsx scripts/deploy/reviewed-plans.ts");
    expect(run).toContain('--environment "$environment" --out "reviewed/$environment"');
    expect(readFileSync(join(DIR, "deploy.yml"), "utf8")).not.toContain("github.event.before");
    // The job names reviewed-plans.ts looks for ("Converge <environment>").
    const jobs = jobsOf(checks.get("deploy.yml")!) as Record<string, Job & { name?: string }>;
    expect(jobs["converge-staging"]!.name).toBe("Converge staging");
    expect(jobs["converge-prod"]!.name).toBe("Converge prod");
  });

  it("gives every stack's input without a default a secret in each job that plans or applies it", () => {
    const staging = synthAppStacks(buildStaging);
    const needed = Object.entries(staging).flatMap(([stack, json]) =>
      Object.entries((json as { variable?: Record<string, { default?: unknown }> }).variable ?? {}).filter(([, v]) => v.default === undefined).map(([name]) => ({ stack, name })),
    );
    expect(needed.map((n) => `${n.stack}.${n.name}`)).toEqual(["staging-security.alb_allowed_cidrs"]);
    const deployJobs = jobsOf(checks.get("deploy.yml")!);
    for (const job of ["preview-staging", "converge-staging"]) {
      const step = deployJobs[job]!.steps.find((s) => s.run?.includes("run deploy"))!;
      expect(step.env!.TF_VAR_alb_allowed_cidrs).toBe("${{ secrets.ALB_ALLOWED_CIDRS_STAGING }}");
    }
    const plan = jobsOf(checks.get("pull-request.yml")!).plan!;
    for (const script of ["check-ci-inputs", "plan-stacks"]) {
      expect(rootScripts[script]).toBe(`tsx scripts/deploy/${script}.ts`);
      const step = plan.steps.find((s) => s.run?.includes(`" ${script} `))!;
      expect(step.env!.TF_VAR_alb_allowed_cidrs).toBe("${{ secrets[format('ALB_ALLOWED_CIDRS_{0}', matrix.variableSuffix)] }}");
    }
    // No address ranges in git, except the documentation ranges of RFC 5737 in examples.
    for (const f of files) {
      const cidrs = [...readFileSync(join(DIR, f), "utf8").matchAll(/\d+\.\d+\.\d+\.\d+\/\d+/g)].map((m) => m[0]);
      expect(cidrs.filter((c) => !/^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(c))).toEqual([]);
    }
  });

  it("previews and drift runs plan from main without an environment: the bootstrap's plan roles trust main", () => {
    const text = JSON.stringify(synthAppStacks(buildBootstrap).bootstrap);
    expect(text).toContain(`repo:${github.owner}/${github.repository}:ref:refs/heads/main`);
    expect(text).toContain(`repo:${github.owner}/${github.repository}:pull_request`);
  });

  it("reviews with main's changed stacks and the head commit", () => {
    const review = jobsOf(checks.get("pull-request.yml")!).review!;
    const step = review.steps.find((s) => s.run?.includes("review plans"))!;
    expect(step.run).toContain('--changed-stacks changed.json --commit "$HEAD_SHA"');
    expect(step.env!.HEAD_SHA).toBe("${{ github.event.pull_request.head.sha }}");
  });

  it("reads exactly the repository variables the bootstrap stack outputs", () => {
    const bootstrap = synthAppStacks(buildBootstrap).bootstrap!;
    const provided = Object.keys((bootstrap.output!.github_variables!.value as Record<string, string>)).sort();
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(DIR, f), "utf8");
      for (const m of text.matchAll(/vars\.([A-Z0-9_]+)/g)) used.add(m[1]!);
      for (const m of text.matchAll(/vars\[format\('([A-Z0-9_]+)\{0\}', matrix\.variableSuffix\)/g)) {
        for (const env of Object.keys(github.deployEnvironments)) used.add(`${m[1]}${env.toUpperCase()}`);
      }
    }
    expect([...used].sort()).toEqual(provided);
  });
});
