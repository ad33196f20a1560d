import { runReview } from "../cli";

/** `pnpm review` in-process (the code main.ts runs): its exit status and both streams as the console prints them. */
export function reviewInProcess(args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = runReview(args, { out: (text) => stdout.push(`${text}\n`), err: (line) => stderr.push(`${line}\n`) });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}
