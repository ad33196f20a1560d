/**
 * Release an application version: set one service's image tag in one environment.
 *
 *   pnpm release <env> <service> <tag>          e.g. pnpm release staging web v1.4.2
 *   pnpm release <env> <service> --rollback     back to the tag it ran before (git history)
 *
 * Edits only `apps/<env>/src/releases.json` and prints what the plan will change. Bad input
 * (unknown environment or service, a moving, CI or malformed tag, no earlier tag) exits 1 with
 * every problem and leaves the file untouched. Options for CI (.github/workflows/release.yml):
 *   --github-output FILE   append changed, branch, title, before, after (for the pull request step)
 *   --body FILE            write the pull request body (Markdown)
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "@platform/core";
import { releaseEnvironments, releasesFile } from "./environments";
import { gitHistory } from "./history";
import { describeRelease, planRelease, pullRequestText } from "./release";

const USAGE = "usage: pnpm release <env> <service> <tag> | pnpm release <env> <service> --rollback";

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { rollback: { type: "boolean", default: false }, "github-output": { type: "string" }, body: { type: "string" } },
    });
  } catch (error) {
    console.error(`release: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (positionals.length < 2 || positionals.length > 3) {
    console.error(`release: expected <env> <service> and a tag or --rollback, got ${JSON.stringify(positionals)}\n${USAGE}`);
    return 1;
  }
  const [environment, service, tag] = positionals as [string, string, string | undefined];
  const root = process.cwd();
  let plan;
  try {
    plan = planRelease(
      { environment, service, tag, rollback: values.rollback },
      {
        environments: releaseEnvironments,
        fileOf: releasesFile,
        read: (file) => readFileSync(file, "utf8"),
        history: (file) => gitHistory(root, file),
      },
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`release: nothing written. ${error.message.replace(/^Invalid configuration/, "Invalid release")}`);
    return 1;
  }
  if (plan.changed) writeFileSync(plan.file, plan.text);
  console.log(describeRelease(plan));
  const text = pullRequestText(plan);
  if (values.body) writeFileSync(values.body, `${text.body}\n`);
  if (values["github-output"]) {
    appendFileSync(
      values["github-output"],
      [
        `changed=${plan.changed}`,
        `branch=release/${plan.environment}-${plan.service}`,
        `title=${text.title}`,
        `before=${plan.before}`,
        `after=${plan.after}`,
        `file=${plan.file}`,
        "",
      ].join("\n"),
    );
  }
  return 0;
}

process.exit(main());
