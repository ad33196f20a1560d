/**
 * What the scheduler function manages and the payload its schedules send, shared by the
 * construct (which writes them) and the handler (which parses them): one schema each, so the
 * two sides cannot drift. No AWS SDK or cdktf import here: the handler bundle and synth both
 * load this file.
 */
import { EventShapeError, defineEvent, defineJsonEnvironment, problemsOf } from "@platform/lambda/runtime";
import { z } from "zod";

const count = z.number().int().min(0, "must be a whole number >= 0");

const autoScalingTarget = z
  .object({
    /** `service/<cluster>/<service>`, the Application Auto Scaling resource id. */
    resourceId: z.string().min(1),
    /** Minimum capacity `start` restores; `stop` sets 0. */
    minCapacity: count,
    /** Maximum capacity `start` restores; `stop` sets 0. */
    maxCapacity: count,
  })
  .strict();

const serviceTarget = z
  .object({
    cluster: z.string().min(1, "must be a non-empty string"),
    service: z.string({ required_error: "must be a non-empty string" }).min(1, "must be a non-empty string"),
    /** Desired count `start` restores; `stop` sets 0. */
    desiredCount: count,
    /** Present when an Application Auto Scaling target owns the desired count. */
    autoScaling: autoScalingTarget.optional(),
  })
  .strict();

const databaseTarget = z.object({ /** RDS DB instance identifier. */ identifier: z.string().min(1) }).strict();

const schedulerTargetsSchema = z
  .object({
    /** ECS services by the key the user gave them; the key appears in every log line. */
    services: z.record(serviceTarget),
    database: databaseTarget.optional(),
  })
  .strict();

export type AutoScalingTarget = z.infer<typeof autoScalingTarget>;
export type ServiceTarget = z.infer<typeof serviceTarget>;
export type DatabaseTarget = z.infer<typeof databaseTarget>;
export type SchedulerTargets = z.infer<typeof schedulerTargetsSchema>;

/** The `SCHEDULER_TARGETS` environment variable holding the JSON of {@link SchedulerTargets}. */
export const schedulerTargetsEnvironment = defineJsonEnvironment("SCHEDULER_TARGETS", schedulerTargetsSchema, "ServiceScheduler");

/** Environment variable holding the JSON of {@link SchedulerTargets}. */
export const TARGETS_ENV_VAR = schedulerTargetsEnvironment.variable;

/**
 * Environment variable naming the holiday calendar on whose days `start` does nothing
 * (`JP`: Japanese public holidays, read in Asia/Tokyo); unset, `start` runs every scheduled day.
 */
export const SKIP_START_ON_HOLIDAYS_ENV_VAR = "SKIP_START_ON_HOLIDAYS";

/** Holiday calendars the handler knows. */
export type HolidayCalendar = "JP";

/** Parses and checks the environment JSON; a failure means someone edited the function's configuration by hand. */
export function parseTargets(text: string | undefined): SchedulerTargets {
  return schedulerTargetsEnvironment.parse(text);
}

export type ScheduleAction = "stop" | "start";

export const ACTIONS: readonly ScheduleAction[] = ["stop", "start"];

/** The payload each schedule sends: exactly `{"action":"stop"}` or `{"action":"start"}`. */
export const schedulerAction = defineEvent(
  "payload",
  z.object({ action: z.enum(["stop", "start"], { errorMap: () => ({ message: 'must be "stop" or "start"' }) }) }).strict(),
  'expected {"action":"stop"} or {"action":"start"}',
);

/** The schedule input for `action`, checked against the schema the handler parses with. */
export function schedulerActionInput(action: ScheduleAction): string {
  return JSON.stringify(schedulerAction.parse({ action }));
}

/** Thrown for an event that is not `{"action":"stop"}` or `{"action":"start"}`. */
export class PayloadError extends EventShapeError {
  override readonly name = "PayloadError";
}

/** Accepts exactly `{"action":"stop"}` or `{"action":"start"}`; anything else is a {@link PayloadError} naming each problem. */
export function parseAction(event: unknown): ScheduleAction {
  const result = schedulerAction.schema.safeParse(event);
  if (!result.success) throw new PayloadError(schedulerAction.name, problemsOf(result.error), event, schedulerAction.hint);
  return result.data.action;
}
