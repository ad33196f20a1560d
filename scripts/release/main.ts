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
import { runRelease } from "./cli";

process.exit(runRelease(process.argv.slice(2), { root: process.cwd(), out: (line) => console.log(line), err: (line) => console.error(line) }));
