import { spawnSync } from "node:child_process";

/** One committed version of a file: the commit and the file's text then. */
export interface FileVersion {
  readonly commit: string;
  /** Commit subject, shown next to the tag a rollback picks. */
  readonly subject: string;
  readonly text: string;
}

function git(root: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: run.status === 0, out: run.stdout ?? "", err: (run.stderr ?? String(run.error ?? "")).trim() };
}

/**
 * Every committed version of `file` (a path from the repository root), newest first, following
 * `git log` of that file. Throws when `root` is not a git checkout.
 */
export function gitHistory(root: string, file: string): FileVersion[] {
  const log = git(root, ["log", "--format=%H%x09%s", "--", file]);
  if (!log.ok) throw new Error(`git log of ${file} failed in ${root}: ${log.err}`);
  return log.out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [commit, ...subject] = line.split("\t");
      const show = git(root, ["show", `${commit}:${file}`]);
      // A commit that deleted the file has no text: treated like a version without the service.
      return { commit: commit!, subject: subject.join("\t"), text: show.ok ? show.out : "" };
    });
}
