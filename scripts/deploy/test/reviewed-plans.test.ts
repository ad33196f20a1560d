/**
 * scripts/deploy/reviewed-plans.ts against a real git history and a fake `gh` (GitHub's answers as
 * fixtures): the plans of every pull request merged since the last successful deploy are
 * downloaded, also those of a merge whose own deploy run was cancelled.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { selectReviewedPlans } from "../converge";

const git = (cwd: string, ...args: string[]) => {
  const out = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout.trim();
};

/** A `gh` that answers from a fixture file and records its calls. */
const FAKE_GH = `#!/usr/bin/env node
const fs = require("fs"), path = require("path");
const f = JSON.parse(fs.readFileSync(process.env.FAKE_GH, "utf8"));
const a = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_GH + ".log", a.join(" ") + "\\n");
const opt = (n) => a[a.indexOf(n) + 1];
if (a[0] === "run" && a[1] === "list" && opt("--workflow") === "deploy.yml") console.log(JSON.stringify(f.deployRuns));
else if (a[0] === "run" && a[1] === "view") console.log(JSON.stringify({ jobs: f.jobs[a[2]] }));
else if (a[0] === "api") console.log(JSON.stringify(f.pulls[a[1].split("/")[4]] ?? []));
else if (a[0] === "run" && a[1] === "list") console.log(JSON.stringify(f.prRuns[opt("--commit")] ?? []));
else if (a[0] === "run" && a[1] === "download") {
  for (const [file, body] of Object.entries(f.artifacts[a[2]] ?? {})) {
    fs.mkdirSync(path.dirname(path.join(opt("--dir"), file)), { recursive: true });
    fs.writeFileSync(path.join(opt("--dir"), file), JSON.stringify(body));
  }
} else { console.error("unexpected gh " + a.join(" ")); process.exit(2); }
`;

const PLAN = { format_version: "1.2", resource_changes: [] };

describe("reviewed-plans.ts", () => {
  let dir: string;
  let out: string;
  let status: number | null;
  let stdout: string;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "reviewed-plans-"));
    const repo = join(dir, "repo");
    mkdirSync(repo);
    git(repo, "init", "-q", "-b", "main");
    for (const name of ["deployed", "prA", "prB", "direct"]) {
      git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", name);
      sha[name] = git(repo, "rev-parse", "HEAD");
    }
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "gh"), FAKE_GH);
    chmodSync(join(bin, "gh"), 0o755);
    writeFileSync(
      join(dir, "fixture.json"),
      JSON.stringify({
        // Newest first: A's run was cancelled, B's run is the one running now (not completed), the one before succeeded.
        deployRuns: [
          { databaseId: 12, headSha: sha.prA },
          { databaseId: 11, headSha: sha.deployed },
        ],
        jobs: {
          "12": [{ name: "Preview staging", conclusion: "success" }, { name: "Converge staging", conclusion: "cancelled" }],
          "11": [{ name: "Converge staging", conclusion: "success" }, { name: "Converge prod", conclusion: "success" }],
        },
        pulls: { [sha.prA!]: [{ number: 1, head: "h1", merged: true }], [sha.prB!]: [{ number: 2, head: "h2", merged: true }] },
        prRuns: { h1: [{ databaseId: 201 }], h2: [{ databaseId: 202 }] },
        artifacts: {
          "201": { "plans-staging/staging-registry.json": PLAN },
          "202": { "plans-staging/staging-storage.json": PLAN, "plans-staging/staging-registry.json": { ...PLAN, newer: true } },
        },
      }),
    );
    out = join(dir, "reviewed");
    const run = spawnSync(resolve("node_modules/.bin/tsx"), [resolve("scripts/deploy/reviewed-plans.ts"), "--environment", "staging", "--out", out], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_GH: join(dir, "fixture.json") },
    });
    status = run.status;
    stdout = run.stdout + run.stderr;
  });

  it("starts after the last deploy whose Converge job succeeded, and takes every pull request since", () => {
    expect(status).toBe(0);
    expect(stdout).toContain(`3 commit(s) since the last deploy of staging (${sha.deployed!.slice(0, 12)})`);
    expect(existsSync(join(out, `0001-${sha.prA}`, "plans-staging", "staging-registry.json"))).toBe(true);
    expect(existsSync(join(out, `0002-${sha.prB}`, "plans-staging", "staging-storage.json"))).toBe(true);
    expect(stdout).toContain(`${sha.direct!.slice(0, 12)}: not from a pull request, no reviewed plan`);
  });

  it("feeds the selection rule: the cancelled merge's plan is there, the newest plan of a stack wins", () => {
    const selected = selectReviewedPlans(out);
    expect(selected.get("staging-storage")!.source).toBe(`0002-${sha.prB}`);
    expect(selected.get("staging-registry")!.source).toBe(`0002-${sha.prB}`);
    expect((selected.get("staging-registry")!.plan as { newer?: boolean }).newer).toBe(true);
  });
});
