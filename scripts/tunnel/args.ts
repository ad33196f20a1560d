import { parseArgs } from "node:util";
import { TunnelError } from "./errors";

/**
 * Not 5432: with the tunnel on 5432, a PostgreSQL running on the laptop could answer in the
 * database's place (or the tunnel fails to bind and the client silently talks to the local one).
 */
export const DEFAULT_LOCAL_PORT = 15432;

export type TunnelPath = "task" | "bastion";

export interface TunnelOptions {
  readonly environment: string;
  readonly localPort: number;
  /** Undefined: the bastion when the environment has one, else an ECS task. */
  readonly via?: TunnelPath;
  /** Key in the compute stack's `service_names`; undefined picks `api`, else the first key. */
  readonly service?: string;
  readonly dryRun: boolean;
  /** A saved `{stack: outputs}` JSON file read instead of `terraform output -json`. */
  readonly outputsFile?: string;
}

export const USAGE = `Usage: pnpm tunnel <env> [--local-port 15432] [--via task|bastion] [--service api] [--dry-run] [--outputs-file <json>]

Forwards localhost:<local-port> to the environment's database through SSM Session Manager,
via the bastion (default when <env>-bastion exists) or a running ECS task with ECS Exec.
Needs the AWS CLI v2 and the Session Manager plugin. Every command is printed before it runs.

  --local-port     local port to listen on (default ${DEFAULT_LOCAL_PORT}, so a local PostgreSQL on 5432 cannot answer instead)
  --via            task | bastion
  --service        service key whose task carries the tunnel (--via task; default api)
  --dry-run        print the commands, run none of the aws commands
  --outputs-file   JSON {"<env>-database": {...}, ...} of saved \`terraform output -json\` results`;

/** Lower-case letters, digits and hyphens: also keeps the name from walking out of cdktf.out/stacks. */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;

/** Parses the command line; returns `"help"` for --help. */
export function parseTunnelArgs(argv: readonly string[]): TunnelOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        "local-port": { type: "string" },
        via: { type: "string" },
        service: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        "outputs-file": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new TunnelError(`${(e as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== 1) {
    throw new TunnelError(
      positionals.length === 0
        ? `name the environment, e.g. \`pnpm tunnel staging\`.\n\n${USAGE}`
        : `expected one environment, got ${positionals.join(" ")}.\n\n${USAGE}`,
    );
  }
  const environment = positionals[0]!;
  if (!ENVIRONMENT_NAME.test(environment)) {
    throw new TunnelError(`environment "${environment}" is not a valid name: use lower-case letters, digits and hyphens (e.g. staging).`);
  }
  const via = values.via;
  if (via !== undefined && via !== "task" && via !== "bastion") {
    throw new TunnelError(`--via must be "task" or "bastion" (got "${via}").`);
  }
  if (values.service !== undefined && values.service === "") {
    throw new TunnelError(`--service needs a service key, e.g. --service api.`);
  }
  return {
    environment,
    localPort: parseLocalPort(values["local-port"]),
    via,
    service: values.service,
    dryRun: values["dry-run"] ?? false,
    outputsFile: values["outputs-file"],
  };
}

export function parseLocalPort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LOCAL_PORT;
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new TunnelError(
      `--local-port must be a whole number from 1024 to 65535 (got "${raw}"); ports below 1024 need root. ` +
        `The default ${DEFAULT_LOCAL_PORT} keeps a local PostgreSQL on 5432 from answering in the database's place.`,
    );
  }
  return port;
}
