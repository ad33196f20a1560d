import type { Validator } from "@platform/core";

/**
 * When an alarm fires: `datapointsToAlarm` of the last `evaluationPeriods` periods of
 * `periodSeconds` each must breach ("M of N"). Every alarm has its own defaults.
 */
export interface AlarmWindow {
  /**
   * Length of one datapoint. A multiple of 60: ECS, ALB and RDS publish one datapoint a
   * minute, so 10/20/30 s (high-resolution) periods would only ever see missing data.
   * @default per alarm, e.g. 300 for CPU
   */
  readonly periodSeconds?: number;
  /**
   * Number of most recent periods evaluated (the N of "M of N").
   * @default per alarm, e.g. 2 for CPU
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods out of `evaluationPeriods` that fire the alarm (the M of "M of N").
   * @default evaluationPeriods (every evaluated period must breach)
   */
  readonly datapointsToAlarm?: number;
}

/** An alarm on a percentage metric (CPU, memory, share of a limit). */
export interface PercentAlarmOptions extends AlarmWindow {
  /**
   * Percentage the metric is compared with; between 0 and 100 (exclusive).
   * @default per alarm, e.g. 80
   */
  readonly thresholdPercent?: number;
}

/** An alarm on a count metric (errors, hosts, tasks). */
export interface CountAlarmOptions extends AlarmWindow {
  /**
   * Count the metric is compared with; zero or more.
   * @default per alarm
   */
  readonly threshold?: number;
}

/** Statistics offered for latency alarms: a percentile ignores a few slow outliers. */
export type LatencyStatistic = "p90" | "p95" | "p99" | "Average";

/** An alarm on request latency. */
export interface LatencyAlarmOptions extends AlarmWindow {
  /**
   * Latency in seconds above which the alarm fires; greater than 0.
   * @default 1
   */
  readonly thresholdSeconds?: number;
  /**
   * Statistic of the latency compared with the threshold.
   * @default "p95"
   */
  readonly statistic?: LatencyStatistic;
}

/** An alarm that fires when free memory drops below a floor. */
export interface MemoryFloorAlarmOptions extends AlarmWindow {
  /**
   * Free memory in MiB below which the alarm fires; greater than 0.
   * @default 256
   */
  readonly thresholdMiB?: number;
}

/** An alarm that fires when free storage drops below a floor. */
export interface StorageFloorAlarmOptions extends AlarmWindow {
  /**
   * Free storage in GiB below which the alarm fires; greater than 0.
   * @default 10
   */
  readonly thresholdGiB?: number;
}

/** A window with every field decided. */
export interface ResolvedWindow {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** The limits PutMetricAlarm enforces on period × evaluation periods. */
const ONE_DAY_SECONDS = 86_400;
const SEVEN_DAYS_SECONDS = 604_800;

/**
 * Validates a window (recording issues under `field`) and fills in defaults. Returns the
 * defaults when the given values are invalid, so callers can go on collecting issues.
 */
export function resolveWindow(
  v: Validator,
  field: string,
  options: AlarmWindow,
  defaults: { periodSeconds: number; evaluationPeriods: number; datapointsToAlarm?: number },
): ResolvedWindow {
  const periodSeconds = options.periodSeconds ?? defaults.periodSeconds;
  const evaluationPeriods = options.evaluationPeriods ?? defaults.evaluationPeriods;
  const datapointsToAlarm = options.datapointsToAlarm ?? defaults.datapointsToAlarm ?? evaluationPeriods;

  const periodOk = v.check(
    Number.isInteger(periodSeconds) && periodSeconds >= 60 && periodSeconds % 60 === 0,
    `${field}.periodSeconds`,
    periodSeconds,
    "must be a multiple of 60 (e.g. 60 or 300): ECS, ALB and RDS metrics have one datapoint a minute, " +
      "so 10/20/30 s high-resolution periods only work for custom metrics published with 1 s resolution.",
  );
  const evaluationOk = v.check(
    Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1,
    `${field}.evaluationPeriods`,
    evaluationPeriods,
    "must be a whole number of at least 1.",
  );
  if (evaluationOk) {
    v.check(
      Number.isInteger(datapointsToAlarm) && datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods,
      `${field}.datapointsToAlarm`,
      datapointsToAlarm,
      `must be a whole number from 1 to evaluationPeriods (${evaluationPeriods}); raise evaluationPeriods or lower datapointsToAlarm.`,
    );
  }
  if (periodOk && evaluationOk) {
    const limit = periodSeconds < 3600 ? ONE_DAY_SECONDS : SEVEN_DAYS_SECONDS;
    v.check(
      periodSeconds * evaluationPeriods <= limit,
      `${field}.evaluationPeriods`,
      evaluationPeriods,
      `times periodSeconds (${periodSeconds}) must not exceed ${limit} s (CloudWatch evaluates at most ` +
        `${limit === ONE_DAY_SECONDS ? "one day for periods under an hour" : "seven days"}); use fewer or shorter periods.`,
    );
  }
  return periodOk && evaluationOk && datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods
    ? { periodSeconds, evaluationPeriods, datapointsToAlarm }
    : { periodSeconds: defaults.periodSeconds, evaluationPeriods: defaults.evaluationPeriods, datapointsToAlarm: defaults.evaluationPeriods };
}

/** Checks a percentage threshold: strictly between 0 and 100, or the alarm is always or never in ALARM. */
export function checkPercent(v: Validator, field: string, value: number): boolean {
  return v.check(
    Number.isFinite(value) && value > 0 && value < 100,
    field,
    value,
    "must be a percentage greater than 0 and less than 100 (e.g. 80).",
  );
}

/** Checks a count threshold: zero or more. */
export function checkCount(v: Validator, field: string, value: number): boolean {
  return v.check(Number.isFinite(value) && value >= 0, field, value, "must be a count of 0 or more.");
}

/** Checks a positive amount (seconds, MiB, GiB). */
export function checkPositive(v: Validator, field: string, value: number, example: string): boolean {
  return v.check(Number.isFinite(value) && value > 0, field, value, `must be greater than 0 (e.g. ${example}).`);
}

/** `options` when an alarm is on (absent means on with defaults), `undefined` when turned off with `false`. */
export function enabled<T extends object>(options: T | false | undefined): T | undefined {
  if (options === false) return undefined;
  return options ?? ({} as T);
}
