import type { TunnelOptions, TunnelPath } from "./args";
import {
  databaseUrlArgs,
  describeTasksArgs,
  ecsExecTarget,
  listTasksArgs,
  psqlUrl,
  secretValueArgs,
  startSessionArgs,
} from "./commands";
import { pickExecContainer, noRunningTaskError, type ServiceContext } from "./ecs-task";
import { TunnelError } from "./errors";
import type { OutputSource, StackOutputs, StackSettings } from "./outputs";
import { printCommand, shellJoin, type CommandRunner, type Printer } from "./runner";

export interface TunnelDeps {
  readonly outputs: OutputSource;
  readonly runner: CommandRunner;
  readonly print: Printer;
  /** Region and database names of a synthesized stack, when it is synthesized here. */
  readonly settings?: (stack: string) => StackSettings | undefined;
  /** Whether a program is on the PATH; the check is skipped when absent. */
  readonly hasCommand?: (name: string) => boolean;
  /** Whether the local port is taken; the check is skipped when absent. */
  readonly portInUse?: (port: number) => Promise<boolean>;
}

export interface EnvironmentStacks {
  readonly database: string;
  readonly compute: string;
  readonly bastion: string;
}

export const stacksOf = (environment: string): EnvironmentStacks => ({
  database: `${environment}-database`,
  compute: `${environment}-compute`,
  bastion: `${environment}-bastion`,
});

const DATABASE_SUFFIX = "-database";

export function unknownEnvironmentError(environment: string, stacks: readonly string[], where: string): TunnelError {
  const known = stacks.filter((s) => s.endsWith(DATABASE_SUFFIX)).map((s) => s.slice(0, -DATABASE_SUFFIX.length));
  return new TunnelError(
    `unknown environment "${environment}": ${where} has no ${environment}${DATABASE_SUFFIX} stack. ` +
      (known.length > 0 ? `Environments with a database: ${known.join(", ")}.` : "No environment there has a database stack."),
  );
}

/** `--via` when given, else the bastion when the environment has one (no ECS Exec needed), else a task. */
export function choosePath(environment: string, stacks: readonly string[], via: TunnelPath | undefined): TunnelPath {
  const names = stacksOf(environment);
  const hasBastion = stacks.includes(names.bastion);
  const hasCompute = stacks.includes(names.compute);
  const path = via ?? (hasBastion ? "bastion" : "task");
  if (path === "bastion" && !hasBastion) {
    throw new TunnelError(
      `${environment} has no bastion (no ${names.bastion} stack). Tunnel through an ECS task instead: ` +
        `pnpm tunnel ${environment} --via task (needs compute.ecsExec: true).`,
    );
  }
  if (path === "task" && !hasCompute) {
    throw new TunnelError(
      `${environment} has no compute stack (${names.compute}) whose tasks could carry the tunnel` +
        (hasBastion ? `; use --via bastion.` : ", and no bastion either."),
    );
  }
  return path;
}

const isDeployedValue = (v: unknown) => v !== undefined && v !== null && v !== "" && !(typeof v === "string" && v.includes("${"));

export function missingOutputError(stack: string, name: string, outputs: StackOutputs, where: string): TunnelError {
  const none = Object.keys(outputs).length === 0;
  return new TunnelError(
    `${stack} has no output "${name}" in ${where}${none ? " (no outputs at all: it was never applied)" : ""}. ` +
      `Deploy it first: \`npx cdktf deploy ${stack}\` (or \`terraform apply\` in cdktf.out/stacks/${stack}), then run this again.`,
  );
}

export function requireString(outputs: StackOutputs, stack: string, name: string, where: string): string {
  const value = outputs[name];
  if (!isDeployedValue(value) || typeof value !== "string") throw missingOutputError(stack, name, outputs, where);
  return value;
}

/** `service_names` of the compute stack: service key → ECS service name. */
export function serviceNamesOf(outputs: StackOutputs, stack: string, where: string): Record<string, string> {
  const value = outputs.service_names;
  const ok =
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((v) => typeof v === "string" && isDeployedValue(v));
  if (!ok) throw missingOutputError(stack, "service_names", outputs, where);
  return value as Record<string, string>;
}

/** `--service` when given (must exist), else `api` when there is one, else the first key. */
export function chooseService(names: Readonly<Record<string, string>>, requested: string | undefined, stack: string): string {
  const keys = Object.keys(names).sort();
  if (requested !== undefined) {
    if (!(requested in names)) {
      throw new TunnelError(`service "${requested}" is not in ${stack}'s service_names (${keys.join(", ")}); pass --service with one of them.`);
    }
    return requested;
  }
  return "api" in names ? "api" : keys[0]!;
}

const INSTANCE_ID = /^m?i-[0-9a-f]{8,17}$/;

async function awsJson(deps: TunnelDeps, args: string[], settings: StackSettings): Promise<unknown> {
  printCommand(deps.print, "aws", args);
  const result = await deps.runner.capture("aws", args);
  if (result.code !== 0) {
    const where = [settings.accountId && `account ${settings.accountId}`, settings.region && `region ${settings.region}`].filter(Boolean).join(", ");
    throw new TunnelError(
      `\`aws ${args[0]} ${args[1]}\` failed (exit ${result.code}):\n${result.stderr.trim()}\n` +
        `Check that your credentials are current and for the environment's account (aws sts get-caller-identity)${where ? `: ${where}` : ""}.`,
    );
  }
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new TunnelError(`\`aws ${args[0]} ${args[1]}\` did not print JSON.`);
  }
}

/** Opens the tunnel (or, with `dryRun`, prints what it would run); resolves with the exit code. */
export async function runTunnel(options: TunnelOptions, deps: TunnelDeps): Promise<number> {
  const { environment, localPort, dryRun } = options;
  const { print } = deps;
  const names = stacksOf(environment);
  const where = deps.outputs.description;
  const stacks = deps.outputs.listStacks();
  if (!stacks.includes(names.database)) throw unknownEnvironmentError(environment, stacks, where);
  const via = choosePath(environment, stacks, options.via);
  if (via === "bastion" && options.service !== undefined) {
    throw new TunnelError(`--service picks the task for --via task, but ${environment} tunnels through its bastion: add --via task, or drop --service.`);
  }

  if (dryRun) {
    print("Dry run: the aws commands are printed, not run.");
  } else {
    if (deps.hasCommand && !deps.hasCommand("aws")) {
      throw new TunnelError("the AWS CLI (`aws`) is not on the PATH: install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html).");
    }
    if (deps.hasCommand && !deps.hasCommand("session-manager-plugin")) {
      throw new TunnelError(
        "the Session Manager plugin for the AWS CLI (`session-manager-plugin`) is not on the PATH; port forwarding needs it: " +
          "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html",
      );
    }
    if (deps.portInUse && (await deps.portInUse(localPort))) {
      const other = localPort < 65535 ? localPort + 1 : localPort - 1;
      throw new TunnelError(`localhost:${localPort} is already in use (a local PostgreSQL or another tunnel?); pick a free port: --local-port ${other}.`);
    }
  }

  const settings = deps.settings?.(names.database) ?? {};
  const region = settings.region;
  const database = await deps.outputs.read(names.database);
  const endpoint = requireString(database, names.database, "db_endpoint", where);
  const secretArn = requireString(database, names.database, "db_master_secret_arn", where);
  const urlParameter = isDeployedValue(database.database_url_parameter) ? String(database.database_url_parameter) : undefined;

  let target: string;
  let through: string;
  if (via === "bastion") {
    const bastion = await deps.outputs.read(names.bastion);
    target = requireString(bastion, names.bastion, "bastion_instance_id", where);
    if (!INSTANCE_ID.test(target)) {
      throw new TunnelError(`${names.bastion} output "bastion_instance_id" is "${target}", not an instance ID (i-…); re-read the outputs after \`cdktf deploy ${names.bastion}\`.`);
    }
    through = `the bastion ${target}`;
  } else {
    const compute = await deps.outputs.read(names.compute);
    const cluster = requireString(compute, names.compute, "cluster_name", where);
    const services = serviceNamesOf(compute, names.compute, where);
    const key = chooseService(services, options.service, names.compute);
    const ctx: ServiceContext = {
      environment,
      cluster,
      service: services[key]!,
      region,
      schedulerStartCommand: isDeployedValue(compute.scheduler_start_command) ? String(compute.scheduler_start_command) : undefined,
      hasBastion: stacks.includes(names.bastion),
    };
    if (dryRun) {
      printCommand(print, "aws", listTasksArgs(cluster, ctx.service, region));
      printCommand(print, "aws", describeTasksArgs(cluster, ["<task-arn from list-tasks>"], region));
      target = ecsExecTarget(cluster, "<task-id>", "<container-runtime-id>");
      through = `a running task of service ${ctx.service} (ECS Exec)`;
    } else {
      const listed = await awsJson(deps, listTasksArgs(cluster, ctx.service, region), settings);
      const arns = ((listed as { taskArns?: unknown } | null)?.taskArns ?? []) as unknown[];
      const taskArns = arns.filter((a): a is string => typeof a === "string");
      if (taskArns.length === 0) throw noRunningTaskError(ctx);
      // describe-tasks takes at most 100 tasks; any running one will do.
      const described = await awsJson(deps, describeTasksArgs(cluster, taskArns.slice(0, 100), region), settings);
      const picked = pickExecContainer(described, ctx);
      target = ecsExecTarget(cluster, picked.taskId, picked.runtimeId);
      through = `task ${picked.taskId} (container ${picked.containerName}) of service ${ctx.service}`;
    }
  }

  const remotePort = settings.databasePort ?? 5432;
  const sessionArgs = startSessionArgs({ target, host: endpoint, remotePort, localPort, region });
  printConnectionHelp(print, { environment, localPort, endpoint, remotePort, through, secretArn, urlParameter, settings });
  printCommand(print, "aws", sessionArgs);
  if (dryRun) return 0;

  const code = await deps.runner.interactive("aws", sessionArgs);
  if (code !== 0) {
    print(`The session ended with exit code ${code}.`);
    print(
      via === "bastion"
        ? `If the bastion is stopped (TargetNotConnected), start it, wait a minute, and run this again:\n  aws ec2 start-instances --instance-ids ${target}${region ? ` --region ${region}` : ""}`
        : "If the task stopped (deployments and the scheduler replace tasks), run this again to pick a running one.",
    );
    print("Starting a session needs ssm:StartSession on the target and on the AWS-StartPortForwardingSessionToRemoteHost document.");
  }
  return code;
}

function printConnectionHelp(
  print: Printer,
  c: {
    readonly environment: string;
    readonly localPort: number;
    readonly endpoint: string;
    readonly remotePort: number;
    readonly through: string;
    readonly secretArn: string;
    readonly urlParameter?: string;
    readonly settings: StackSettings;
  },
): void {
  const user = c.settings.masterUsername ?? "<master user>";
  const db = c.settings.databaseName ?? "<database>";
  print("");
  print(`Tunnel (${c.environment}): localhost:${c.localPort} -> ${c.endpoint}:${c.remotePort} through ${c.through}.`);
  print("While it runs, in another terminal:");
  print(`  psql "${psqlUrl(user, c.localPort, db)}"`);
  if (!c.settings.masterUsername || !c.settings.databaseName) {
    print("  (user and database name: the stack is not synthesized here; run `pnpm synth`, or see database.* in the environment's config)");
  }
  print("The password is the \"password\" field of the RDS-managed master secret (never printed here):");
  print(`  ${shellJoin("aws", secretValueArgs(c.secretArn, c.settings.region))}`);
  if (c.urlParameter) {
    print(`DATABASE_URL for migrations: this parameter's value with its host:port replaced by localhost:${c.localPort}:`);
    print(`  ${shellJoin("aws", databaseUrlArgs(c.urlParameter, c.settings.region))}`);
  }
  print("Stop the tunnel with Ctrl+C.");
  print("");
}
