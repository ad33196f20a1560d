import type { Validator } from "./errors";
import { Token } from "cdktf";

/** True when a value is a literal known at synth time (not a Terraform token), so it can be validated. */
export function isKnown(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return !Token.isUnresolved(value);
  if (typeof value === "number") return !Token.isUnresolved(value);
  if (Array.isArray(value)) return !Token.isUnresolved(value);
  return true;
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function isValidLogRetention(days: number): boolean {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** Maps each entry of a keyed record, keeping its key; for `services: { web: {...} }` style props. */
export function mapRecord<T, U>(record: Readonly<Record<string, T>>, fn: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));
}

/** Construct IDs must be literal and stable; keys of keyed records become IDs. */
export const CONSTRUCT_KEY_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

/** Checks a log retention against CloudWatch's list; the message lists the accepted values. */
export function checkLogRetention(v: Validator, field: string, days: number): boolean {
  return v.check(
    isValidLogRetention(days),
    field,
    days,
    `is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_DAYS.slice(0, 15).join(", ")}, ...`,
  );
}
