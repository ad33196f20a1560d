/**
 * CI on main: download the plans reviewed on EVERY pull request merged since the last successful
 * deploy of an environment, so a cancelled or failed deploy run never leaves a merged change
 * without its reviewed plan (GitHub cancels an older pending run of a concurrency group).
 *
 *   pnpm exec tsx scripts/deploy/reviewed-plans.ts --environment staging --job-prefix "Converge " --out reviewed
 *
 * The last successful deploy: the newest completed run of deploy.yml on main whose job
 * `<job-prefix><environment>` succeeded; its head commit is the base. Every first-parent commit
 * after it up to HEAD → its pull request → the last successful pull-request.yml run of the
 * pull request's head commit → its `plans-*` artifacts into `<out>/<n>-<sha>/` (n = merge order,
 * oldest first; the newest reviewed plan of a stack wins, see selectReviewedPlans).
 * Without a successful deploy in the last `--max-runs` runs, the last `--max-commits` commits count.
 *
 * Uses `gh` (GH_TOKEN, GH_REPO) and `git` (a checkout with history: fetch-depth 0).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    environment: { type: "string" },
    "job-prefix": { type: "string", default: "Converge " },
    workflow: { type: "string", default: "deploy.yml" },
    "pr-workflow": { type: "string", default: "pull-request.yml" },
    branch: { type: "string", default: "main" },
    head: { type: "string", default: "HEAD" },
    out: { type: "string", default: "reviewed" },
    "max-runs": { type: "string", default: "50" },
    "max-commits": { type: "string", default: "100" },
  },
});

function run(command: string, args: readonly string[]): string {
  const out = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${(out.stderr || out.stdout).trim()}`);
  return out.stdout.trim();
}
const gh = (...args: string[]) => run("gh", args);
const git = (...args: string[]) => run("git", args);

/** Head commit of the newest deploy run whose job for this environment succeeded. */
function lastDeployedCommit(): string | undefined {
  const runs = JSON.parse(
    gh("run", "list", "--workflow", values.workflow!, "--branch", values.branch!, "--status", "completed", "--limit", values["max-runs"]!, "--json", "databaseId,headSha"),
  ) as Array<{ databaseId: number; headSha: string }>;
  const jobName = `${values["job-prefix"]}${values.environment}`;
  for (const r of runs) {
    const jobs = JSON.parse(gh("run", "view", String(r.databaseId), "--json", "jobs")) as { jobs: Array<{ name: string; conclusion: string }> };
    if (jobs.jobs.some((j) => j.name === jobName && j.conclusion === "success")) return r.headSha;
  }
  return undefined;
}

if (!values.environment) {
  console.error("usage: tsx scripts/deploy/reviewed-plans.ts --environment staging [--out reviewed]");
  process.exit(1);
}
const base = lastDeployedCommit();
const head = git("rev-parse", values.head!);
const range = base ? [`${base}..${head}`] : ["-n", values["max-commits"]!, head];
if (!base) console.log(`::warning::no successful deploy of ${values.environment} found: reading the last ${values["max-commits"]} commits of ${values.branch}`);
const commits = git("rev-list", "--first-parent", "--reverse", ...range).split("\n").filter(Boolean);
console.log(`${commits.length} commit(s) since ${base ? `the last deploy of ${values.environment} (${base.slice(0, 12)})` : "the start of the window"}`);

const seen = new Set<number>();
let n = 0;
for (const sha of commits) {
  n++;
  const prs = JSON.parse(gh("api", `repos/{owner}/{repo}/commits/${sha}/pulls`, "--jq", "[.[] | {number, head: .head.sha, merged: (.merged_at != null)}]")) as Array<{
    number: number;
    head: string;
    merged: boolean;
  }>;
  const pr = prs.find((p) => p.merged);
  if (!pr) {
    console.log(`${sha.slice(0, 12)}: not from a pull request, no reviewed plan`);
    continue;
  }
  if (seen.has(pr.number)) continue;
  seen.add(pr.number);
  const runs = JSON.parse(
    gh("run", "list", "--workflow", values["pr-workflow"]!, "--commit", pr.head, "--status", "success", "--limit", "1", "--json", "databaseId"),
  ) as Array<{ databaseId: number }>;
  if (runs.length === 0) {
    console.log(`::warning::#${pr.number} (${sha.slice(0, 12)}) has no successful ${values["pr-workflow"]} run at ${pr.head.slice(0, 12)}: its stacks apply only if unchanged`);
    continue;
  }
  const dir = resolve(values.out!, `${String(n).padStart(4, "0")}-${sha}`);
  mkdirSync(dir, { recursive: true });
  const download = spawnSync("gh", ["run", "download", String(runs[0]!.databaseId), "--pattern", "plans-*", "--dir", dir], { encoding: "utf8" });
  // A run that planned nothing (no changed stack) has no plans artifact: nothing to add.
  if (download.status !== 0 && !/no (valid )?artifacts? found/i.test(download.stderr)) {
    throw new Error(`gh run download ${runs[0]!.databaseId} failed: ${download.stderr.trim()}`);
  }
  console.log(`#${pr.number} (${sha.slice(0, 12)}): plans of run ${runs[0]!.databaseId} in ${join(values.out!, `${String(n).padStart(4, "0")}-${sha}`)}`);
}
