import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { TunnelError } from "./errors";
import type { CapturedRun, CommandRunner } from "./runner";

function notFound(command: string): TunnelError {
  return new TunnelError(
    command === "aws"
      ? "the AWS CLI (`aws`) is not on the PATH: install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)."
      : command === "terraform"
        ? "`terraform` is not on the PATH: install it, or pass --outputs-file <json> with saved outputs."
        : `\`${command}\` is not on the PATH.`,
  );
}

/** The real runner: child_process.spawn without a shell, so arguments are passed verbatim. */
export const systemRunner: CommandRunner = {
  capture(command, args, options = {}) {
    return new Promise<CapturedRun>((resolve, reject) => {
      const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", (e: NodeJS.ErrnoException) => reject(e.code === "ENOENT" ? notFound(command) : e));
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  },
  interactive(command, args) {
    return new Promise<number>((resolve, reject) => {
      // Ctrl+C reaches the whole foreground process group: the plugin closes the session on
      // it, and this process must outlive it to report the exit instead of dying first.
      let interrupted = false;
      const onSigint = () => (interrupted = true);
      process.on("SIGINT", onSigint);
      const child = spawn(command, args, { stdio: "inherit" });
      child.on("error", (e: NodeJS.ErrnoException) => {
        process.off("SIGINT", onSigint);
        reject(e.code === "ENOENT" ? notFound(command) : e);
      });
      child.on("close", (code) => {
        process.off("SIGINT", onSigint);
        resolve(interrupted ? 0 : (code ?? 1));
      });
    });
  },
};

/** Whether `name` is an executable on the PATH (with Windows' extensions where they apply). */
export function onPath(name: string): boolean {
  const extensions = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  return (process.env.PATH ?? "")
    .split(delimiter)
    .some((dir) => dir !== "" && extensions.some((ext) => existsSync(join(dir, name + ext))));
}

/** Whether something already listens on localhost:`port` (the plugin would fail to bind). */
export function localPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}
