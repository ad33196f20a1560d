import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError } from "@platform/core";
import { describe, expect, it } from "vitest";
import { runRelease } from "../cli";
import { releaseEnvironments, releasesFile } from "../environments";
import type { FileVersion } from "../history";
import { describeRelease, parseReleases, planRelease, previousTag, pullRequestText, type ReleaseSources } from "../release";

const TSX = resolve("node_modules/.bin/tsx");
const MAIN = resolve("scripts/release/main.ts");

function sources(text = '{\n  "web": "v1.0.1",\n  "api": "v1.0.1"\n}\n', history: FileVersion[] = []): ReleaseSources {
  return { environments: releaseEnvironments, fileOf: releasesFile, read: () => text, history: () => history };
}

function issuesOf(fn: () => unknown): Array<{ field: string; value?: unknown; fix: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => ({ ...i }));
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the releases files", () => {
  it("exist for every environment a release can target, and only for those", () => {
    const withFile = readdirSync("apps").filter((d) => existsSync(join("apps", d, "src", "releases.json"))).sort();
    expect(withFile).toEqual(Object.keys(releaseEnvironments).sort());
  });

  it.each(Object.keys(releaseEnvironments))("%s: name every service once, and config.ts runs exactly these tags", (env) => {
    const tags = parseReleases(readFileSync(releasesFile(env), "utf8"));
    const services = releaseEnvironments[env]!.compute.services;
    expect(typeof tags).toBe("object");
    expect(Object.keys(tags).sort()).toEqual(Object.keys(services).sort());
    for (const [name, service] of Object.entries(services)) expect({ name, tag: service.imageTag }).toEqual({ name, tag: (tags as Record<string, string>)[name] });
  });
});

describe("planRelease", () => {
  it("changes one service's tag, keeps the rest of the file and its key order, and names the one stack that changes", () => {
    const plan = planRelease({ environment: "staging", service: "api", tag: "v1.2.0" }, sources());
    expect(plan).toMatchObject({
      environment: "staging",
      service: "api",
      file: "apps/staging/src/releases.json",
      before: "v1.0.1",
      after: "v1.2.0",
      changed: true,
      stack: "staging-compute",
      taskDefinition: "bookmark-manager-staging-api",
      repository: "bookmark-manager-staging-api",
    });
    expect(plan.text).toBe('{\n  "web": "v1.0.1",\n  "api": "v1.2.0"\n}\n');
    expect(describeRelease(plan)).toContain("container \"app\" image bookmark-manager-staging-api:v1.0.1 → bookmark-manager-staging-api:v1.2.0");
    expect(pullRequestText(plan).title).toBe("Release staging api v1.2.0");
  });

  it("is a no-op when the service already runs the tag (a repeated dispatch writes nothing)", () => {
    const plan = planRelease({ environment: "prod", service: "web", tag: "v1.0.1" }, sources());
    expect(plan.changed).toBe(false);
    expect(describeRelease(plan)).toMatch(/already runs v1\.0\.1: nothing to change/);
  });

  it("fails when the environment is unknown, listing the known ones (and the tag's problem in the same run)", () => {
    expect(issuesOf(() => planRelease({ environment: "stg", service: "web", tag: "latest" }, sources()))).toEqual([
      { field: "release.environment", value: "stg", fix: "is not an environment; use one of staging, prod." },
      { field: "release.tag", value: "latest", fix: expect.stringMatching(/moving tag .*"v1\.4\.2"/) },
    ]);
  });

  it("fails when the service is unknown, listing the environment's services", () => {
    expect(issuesOf(() => planRelease({ environment: "prod", service: "worker", tag: "v1.0.2" }, sources()))).toEqual([
      { field: "release.service", value: "worker", fix: "is not a service of prod; use one of web, api." },
    ]);
  });

  it.each([
    ["latest", /moving tag/],
    ["MAIN", /moving tag/],
    ["sha-3f9c2e1", /CI build tag/],
    ["web:v1", /not an image tag/],
    ["3f9c2e1", /not a release tag/],
  ])("fails on the tag %s", (tag, fix) => {
    const issues = issuesOf(() => planRelease({ environment: "staging", service: "web", tag }, sources()));
    expect(issues).toEqual([{ field: "release.tag", value: tag, fix: expect.stringMatching(fix) }]);
  });

  it("fails without a tag, and with both a tag and --rollback", () => {
    expect(issuesOf(() => planRelease({ environment: "staging", service: "web" }, sources()))[0]!.fix).toMatch(/is missing: give the tag/);
    expect(issuesOf(() => planRelease({ environment: "staging", service: "web", tag: "v2", rollback: true }, sources()))[0]!.fix).toMatch(/cannot be given with --rollback/);
  });

  it("fails when the releases file lacks a service, names an unknown one, or is not JSON", () => {
    expect(issuesOf(() => planRelease({ environment: "staging", service: "web", tag: "v2" }, sources('{"web":"v1","admin":"v1"}')))).toEqual([
      { field: "apps/staging/src/releases.json.api", fix: expect.stringMatching(/is missing/) },
      { field: "apps/staging/src/releases.json.admin", value: "v1", fix: expect.stringMatching(/names no service .*remove it/) },
    ]);
    expect(issuesOf(() => planRelease({ environment: "staging", service: "web", tag: "v2" }, sources("{web: v1}")))[0]!.fix).toMatch(/is not valid JSON/);
  });
});

describe("previousTag", () => {
  const v = (commit: string, web: string | undefined): FileVersion => ({ commit, subject: `c ${commit}`, text: web === undefined ? '{"api":"v1"}' : JSON.stringify({ web, api: "v1" }) });

  it("is the first older tag that differs from the current one", () => {
    expect(previousTag("f", "web", "v3", [v("c4", "v3"), v("c3", "v3"), v("c2", "v2"), v("c1", "v1")])).toEqual({ tag: "v2", commit: "c2", subject: "c c2" });
  });

  it("fails clearly when the history has no other tag, or ends where the service was added", () => {
    expect(() => previousTag("f", "web", "v3", [v("c2", "v3")])).toThrow(/has no earlier tag than "v3" in the git history of f \(1 commit of the file\)/);
    expect(() => previousTag("f", "web", "v3", [v("c2", "v3"), v("c1", undefined), v("c0", "v0")])).toThrow(/has no earlier tag/);
    expect(() => previousTag("f", "web", "v3", [])).toThrow(/0 commits/);
  });
});

describe("pnpm release (the command, in a git repository)", () => {
  const file = "apps/staging/src/releases.json";
  const git = (repo: string, ...args: string[]) => {
    const run = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
    return run.stdout;
  };
  const write = (repo: string, tags: object) => writeFileSync(join(repo, file), `${JSON.stringify(tags, null, 2)}\n`);
  const read = (repo: string) => readFileSync(join(repo, file), "utf8");
  /** The command in-process (the same code main.ts runs), with its exit code and both streams. */
  const release = (repo: string, ...args: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const status = runRelease(args, { root: repo, out: (line) => stdout.push(line), err: (line) => stderr.push(line) });
    return { status, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  };
  /** A fresh repository per test (order-independent): web released v1.0.0 then v1.0.1, api at v1.0.0, plus `more` releases of web. */
  const repository = (...more: string[]) => {
    const repo = mkdtempSync(join(tmpdir(), "release-"));
    mkdirSync(join(repo, "apps/staging/src"), { recursive: true });
    git(repo, "init", "-q");
    git(repo, "config", "user.email", "t@example.com");
    git(repo, "config", "user.name", "t");
    write(repo, { web: "v1.0.0", api: "v1.0.0" });
    git(repo, "add", ".");
    git(repo, "commit", "-qm", "first");
    for (const tag of ["v1.0.1", ...more]) {
      write(repo, { web: tag, api: "v1.0.0" });
      git(repo, "commit", "-qam", `Release staging web ${tag}`);
    }
    return repo;
  };

  it("writes the new tag and prints the stack, task definition and image that change (end to end: tsx main.ts)", () => {
    const repo = repository();
    const run = spawnSync(TSX, [MAIN, "staging", "web", "v1.0.2"], { cwd: repo, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(JSON.parse(read(repo))).toEqual({ web: "v1.0.2", api: "v1.0.0" });
    expect(run.stdout).toContain("staging web: v1.0.1 → v1.0.2");
    expect(run.stdout).toContain("stack:           staging-compute");
    expect(run.stdout).toContain("bookmark-manager-staging-web:v1.0.1 → bookmark-manager-staging-web:v1.0.2");
  });

  it("refuses a moving tag, an unknown service and a malformed tag, naming value and fix, and leaves the file untouched", () => {
    const repo = repository("v1.0.2");
    const before = read(repo);
    for (const [args, message] of [
      [["staging", "web", "latest"], /release\.tag: "latest" is a moving tag/],
      [["staging", "worker", "v2.0.0"], /release\.service: "worker" is not a service of staging; use one of web, api\./],
      [["staging", "web", "v1:2"], /release\.tag: "v1:2" is not an image tag/],
    ] as const) {
      const run = release(repo, ...args);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(run.stderr).toMatch(message);
      expect(read(repo)).toBe(before);
    }
  });

  it("rolls back to the tag before the current one from git history, and a second rollback undoes the first", () => {
    const repo = repository("v1.0.2");
    const run = release(repo, "staging", "web", "--rollback");
    expect(run.status).toBe(0);
    expect(JSON.parse(read(repo)).web).toBe("v1.0.1");
    expect(run.stdout).toMatch(/v1\.0\.2 → v1\.0\.1 \(rollback to the tag of [0-9a-f]{12} "Release staging web v1\.0\.1"\)/);
    git(repo, "commit", "-qam", "Roll back staging web v1.0.1");
    expect(release(repo, "staging", "web", "--rollback").status).toBe(0);
    expect(JSON.parse(read(repo)).web).toBe("v1.0.2");
  });

  it("fails clearly when the history holds no earlier tag, and writes nothing", () => {
    const repo = repository("v1.0.2");
    const before = read(repo);
    const run = release(repo, "staging", "api", "--rollback");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/release\.rollback: "api" has no earlier tag than "v1\.0\.0" in the git history of apps\/staging\/src\/releases\.json/);
    expect(read(repo)).toBe(before);
  });

  it("writes the pull request's branch, title and body for the workflow", () => {
    const repo = repository();
    const out = join(repo, "gh-output");
    const body = join(repo, "body.md");
    const run = release(repo, "staging", "api", "v1.1.0", "--github-output", out, "--body", body);
    expect(run.status).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("changed=true\nbranch=release/staging-api\ntitle=Release staging api v1.1.0\nbefore=v1.0.0\nafter=v1.1.0\n");
    expect(readFileSync(body, "utf8")).toContain("`staging-compute` (the only stack whose plan changes)");
  });
});
