import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SchedulerScheduleGroup } from "@cdktf/provider-aws/lib/scheduler-schedule-group";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, awsContext, isKnown } from "@platform/core";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { InvokableFunction } from "./function-ref";

/** One schedule of a {@link ScheduleTrigger}. */
export interface ScheduleProps {
  /** Schedule name, unique in its group. At most 64 characters. */
  readonly name: string;
  /** What it does, shown in the console. At most 512 characters. */
  readonly description: string;
  /** EventBridge Scheduler expression: `cron(0 9 ? * MON-FRI *)`, `rate(1 hour)` or `at(2026-12-01T09:00:00)`. */
  readonly expression: string;
  /**
   * The JSON the function receives, from the payload definition the handler parses with
   * (e.g. `schedulerAction.serialize({ action: "stop" })`).
   */
  readonly input: string;
}

export interface ScheduleTriggerProps {
  /** The function the schedules invoke; a literal `functionName` also names it in the role's description. */
  readonly function: InvokableFunction;
  /** Name of the schedule group the schedules live in; the role trusts only this group. */
  readonly groupName: string;
  /** Name of the role EventBridge Scheduler assumes to invoke the function. At most 64 characters. */
  readonly roleName: string;
  /** Schedules keyed by a short stable name (the key becomes the construct ID, e.g. `stop`, `start`). */
  readonly schedules: Readonly<Record<string, ScheduleProps>>;
  /**
   * IANA time zone the expressions are read in (daylight saving needs no edits).
   * @default "UTC"
   */
  readonly timeZone?: string;
  /**
   * `false` keeps the schedules but disables them; the function can still be invoked by hand.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Scheduler retries failed deliveries (throttling, service errors) within this window. */
export const SCHEDULE_DELIVERY_RETRY = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 } as const;

/**
 * EventBridge Scheduler schedules that invoke a Lambda function with a fixed payload, in a
 * schedule group of their own, through a role that may only invoke that function and that only
 * Scheduler acting for this account's group may assume (`aws:SourceAccount` + `aws:SourceArn`,
 * the confused-deputy guard). Schedules fire at the stated minute (no flexible window).
 */
export class ScheduleTrigger extends Construct {
  readonly group: SchedulerScheduleGroup;
  /** Role EventBridge Scheduler assumes; may only invoke the function. */
  readonly role: IamRole;
  /** The role's only permission: invoke the function. */
  readonly policy: IamRolePolicy;
  readonly schedules: Readonly<Record<string, SchedulerSchedule>>;
  readonly groupName: string;

  constructor(scope: Construct, id: string, props: ScheduleTriggerProps) {
    super(scope, id);
    validate(this.node.path, props);
    const fn = props.function;

    this.group = new SchedulerScheduleGroup(this, "group", { name: props.groupName });
    this.groupName = this.group.name;

    const assume = new DataAwsIamPolicyDocument(this, "assume", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [awsContext(this).accountId] },
            { test: "ArnEquals", variable: "aws:SourceArn", values: [this.group.arn] },
          ],
        },
      ],
    });
    const target = Token.isUnresolved(fn.functionName) ? "its function" : fn.functionName;
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `EventBridge Scheduler invoking ${target}`,
      assumeRolePolicy: assume.json,
    });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [{ sid: "InvokeFunction", actions: ["lambda:InvokeFunction"], resources: [fn.arn] }],
    });
    this.policy = new IamRolePolicy(this, "policy", { name: "invoke", role: this.role.id, policy: permissions.json });

    const schedules: Record<string, SchedulerSchedule> = {};
    for (const [key, schedule] of Object.entries(props.schedules)) {
      schedules[key] = new SchedulerSchedule(this, key, {
        name: schedule.name,
        groupName: this.group.name,
        description: schedule.description,
        scheduleExpression: schedule.expression,
        scheduleExpressionTimezone: props.timeZone ?? "UTC",
        state: props.enabled === false ? "DISABLED" : "ENABLED",
        // OFF: run at the stated minute, not somewhere in a window.
        flexibleTimeWindow: { mode: "OFF" },
        target: { arn: fn.arn, roleArn: this.role.arn, input: schedule.input, retryPolicy: SCHEDULE_DELIVERY_RETRY },
      });
    }
    this.schedules = schedules;
  }
}

const SCHEDULER_NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

function validate(path: string, props: ScheduleTriggerProps): void {
  const v = new Validator(path);
  const entries = Object.entries(props.schedules);
  v.check(entries.length > 0, "schedules", props.schedules, "is empty; give at least one schedule.");
  const names = new Map<string, string>();
  for (const [key, s] of entries) {
    const f = `schedules.${key}`;
    v.check(CONSTRUCT_KEY_PATTERN.test(key), f, key, "key must match [a-z][a-z0-9-]{0,30}, e.g. stop.");
    if (isKnown(s.name)) {
      v.check(SCHEDULER_NAME.test(s.name), `${f}.name`, s.name, "must be 1-64 letters, digits, hyphens, underscores or dots.");
      const other = names.get(s.name);
      v.check(other === undefined, `${f}.name`, s.name, `is also the name of schedules.${other}; names are unique in a group.`);
      names.set(s.name, key);
    }
    if (isKnown(s.description)) {
      v.check(s.description.length <= 512, `${f}.description`, `${s.description.length} characters`, "must be at most 512 characters.");
    }
    if (isKnown(s.input)) {
      let json = true;
      try {
        JSON.parse(s.input);
      } catch {
        json = false;
      }
      v.check(json, `${f}.input`, s.input, "must be JSON (serialize it with the payload definition the handler parses).");
    }
  }
  for (const [field, name, limit] of [
    ["groupName", props.groupName, NAME_LIMITS.schedulerName],
    ["roleName", props.roleName, NAME_LIMITS.iamRoleName],
  ] as const) {
    if (isKnown(name)) v.check(name.length >= 1 && name.length <= limit, field, name, `must be 1-${limit} characters.`);
  }
  v.throwIfAny();
}
