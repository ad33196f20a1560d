import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { NAME_LIMITS, Validator, isKnown } from "@platform/core";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import type { EventPattern } from "./events/define";
import type { InvokableFunction } from "./function-ref";

export interface EventRuleTriggerProps {
  /** The function the rule invokes. */
  readonly function: InvokableFunction;
  /** Rule name, unique in the account and region's default event bus. At most 64 characters. */
  readonly ruleName: string;
  /** What the rule is for, shown in the console. At most 512 characters. */
  readonly description: string;
  /**
   * Events that invoke the function, from an event definition's `pattern()` (e.g.
   * `parameterStoreChange.pattern({ name: [parameterName] })`). The function receives the event.
   * Give exactly one of `eventPattern` and `schedule`.
   */
  readonly eventPattern?: EventPattern;
  /**
   * An EventBridge rule schedule, `rate(1 hour)` or `cron(0 * * * ? *)` (UTC); the function
   * receives a `scheduledEvent`. For local time zones or a payload, use `ScheduleTrigger`.
   */
  readonly schedule?: string;
}

/** `rate(...)` or `cron(...)` as EventBridge rules accept them. */
export function isEventRuleSchedule(expression: string): boolean {
  return /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/.test(expression);
}

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * An EventBridge rule on the default bus that invokes a Lambda function, with the resource-based
 * permission that lets EventBridge do it for this rule only (`source_arn` is the rule's ARN, so
 * no other rule or account can invoke the function through it).
 */
export class EventRuleTrigger extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly permission: LambdaPermission;
  readonly ruleName: string;
  readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: EventRuleTriggerProps) {
    super(scope, id);
    validate(this.node.path, props);
    this.ruleName = props.ruleName;
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.ruleName,
      description: props.description,
      ...(props.eventPattern ? { eventPattern: serializePattern(props.eventPattern) } : { scheduleExpression: props.schedule }),
    });
    this.ruleArn = this.rule.arn;
    this.target = new CloudwatchEventTarget(this, "target", { rule: this.rule.name, arn: props.function.arn });
    this.permission = new LambdaPermission(this, "permission", {
      action: "lambda:InvokeFunction",
      functionName: props.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: this.rule.arn,
    });
  }
}

/**
 * A literal JSON string when every value is known at synth; `jsonencode(...)` when the pattern
 * holds a Terraform reference (e.g. a secret ARN), so Terraform renders it with the real value.
 */
export function serializePattern(pattern: EventPattern): string {
  const json = JSON.stringify(pattern);
  return Token.isUnresolved(json) ? Fn.jsonencode(pattern) : json;
}

function validate(path: string, props: EventRuleTriggerProps): void {
  const v = new Validator(path);
  if (v.check(
    (props.eventPattern === undefined) !== (props.schedule === undefined),
    "eventPattern",
    props.eventPattern === undefined ? "neither" : "both",
    "give exactly one of eventPattern (events) and schedule (rate/cron).",
  ) && props.schedule !== undefined && isKnown(props.schedule)) {
    v.check(
      isEventRuleSchedule(props.schedule),
      "schedule",
      props.schedule,
      'must be an EventBridge schedule such as "rate(1 hour)" or "cron(0 * * * ? *)".',
    );
  }
  if (isKnown(props.ruleName)) {
    v.check(
      RULE_NAME.test(props.ruleName) && props.ruleName.length <= NAME_LIMITS.schedulerName,
      "ruleName",
      props.ruleName,
      "must be 1-64 letters, digits, dots, hyphens or underscores.",
    );
  }
  if (isKnown(props.description)) {
    v.check(props.description.length <= 512, "description", `${props.description.length} characters`, "must be at most 512 characters.");
  }
  v.throwIfAny();
}
