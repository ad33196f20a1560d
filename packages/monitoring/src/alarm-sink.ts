import { Token } from "cdktf";
import { ConfigError } from "@platform/core";

/**
 * Where alarms send their state changes: the seam between the alarm groups and whatever
 * delivers notifications. `AlarmTopic` (SNS + e-mail) implements it today; a Datadog or
 * Sentry integration implements it later without any alarm group changing. Plain strings
 * only, so a sink made in one stack can be passed to alarms in another.
 */
export interface AlarmSink {
  /** ARNs notified when an alarm enters ALARM (SNS topics, in practice). */
  readonly alarmActionArns: readonly string[];
  /** ARNs notified when an alarm returns to OK, so on-call sees the recovery. */
  readonly okActionArns: readonly string[];
}

/** CloudWatch accepts at most five actions per alarm state. */
export const MAX_ACTIONS_PER_STATE = 5;

/**
 * Merges sinks, e.g. the e-mail topic plus a future Datadog topic, dropping duplicates.
 * Throws when the result exceeds what CloudWatch accepts for one alarm state.
 */
export function combineSinks(...sinks: readonly AlarmSink[]): AlarmSink {
  const alarmActionArns = unique(sinks.flatMap((s) => s.alarmActionArns));
  const okActionArns = unique(sinks.flatMap((s) => s.okActionArns));
  for (const [field, arns] of [
    ["alarmActionArns", alarmActionArns],
    ["okActionArns", okActionArns],
  ] as const) {
    if (arns.length > MAX_ACTIONS_PER_STATE) {
      throw new ConfigError([
        {
          field: `combineSinks.${field}`,
          value: arns.length,
          fix: `CloudWatch allows at most ${MAX_ACTIONS_PER_STATE} actions per alarm state; fan out with SNS subscriptions instead of more sinks.`,
        },
      ]);
    }
  }
  return { alarmActionArns, okActionArns };
}

function unique(arns: readonly string[]): string[] {
  // Tokens are compared by their placeholder text, which is stable for the same attribute.
  return [...new Set(arns.map((arn) => (Token.isUnresolved(arn) ? arn : arn.trim())))];
}
