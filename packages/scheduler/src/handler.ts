/**
 * Lambda handler of the ServiceScheduler: `{"action":"stop"}` scales the configured ECS
 * services to zero (holding their auto scaling targets at 0/0) and stops the RDS instance;
 * `{"action":"start"}` undoes it. Bundled by esbuild at synth time; not exported from the
 * package index so synth never loads the AWS SDK.
 */
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
  DescribeDBInstancesCommand,
  RDSClient,
  StartDBInstanceCommand,
  StopDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { holidayOn, parseHolidayCalendar } from "./holidays";
import {
  ACTIONS,
  PayloadError,
  SKIP_START_ON_HOLIDAYS_ENV_VAR,
  TARGETS_ENV_VAR,
  parseAction,
  parseTargets,
  type HolidayCalendar,
  type ScheduleAction,
  type SchedulerTargets,
  type ServiceTarget,
} from "./targets";
import { awsStep, consoleLogger, errorInfo, namedError, type JsonLogger, type LogRecord } from "@platform/lambda/runtime";

export { ACTIONS, PayloadError, parseAction, type ScheduleAction };

/** The AWS clients the handler uses; tests pass mocked ones. */
export interface SchedulerClients {
  readonly ecs: ECSClient;
  readonly autoScaling: ApplicationAutoScalingClient;
  readonly rds: RDSClient;
}

export type { LogRecord };
export type SchedulerLogger = JsonLogger;

export type TargetKind = "ecs-service" | "rds-instance";

export interface TargetResult {
  readonly kind: TargetKind;
  /** Key from the `services` record, or the DB instance identifier. */
  readonly key: string;
  readonly outcome: "changed" | "unchanged" | "failed";
  /** What was done, in order, e.g. `desiredCount 2 -> 0`. */
  readonly changes: readonly string[];
  readonly error?: { readonly name: string; readonly message: string };
}

export interface ScheduleSummary {
  readonly action: ScheduleAction;
  readonly results: readonly TargetResult[];
  /** Why nothing was done, e.g. `start` on a public holiday. */
  readonly skipped?: string;
}

/** Thrown after every target was tried when at least one failed; names each failed target. */
export class ScheduleRunError extends Error {
  override readonly name = "ScheduleRunError";
  constructor(
    message: string,
    readonly summary: ScheduleSummary,
  ) {
    super(message);
  }
}

const ECS_NAMESPACE = "ecs";
const ECS_DIMENSION = "ecs:service:DesiredCount";

/**
 * Runs one action over every target. Services run concurrently; on `start` the database
 * goes first and on `stop` last, so applications never run long against a stopped
 * database. A failing target is logged and the others still run; the returned summary or
 * the thrown {@link ScheduleRunError} lists every outcome.
 */
export async function runSchedule(
  action: ScheduleAction,
  targets: SchedulerTargets,
  clients: SchedulerClients,
  logger: SchedulerLogger,
): Promise<ScheduleSummary> {
  const services = () =>
    Promise.all(
      Object.entries(targets.services).map(([key, svc]) =>
        attempt(action, "ecs-service", key, logger, serviceFields(svc), () => applyToService(action, svc, clients)),
      ),
    );
  const database = async () => {
    const db = targets.database;
    if (!db) return [];
    const result = await attempt(action, "rds-instance", db.identifier, logger, {}, () =>
      applyToDatabase(action, db.identifier, clients.rds),
    );
    return [result];
  };

  const results =
    action === "start" ? [...(await database()), ...(await services())] : [...(await services()), ...(await database())];
  const summary: ScheduleSummary = { action, results };
  const failed = results.filter((r) => r.outcome === "failed");
  const counts = {
    changed: results.filter((r) => r.outcome === "changed").length,
    unchanged: results.filter((r) => r.outcome === "unchanged").length,
    failed: failed.length,
  };

  if (failed.length > 0) {
    const names = failed.map((r) => `${r.kind} ${r.key}`);
    logger.error({ event: "schedule.summary", action, ...counts, failedTargets: names });
    const details = failed.map((r) => `${r.kind} "${r.key}": ${r.error!.name}: ${r.error!.message}`).join("; ");
    throw new ScheduleRunError(
      `${action} failed for ${failed.length} of ${results.length} target(s): ${details}. ` +
        `The other targets were processed; invoke again to retry (already-done targets are skipped).`,
      summary,
    );
  }
  logger.info({ event: "schedule.summary", action, ...counts });
  return summary;
}

function serviceFields(svc: ServiceTarget): LogRecord {
  return { cluster: svc.cluster, service: svc.service };
}

async function attempt(
  action: ScheduleAction,
  kind: TargetKind,
  key: string,
  logger: SchedulerLogger,
  fields: LogRecord,
  run: () => Promise<string[]>,
): Promise<TargetResult> {
  const base = { event: "schedule.target", action, target: kind, key, ...fields };
  try {
    const changes = await run();
    const outcome = changes.length > 0 ? "changed" : "unchanged";
    logger.info({ ...base, outcome, changes });
    return { kind, key, outcome, changes };
  } catch (e) {
    const error = errorInfo(e);
    logger.error({ ...base, outcome: "failed", error });
    return { kind, key, outcome: "failed", changes: [], error };
  }
}

/**
 * Stop: hold the scalable target at 0/0 first, so the scaler cannot raise the count back to
 * its minimum, then set the desired count to 0. Start: restore the configured min/max, then
 * the desired count, unless the service already runs inside that range (then the scaler's
 * current choice stands). Each step is skipped when already in the wanted state.
 */
async function applyToService(action: ScheduleAction, svc: ServiceTarget, clients: SchedulerClients): Promise<string[]> {
  const changes: string[] = [];
  const scaling = svc.autoScaling;
  // Both read before any write, so the decision does not depend on what the scaler does
  // in reaction to the first write.
  const target = scaling ? await describeScalableTarget(clients.autoScaling, scaling.resourceId) : undefined;
  const current = await describeServiceDesiredCount(clients.ecs, svc);

  if (scaling && target) {
    const [min, max] = action === "stop" ? [0, 0] : [scaling.minCapacity, scaling.maxCapacity];
    if (target.min !== min || target.max !== max) {
      await awsStep("RegisterScalableTarget", () =>
        clients.autoScaling.send(
          new RegisterScalableTargetCommand({
            ServiceNamespace: ECS_NAMESPACE,
            ScalableDimension: ECS_DIMENSION,
            ResourceId: scaling.resourceId,
            MinCapacity: min,
            MaxCapacity: max,
          }),
        ),
      );
      changes.push(`scalable target min/max ${target.min}/${target.max} -> ${min}/${max}`);
    }
  }

  let wanted: number;
  if (action === "stop") wanted = 0;
  else if (scaling && current >= scaling.minCapacity && current <= scaling.maxCapacity && current > 0) wanted = current;
  else wanted = svc.desiredCount;

  if (current !== wanted) {
    await awsStep("UpdateService", () =>
      clients.ecs.send(new UpdateServiceCommand({ cluster: svc.cluster, service: svc.service, desiredCount: wanted })),
    );
    changes.push(`desiredCount ${current} -> ${wanted}`);
  }
  return changes;
}

async function describeScalableTarget(
  client: ApplicationAutoScalingClient,
  resourceId: string,
): Promise<{ min: number; max: number }> {
  const out = await awsStep("DescribeScalableTargets", () =>
    client.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: ECS_NAMESPACE,
        ScalableDimension: ECS_DIMENSION,
        ResourceIds: [resourceId],
      }),
    ),
  );
  const found = out.ScalableTargets?.find((t) => t.ResourceId === resourceId);
  if (!found || found.MinCapacity === undefined || found.MaxCapacity === undefined) {
    // Registering it here would create a target no Terraform stack manages.
    throw namedError(
      "ScalableTargetNotFound",
      `no scalable target ${resourceId} (${ECS_DIMENSION}); restore it in the compute stack or remove autoScaling from this service's scheduler config`,
    );
  }
  return { min: found.MinCapacity, max: found.MaxCapacity };
}

async function describeServiceDesiredCount(client: ECSClient, svc: ServiceTarget): Promise<number> {
  const out = await awsStep("DescribeServices", () =>
    client.send(new DescribeServicesCommand({ cluster: svc.cluster, services: [svc.service] })),
  );
  const found = out.services?.find((s) => s.serviceName === svc.service || s.serviceArn === svc.service);
  if (!found || found.status !== "ACTIVE" || found.desiredCount === undefined) {
    const reason = out.failures?.[0]?.reason ?? (found ? `status ${found.status}` : "not returned");
    throw namedError("ServiceNotFound", `ECS service ${svc.cluster}/${svc.service} is not active (${reason})`);
  }
  return found.desiredCount;
}

/**
 * RDS can only be stopped from `available` and started from `stopped`. AWS starts a
 * stopped instance again by itself after 7 days; the next scheduled stop stops it again.
 */
async function applyToDatabase(action: ScheduleAction, identifier: string, client: RDSClient): Promise<string[]> {
  const out = await awsStep("DescribeDBInstances", () =>
    client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })),
  );
  const status = out.DBInstances?.[0]?.DBInstanceStatus;
  if (!status) throw namedError("DBInstanceNotFound", `RDS instance ${identifier} was not returned`);

  const stop = action === "stop";
  const done = stop ? ["stopped", "stopping"] : ["available", "starting"];
  const from = stop ? "available" : "stopped";
  if (done.includes(status)) return [];
  if (status !== from) {
    throw namedError(
      "InvalidDBInstanceState",
      `RDS instance ${identifier} is "${status}"; it can only be ${stop ? "stopped" : "started"} from "${from}". Retry once it settles`,
    );
  }
  if (stop) {
    await awsStep("StopDBInstance", () => client.send(new StopDBInstanceCommand({ DBInstanceIdentifier: identifier })));
  } else {
    await awsStep("StartDBInstance", () => client.send(new StartDBInstanceCommand({ DBInstanceIdentifier: identifier })));
  }
  return [`status ${status} -> ${stop ? "stopping" : "starting"}`];
}

export interface HandlerDeps {
  /** @default real clients for the function's region, created on first use */
  readonly clients?: () => SchedulerClients;
  /** @default parsed from the SCHEDULER_TARGETS environment variable on first use */
  readonly targets?: () => SchedulerTargets;
  /** @default console.info / console.error with one object, so JSON logs nest it under `message` */
  readonly logger?: SchedulerLogger;
  /** @default read from the SKIP_START_ON_HOLIDAYS environment variable */
  readonly skipStartOnHolidays?: () => HolidayCalendar | undefined;
  /** @default the current time */
  readonly now?: () => Date;
}

/** Builds a Lambda handler; the default export uses real clients and the environment. */
export function createHandler(deps: HandlerDeps = {}): (event: unknown) => Promise<ScheduleSummary> {
  let clients: SchedulerClients | undefined;
  let targets: SchedulerTargets | undefined;
  const logger = deps.logger ?? consoleLogger;
  return async (event: unknown) => {
    let action: ScheduleAction;
    try {
      action = parseAction(event);
    } catch (e) {
      logger.error({ event: "schedule.rejected", error: errorInfo(e) });
      throw e;
    }
    // `stop` always runs: a service started by hand on a holiday still stops in the evening.
    const calendar = deps.skipStartOnHolidays ? deps.skipStartOnHolidays() : parseHolidayCalendar(process.env[SKIP_START_ON_HOLIDAYS_ENV_VAR]);
    const holiday = action === "start" && calendar ? holidayOn(calendar, (deps.now ?? (() => new Date()))()) : undefined;
    if (holiday) {
      const skipped = `public holiday ${holiday}`;
      logger.info({ event: "schedule.skipped", action, reason: skipped });
      return { action, results: [], skipped };
    }
    targets ??= deps.targets ? deps.targets() : parseTargets(process.env[TARGETS_ENV_VAR]);
    clients ??= deps.clients
      ? deps.clients()
      : { ecs: new ECSClient({}), autoScaling: new ApplicationAutoScalingClient({}), rds: new RDSClient({}) };
    return runSchedule(action, targets, clients, logger);
  };
}

export const handler = createHandler();
