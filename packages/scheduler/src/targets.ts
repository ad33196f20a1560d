/**
 * What the scheduler function manages, as the construct writes it into the function's
 * environment and the handler reads it back. Shared by both sides so they cannot drift.
 * No AWS SDK or cdktf import here: the handler bundle and synth both load this file.
 */

/** Environment variable holding the JSON of {@link SchedulerTargets}. */
export const TARGETS_ENV_VAR = "SCHEDULER_TARGETS";

/**
 * Environment variable naming the holiday calendar on whose days `start` does nothing
 * (`JP`: Japanese public holidays, read in Asia/Tokyo); unset, `start` runs every scheduled day.
 */
export const SKIP_START_ON_HOLIDAYS_ENV_VAR = "SKIP_START_ON_HOLIDAYS";

/** Holiday calendars the handler knows. */
export type HolidayCalendar = "JP";

export interface AutoScalingTarget {
  /** `service/<cluster>/<service>`, the Application Auto Scaling resource id. */
  readonly resourceId: string;
  /** Minimum capacity `start` restores; `stop` sets 0. */
  readonly minCapacity: number;
  /** Maximum capacity `start` restores; `stop` sets 0. */
  readonly maxCapacity: number;
}

export interface ServiceTarget {
  readonly cluster: string;
  readonly service: string;
  /** Desired count `start` restores; `stop` sets 0. */
  readonly desiredCount: number;
  /** Present when an Application Auto Scaling target owns the desired count. */
  readonly autoScaling?: AutoScalingTarget;
}

export interface DatabaseTarget {
  /** RDS DB instance identifier. */
  readonly identifier: string;
}

export interface SchedulerTargets {
  /** ECS services by the key the user gave them; the key appears in every log line. */
  readonly services: Readonly<Record<string, ServiceTarget>>;
  readonly database?: DatabaseTarget;
}

/**
 * Parses and checks the environment JSON. The construct always writes a valid value, so a
 * failure here means someone edited the function's configuration by hand.
 */
export function parseTargets(text: string | undefined): SchedulerTargets {
  const where = `environment variable ${TARGETS_ENV_VAR}`;
  if (!text) throw new Error(`${where} is not set; deploy the function through the ServiceScheduler construct.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: ${text.slice(0, 200)}`);
  }
  const problems: string[] = [];
  if (!isObject(value) || !isObject(value.services)) {
    throw new Error(`${where} must be {"services":{...},"database"?:{...}}, got ${text.slice(0, 200)}`);
  }
  for (const [key, svc] of Object.entries(value.services)) {
    if (!isObject(svc)) {
      problems.push(`services.${key} is not an object`);
      continue;
    }
    if (!isNonEmptyString(svc.cluster)) problems.push(`services.${key}.cluster must be a non-empty string`);
    if (!isNonEmptyString(svc.service)) problems.push(`services.${key}.service must be a non-empty string`);
    if (!isCount(svc.desiredCount)) problems.push(`services.${key}.desiredCount must be a whole number >= 0`);
    if (svc.autoScaling !== undefined) {
      const a = svc.autoScaling;
      if (!isObject(a) || !isNonEmptyString(a.resourceId) || !isCount(a.minCapacity) || !isCount(a.maxCapacity)) {
        problems.push(`services.${key}.autoScaling must be {resourceId, minCapacity, maxCapacity}`);
      }
    }
  }
  if (value.database !== undefined && (!isObject(value.database) || !isNonEmptyString(value.database.identifier))) {
    problems.push("database must be {identifier}");
  }
  if (problems.length > 0) throw new Error(`${where} is invalid: ${problems.join("; ")}`);
  return value as unknown as SchedulerTargets;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
