import type { AlarmSink } from "../src/index";

/** A sink made of literal ARNs, so alarm tests do not depend on AlarmTopic. */
export const SINK: AlarmSink = {
  alarmActionArns: ["arn:aws:sns:ap-northeast-1:123456789012:acme-prod-alarms"],
  okActionArns: ["arn:aws:sns:ap-northeast-1:123456789012:acme-prod-alarms"],
};

export const ACCOUNT_ID = "123456789012";
export const LB_SUFFIX = "app/acme-prod-web/0123456789abcdef";
export const TG_WEB_SUFFIX = "targetgroup/acme-prod-web/89abcdef01234567";
export const RUNBOOK_URL = "https://github.com/acme/infrastructure/blob/main/docs/runbooks/alarms.md";
export const TG_API_SUFFIX = "targetgroup/acme-prod-api/fedcba9876543210";

/** The alarms of a synthesized stack keyed by alarm name. */
export function alarmsByName(resources: Record<string, unknown>[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(resources.map((r) => [r.alarm_name as string, r]));
}
