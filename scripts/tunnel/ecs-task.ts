import { taskIdOf } from "./commands";
import { TunnelError } from "./errors";

/** What the messages about a service need to say how to fix it. */
export interface ServiceContext {
  readonly environment: string;
  readonly cluster: string;
  /** The ECS service name (not the key). */
  readonly service: string;
  readonly region?: string;
  /** `scheduler_start_command` of the compute stack, when the environment has a scheduler. */
  readonly schedulerStartCommand?: string;
  readonly hasBastion: boolean;
}

export interface ExecContainer {
  readonly taskArn: string;
  readonly taskId: string;
  readonly containerName: string;
  readonly runtimeId: string;
}

const EXEC_AGENT = "ExecuteCommandAgent";

interface TaskJson {
  readonly taskArn?: unknown;
  readonly lastStatus?: unknown;
  readonly enableExecuteCommand?: unknown;
  readonly containers?: unknown;
}

interface ContainerJson {
  readonly name?: unknown;
  readonly runtimeId?: unknown;
  readonly lastStatus?: unknown;
  readonly managedAgents?: unknown;
}

const asArray = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null) : [];

const withRegion = (command: string, region: string | undefined) =>
  region && command.startsWith("aws ") && !/\s--region\s/.test(command) ? `${command} --region ${region}` : command;

function waitCommand(ctx: ServiceContext): string {
  return withRegion(`aws ecs wait services-stable --cluster ${ctx.cluster} --services ${ctx.service}`, ctx.region);
}

function forceDeploymentCommand(ctx: ServiceContext): string {
  return withRegion(`aws ecs update-service --cluster ${ctx.cluster} --service ${ctx.service} --force-new-deployment`, ctx.region);
}

const orBastion = (ctx: ServiceContext) =>
  ctx.hasBastion ? `\nOr tunnel through the bastion instead: pnpm tunnel ${ctx.environment} --via bastion` : "";

/** No task is running: most often the scheduler stopped the services outside working hours. */
export function noRunningTaskError(ctx: ServiceContext): TunnelError {
  const start = ctx.schedulerStartCommand
    ? `The scheduler may have stopped the services (they run only during working hours). Start them now:\n  ${withRegion(ctx.schedulerStartCommand, ctx.region)}`
    : `Start one (the service may have been scaled to zero):\n  ${withRegion(`aws ecs update-service --cluster ${ctx.cluster} --service ${ctx.service} --desired-count 1`, ctx.region)}`;
  return new TunnelError(
    `no running task of service ${ctx.service} in cluster ${ctx.cluster} (${ctx.environment}).\n${start}\n` +
      `then wait until it runs:\n  ${waitCommand(ctx)}\nand run this again.${orBastion(ctx)}`,
  );
}

export function execNotEnabledError(ctx: ServiceContext): TunnelError {
  return new TunnelError(
    `ECS Exec is not enabled on the running tasks of service ${ctx.service} (${ctx.environment}), so SSM cannot reach them.\n` +
      `Turn it on: set compute.ecsExec: true in apps/${ctx.environment}/src/config.ts, deploy ${ctx.environment}-compute, ` +
      `then replace the running tasks (a task keeps the setting it started with):\n  ${forceDeploymentCommand(ctx)}${orBastion(ctx)}`,
  );
}

/**
 * The container to target: a RUNNING task with ECS Exec enabled and a container whose exec
 * agent runs. Throws the error that tells the user how to get there otherwise.
 */
export function pickExecContainer(describeTasksJson: unknown, ctx: ServiceContext): ExecContainer {
  const tasks = asArray((describeTasksJson as { tasks?: unknown } | null)?.tasks) as TaskJson[];
  const running = tasks.filter((t) => t.lastStatus === "RUNNING" && typeof t.taskArn === "string");
  if (running.length === 0) {
    if (tasks.length > 0) {
      const states = [...new Set(tasks.map((t) => String(t.lastStatus ?? "unknown")))].join(", ");
      throw new TunnelError(
        `the tasks of service ${ctx.service} are not running yet (${states}). Wait until they run:\n  ${waitCommand(ctx)}\nand run this again.`,
      );
    }
    throw noRunningTaskError(ctx);
  }
  const execTasks = running.filter((t) => t.enableExecuteCommand === true);
  if (execTasks.length === 0) throw execNotEnabledError(ctx);

  const agentStates: string[] = [];
  for (const task of execTasks) {
    for (const container of asArray(task.containers) as ContainerJson[]) {
      const agent = asArray(container.managedAgents).find((a) => a.name === EXEC_AGENT);
      agentStates.push(`${String(container.name)}: ${agent ? String(agent.lastStatus) : "no agent"}`);
      if (
        container.lastStatus === "RUNNING" &&
        typeof container.runtimeId === "string" &&
        container.runtimeId !== "" &&
        agent?.lastStatus === "RUNNING"
      ) {
        const taskArn = task.taskArn as string;
        return { taskArn, taskId: taskIdOf(taskArn), containerName: String(container.name), runtimeId: container.runtimeId };
      }
    }
  }
  throw new TunnelError(
    `ECS Exec is enabled on service ${ctx.service}, but no container's exec agent is running (${agentStates.join("; ")}).\n` +
      `A task that just started needs a minute; a task started before ECS Exec was turned on never gets the agent. Replace the tasks:\n  ${forceDeploymentCommand(ctx)}\n` +
      `and run this again once they run (${waitCommand(ctx)}).${orBastion(ctx)}`,
  );
}
