/**
 * One pull request comment from the `terraform show -json` plans of many stacks.
 *
 *   pnpm review plans/ --changed-stacks changed.json --commit "$HEAD_SHA"
 *   pnpm review .tf-test/stacks               the offline check's plans (<stack>/plan.json)
 *   pnpm review a.json b.json --out comment.md --github-output "$GITHUB_OUTPUT"
 *
 * Options:
 *   --out FILE             write the comment there (default: print it)
 *   --github-output FILE   append needs_approval=, approval_count=, stateful_count=, has_changes=, errored= lines
 *   --summary-json FILE    the per-stack summary (counts, addresses, values as shown in the comment)
 *   --changed-stacks FILE  output of `pnpm changed-stacks`: every stack it expects planned must have a
 *                          readable plan (fail closed); also removed, hand-applied and unplanned stacks,
 *                          and removed `prevent_destroy` guards
 *   --commit SHA           the commit the plans were made of (header); default $GITHUB_SHA
 *   --planned-at TIME      when the plans were made, for plan files without a `timestamp`
 *   --failed STACKS        comma-separated stacks whose plan failed
 *   --stateful-type TYPE   treat another resource type as stateful (repeatable)
 *   --max-chars N          size limit (default 65000; GitHub's is 65536)
 *   --footer TEXT          appended to the last line (e.g. a link to the run)
 *   --section FILE         a Markdown section to include (repeatable), e.g. `pnpm policy --markdown`
 *
 * Exit status: 0 fine; 2 an explicit approval is needed (a stateful resource destroyed or
 * replaced, an update that loses data, a removed prevent_destroy, a removed stack); 1 a plan
 * failed, an expected plan is missing or unreadable (a state file, an unknown format), or the
 * input is bad. The comment is written in every case but bad input.
 */
import { runReview } from "./cli";

process.exit(runReview(process.argv.slice(2), { out: (text) => console.log(text), err: (line) => console.error(line) }));
