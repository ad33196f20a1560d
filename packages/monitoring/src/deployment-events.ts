import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Validator, arn, awsContext, isKnown, type AwsContext } from "@platform/core";
import { Construct } from "constructs";
import { RUNBOOK_ANCHORS, runbookLink } from "./runbook";

/** The EventBridge service principal, which delivers matched events to the topic. */
export const EVENTS_SERVICE_PRINCIPAL = "events.amazonaws.com";

/** The reason ECS gives a rollback deployment (ECS docs, "service deployment state change events"). */
export const ROLLBACK_REASON_PREFIX = "ECS deployment circuit breaker: rolling back";

export interface DeploymentEventsProps {
  /** Prefix of the rule names, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** The ECS cluster whose services are watched (only its services' events match). */
  readonly clusterName: string;
  /** 12-digit account ID of the cluster. */
  readonly accountId: string;
  /** The SNS topic the events go to; its policy must admit {@link DeploymentEvents.ruleArns}. */
  readonly topicArn: string;
  /** Runbook page linked from the rules' descriptions. @default no link */
  readonly runbookUrl?: string;
}

/** Names of the two rules of a prefix, known before they exist (for the topic policy). */
export function deploymentRuleNames(namePrefix: string): { readonly failed: string; readonly rollback: string } {
  return { failed: `${namePrefix}-ecs-deployment-failed`, rollback: `${namePrefix}-ecs-deployment-rollback` };
}

/** ARNs of those rules on the default event bus. */
export function deploymentRuleArns(context: AwsContext, namePrefix: string, accountId: string): string[] {
  return Object.values(deploymentRuleNames(namePrefix)).map((name) => arn(context, { service: "events", account: accountId, resource: `rule/${name}` }));
}

/**
 * Deployment failures and circuit-breaker rollbacks of one cluster's services, to the alarm topic.
 * No metric shows them: with `wait_for_steady_state` off the apply succeeds, ECS rolls back to
 * the previous task definition, and the service looks healthy while running old code.
 *
 * - failed: `SERVICE_DEPLOYMENT_FAILED` (sent by the deployment circuit breaker);
 * - rollback: `SERVICE_DEPLOYMENT_IN_PROGRESS` whose reason says the circuit breaker is rolling back.
 *
 * Both match only services of `clusterName` in this account and region (`resources` prefix).
 */
export class DeploymentEvents extends Construct {
  readonly failedRule: CloudwatchEventRule;
  readonly rollbackRule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: DeploymentEventsProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    if (isKnown(props.clusterName)) {
      v.check(/^[A-Za-z0-9_-]{1,255}$/.test(props.clusterName), "clusterName", props.clusterName, "must be the ECS cluster name (letters, digits, hyphens, underscores).");
    }
    const names = deploymentRuleNames(props.namePrefix);
    for (const [key, name] of Object.entries(names)) {
      v.check(name.length <= 64, "namePrefix", props.namePrefix, `makes the rule name "${name}" (${key}) longer than 64 characters; shorten the prefix.`);
    }
    v.throwIfAny();

    const servicesOfCluster = arn(awsContext(this), { service: "ecs", account: props.accountId, resource: `service/${props.clusterName}/` });
    const base = { source: ["aws.ecs"], "detail-type": ["ECS Deployment State Change"], resources: [{ prefix: servicesOfCluster }] };
    const rule = (ruleId: string, name: string, what: string, anchor: string | undefined, detail: Record<string, unknown>) => {
      const created = new CloudwatchEventRule(this, ruleId, {
        name,
        description: `${what} of a service in ${props.clusterName}${anchor ? `. Runbook: ${anchor}` : ""}`.slice(0, 512),
        eventPattern: JSON.stringify({ ...base, detail }),
      });
      new CloudwatchEventTarget(this, `${ruleId}-to-topic`, { rule: created.name, targetId: "alarm-topic", arn: props.topicArn });
      return created;
    };
    this.failedRule = rule(
      "failed",
      names.failed,
      "ECS deployment failed (circuit breaker)",
      runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.deploymentFailed),
      { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
    );
    this.rollbackRule = rule(
      "rollback",
      names.rollback,
      "ECS circuit breaker rolled back a deployment",
      runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.deploymentRollback),
      { eventName: ["SERVICE_DEPLOYMENT_IN_PROGRESS"], reason: [{ prefix: ROLLBACK_REASON_PREFIX }] },
    );
  }

  /** ARNs of both rules (for the topic policy's `aws:SourceArn`). */
  static ruleArns(scope: Construct, namePrefix: string, accountId: string): string[] {
    return deploymentRuleArns(awsContext(scope), namePrefix, accountId);
  }
}
