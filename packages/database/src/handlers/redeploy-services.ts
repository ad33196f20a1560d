/**
 * Lambda handler of `RedeployOnParameterChange`: on an SSM "Parameter Store Change" event of
 * the configured parameter, forces a new deployment of every configured ECS service that is
 * running, so its tasks restart and read the new value. Bundled by esbuild at synth time; not
 * exported from the package index so synth never loads the AWS SDK.
 */
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { REDEPLOY_CONFIG_ENV_VAR, parseRedeployConfig, type RedeployConfig, type RedeployTarget } from "./redeploy-config";
import {
  VALUE_CHANGING_OPERATIONS,
  awsStep,
  consoleLogger,
  errorInfo,
  namedError,
  parameterStoreChange,
  type JsonLogger,
  type LogRecord,
} from "@platform/lambda/runtime";

/** The AWS client the handler uses; tests pass a mocked one. */
export interface RedeployClients {
  readonly ecs: Pick<ECSClient, "send">;
}

export type { LogRecord };
export type RedeployLogger = JsonLogger;

export type ServiceOutcome =
  /** `UpdateService` with `forceNewDeployment` was accepted. */
  | "redeployed"
  /** desiredCount is 0 (e.g. stopped for the night): tasks started later read the new value anyway. */
  | "skipped-stopped"
  /** The newest deployment started after the change, so its tasks already read the new value. */
  | "skipped-current"
  | "failed";

export interface ServiceResult {
  /** Key from the `services` record. */
  readonly key: string;
  readonly cluster: string;
  readonly service: string;
  readonly outcome: ServiceOutcome;
  readonly desiredCount?: number;
  /** ID of the deployment the forced update started. */
  readonly deploymentId?: string;
  readonly error?: { readonly name: string; readonly message: string };
}

export type RedeploySummary =
  | { readonly outcome: "ignored"; readonly reason: string }
  | {
      readonly outcome: "done";
      readonly parameterName: string;
      readonly operation: string;
      readonly results: readonly ServiceResult[];
    };

/** Thrown after every service was tried when at least one failed; names each failed service. */
export class RedeployError extends Error {
  override readonly name = "RedeployError";
  constructor(
    message: string,
    readonly results: readonly ServiceResult[],
  ) {
    super(message);
  }
}

/**
 * A deployment created this long after the event's `time` (which has one-second precision)
 * certainly started after the write, so its tasks read the new value.
 */
const EVENT_TIME_PRECISION_MS = 1000;

interface ParameterChange {
  readonly operation: string;
  /** When SSM wrote the value; absent when the event carries no parseable time. */
  readonly changedAtMs?: number;
}

/**
 * Parses the event with the `parameterStoreChange` definition the construct's rule pattern is
 * built from: anything that is not an SSM "Parameter Store Change" event throws an
 * `EventShapeError` naming each problem. A well-formed change of another parameter, or one that
 * writes no value (`Delete`, labels), is ignored: the rule already filters on both, and the check
 * keeps a hand-made test event or a widened rule from restarting every service.
 */
export function parameterChange(event: unknown, parameterName: string): ParameterChange | { ignored: string } {
  const change = parameterStoreChange.parse(event);
  if (change.detail.name !== parameterName) {
    return { ignored: `event is for parameter ${change.detail.name}, not ${parameterName}` };
  }
  const operation = change.detail.operation;
  if (!(VALUE_CHANGING_OPERATIONS as readonly string[]).includes(operation)) {
    return { ignored: `operation ${operation} does not write a new value` };
  }
  const time = change.time === undefined ? Number.NaN : Date.parse(change.time);
  return Number.isNaN(time) ? { operation } : { operation, changedAtMs: time };
}

/**
 * Redeploys every configured service concurrently; a malformed event is rejected first (logged
 * as `redeploy.rejected`, no AWS call). Each service is described first: a stopped service
 * (desiredCount 0) is skipped, as is one whose newest deployment began after the change (a
 * Lambda retry or a CI deploy got there first). A failing service is logged and the others
 * still run; the returned summary or the thrown {@link RedeployError} lists every outcome.
 */
export async function redeployServices(
  config: RedeployConfig,
  event: unknown,
  clients: RedeployClients,
  logger: RedeployLogger,
): Promise<RedeploySummary> {
  let change: ParameterChange | { ignored: string };
  try {
    change = parameterChange(event, config.parameterName);
  } catch (e) {
    logger.error({ event: "redeploy.rejected", parameterName: config.parameterName, error: errorInfo(e) });
    throw e;
  }
  if ("ignored" in change) {
    logger.info({ event: "redeploy.ignored", parameterName: config.parameterName, reason: change.ignored });
    return { outcome: "ignored", reason: change.ignored };
  }

  const results = await Promise.all(
    Object.entries(config.services).map(([key, target]) => attempt(key, target, change, clients, logger)),
  );
  const failed = results.filter((r) => r.outcome === "failed");
  const counts = {
    redeployed: results.filter((r) => r.outcome === "redeployed").length,
    skipped: results.filter((r) => r.outcome.startsWith("skipped")).length,
    failed: failed.length,
  };
  const base = { event: "redeploy.summary", parameterName: config.parameterName, operation: change.operation, ...counts };
  if (failed.length > 0) {
    logger.error({ ...base, failedServices: failed.map((r) => r.key) });
    const details = failed
      .map((r) => `${r.key} (${r.cluster}/${r.service}): ${r.error!.name}: ${r.error!.message}`)
      .join("; ");
    throw new RedeployError(
      `Redeploy after ${config.parameterName} changed failed for ${failed.length} of ${results.length} service(s): ${details}. ` +
        `The other services were handled; force a new deployment of the failed ones, or their tasks keep the old value.`,
      results,
    );
  }
  logger.info(base);
  return { outcome: "done", parameterName: config.parameterName, operation: change.operation, results };
}

async function attempt(
  key: string,
  target: RedeployTarget,
  change: ParameterChange,
  clients: RedeployClients,
  logger: RedeployLogger,
): Promise<ServiceResult> {
  const base = { key, cluster: target.cluster, service: target.service };
  let result: ServiceResult;
  try {
    result = { ...base, ...(await redeployOne(target, change, clients)) };
  } catch (e) {
    result = { ...base, outcome: "failed", error: errorInfo(e) };
  }
  const record = { event: "redeploy.service", ...result };
  if (result.outcome === "failed") logger.error(record);
  else logger.info(record);
  return result;
}

async function redeployOne(
  target: RedeployTarget,
  change: ParameterChange,
  clients: RedeployClients,
): Promise<Pick<ServiceResult, "outcome" | "desiredCount" | "deploymentId">> {
  const described = await awsStep("DescribeServices", () =>
    clients.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] })),
  );
  const found = described.services?.find((s) => s.serviceName === target.service || s.serviceArn === target.service);
  if (!found || found.status !== "ACTIVE" || found.desiredCount === undefined) {
    const reason = described.failures?.[0]?.reason ?? (found ? `status ${found.status}` : "not returned");
    throw namedError("ServiceNotFound", `ECS service ${target.cluster}/${target.service} is not active (${reason})`);
  }
  const desiredCount = found.desiredCount;
  if (desiredCount === 0) return { outcome: "skipped-stopped", desiredCount };

  const primary = found.deployments?.find((d) => d.status === "PRIMARY");
  const startedAt = primary?.createdAt?.getTime();
  if (change.changedAtMs !== undefined && startedAt !== undefined && startedAt > change.changedAtMs + EVENT_TIME_PRECISION_MS) {
    return { outcome: "skipped-current", desiredCount, deploymentId: primary?.id };
  }

  // Only forceNewDeployment: the task definition, desired count and every other setting stay
  // as Terraform (and the scaler) left them. With minimumHealthyPercent 100 / maximumPercent
  // 200, ECS starts the new tasks before it stops the old ones.
  const updated = await awsStep("UpdateService", () =>
    clients.ecs.send(new UpdateServiceCommand({ cluster: target.cluster, service: target.service, forceNewDeployment: true })),
  );
  const deploymentId = updated.service?.deployments?.find((d) => d.status === "PRIMARY")?.id;
  return { outcome: "redeployed", desiredCount, ...(deploymentId ? { deploymentId } : {}) };
}

export interface HandlerDeps {
  /** @default a real ECS client for the function's region, created on first use */
  readonly clients?: () => RedeployClients;
  /** @default parsed from the REDEPLOY_CONFIG environment variable on first use */
  readonly config?: () => RedeployConfig;
  /** @default console.info / console.error with one object, so JSON logs nest it under `message` */
  readonly logger?: RedeployLogger;
}

/** Builds a Lambda handler; the default export uses a real client and the environment. */
export function createHandler(deps: HandlerDeps = {}): (event: unknown) => Promise<RedeploySummary> {
  let clients: RedeployClients | undefined;
  let config: RedeployConfig | undefined;
  const logger = deps.logger ?? consoleLogger;
  return async (event: unknown) => {
    config ??= deps.config ? deps.config() : parseRedeployConfig(process.env[REDEPLOY_CONFIG_ENV_VAR]);
    clients ??= deps.clients ? deps.clients() : { ecs: new ECSClient({}) };
    return redeployServices(config, event, clients, logger);
  };
}

export const handler = createHandler();
