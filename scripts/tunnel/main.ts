/**
 * A local port forwarded to an environment's database through SSM Session Manager, via the
 * bastion or a running ECS task with ECS Exec (replaces connect_to_aurora.sh / connect_to_awsdb.sh).
 *
 *   pnpm tunnel <env> [--local-port 15432] [--via task|bastion] [--service api] [--dry-run] [--outputs-file <json>]
 *
 * Names come from the stacks' outputs (`terraform output -json` in cdktf.out/stacks/<stack>, or a
 * saved file). Every command is printed before it runs; the password is never printed.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTunnelArgs, USAGE } from "./args";
import { TunnelError } from "./errors";
import { fileOutputSource, readStackSettings, terraformOutputSource } from "./outputs";
import { localPortInUse, onPath, systemRunner } from "./system";
import { runTunnel } from "./tunnel";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const stacksDir = join(root, "cdktf.out", "stacks");
const print = (line: string) => console.log(line);

async function main(): Promise<number> {
  const options = parseTunnelArgs(process.argv.slice(2));
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const outputs = options.outputsFile
    ? fileOutputSource(options.outputsFile)
    : terraformOutputSource({ stacksDir, runner: systemRunner, print, cwd: process.cwd() });
  return runTunnel(options, {
    outputs,
    runner: systemRunner,
    print,
    settings: (stack) => readStackSettings(stacksDir, stack),
    hasCommand: onPath,
    portInUse: localPortInUse,
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof TunnelError) {
      console.error(`db-tunnel: ${e.message}`);
      process.exit(1);
    }
    throw e;
  },
);
