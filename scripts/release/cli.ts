import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "@platform/core";
import { releaseEnvironments, releasesFile } from "./environments";
import { gitHistory } from "./history";
import { describeRelease, planRelease, pullRequestText } from "./release";

const USAGE = "usage: pnpm release <env> <service> <tag> | pnpm release <env> <service> --rollback";

/** Where `pnpm release` runs: the repository root (relative paths resolve from it) and its two output streams. */
export interface ReleaseIo {
  readonly root: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * `pnpm release` without the process around it (main.ts is the thin shell), so tests call it
 * in-process instead of spawning tsx per case. Returns the exit code.
 */
export function runRelease(args: readonly string[], io: ReleaseIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { rollback: { type: "boolean", default: false }, "github-output": { type: "string" }, body: { type: "string" } },
    });
  } catch (error) {
    io.err(`release: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (positionals.length < 2 || positionals.length > 3) {
    io.err(`release: expected <env> <service> and a tag or --rollback, got ${JSON.stringify(positionals)}\n${USAGE}`);
    return 1;
  }
  const [environment, service, tag] = positionals as [string, string, string | undefined];
  const { root } = io;
  let plan;
  try {
    plan = planRelease(
      { environment, service, tag, rollback: values.rollback },
      {
        environments: releaseEnvironments,
        fileOf: releasesFile,
        read: (file) => readFileSync(resolve(root, file), "utf8"),
        history: (file) => gitHistory(root, file),
      },
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`release: nothing written. ${error.message.replace(/^Invalid configuration/, "Invalid release")}`);
    return 1;
  }
  if (plan.changed) writeFileSync(resolve(root, plan.file), plan.text);
  io.out(describeRelease(plan));
  const text = pullRequestText(plan);
  if (values.body) writeFileSync(resolve(root, values.body), `${text.body}\n`);
  if (values["github-output"]) {
    appendFileSync(
      resolve(root, values["github-output"]),
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
