import { fileURLToPath } from "node:url";
import type { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import type { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import type { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import {
  CONSTRUCT_KEY_PATTERN,
  NAME_LIMITS,
  Validator,
  boundedName,
  checkEcsServiceReferences,
  checkLogRetention,
  checkNamePrefix,
  checkSsmParameterName,
  isKnown,
  movedFrom,
} from "@platform/core";
import {
  BundledFunction,
  EventRuleTrigger,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  VALUE_CHANGING_OPERATIONS,
  lambdaEnvironmentBytes,
  parameterStoreChange,
} from "@platform/lambda";
import { Construct } from "constructs";
import { REDEPLOY_CONFIG_ENV_VAR, redeployConfigEnvironment, type RedeployConfig } from "./handlers/redeploy-config";

export { REDEPLOY_CONFIG_ENV_VAR, type RedeployConfig } from "./handlers/redeploy-config";

/** The handler module esbuild bundles into the function. */
export const REDEPLOY_HANDLER_ENTRY = fileURLToPath(new URL("./handlers/redeploy-services.ts", import.meta.url));

/** One ECS service restarted when the parameter changes (fields of `FargateServiceRef`). */
export interface RedeployServiceProps {
  /** Name of the ECS cluster the service runs in. */
  readonly clusterName: string;
  /** Name of the ECS service. */
  readonly serviceName: string;
  /**
   * Service ARN (`aws_ecs_service.id`), long format
   * `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`; the only service the
   * function may describe and update.
   */
  readonly serviceArn: string;
}

export interface RedeployOnParameterChangeProps {
  /** Prefix of the function and rule names, e.g. `acme-staging`. Lower-case letters, digits and hyphens. */
  readonly namePrefix: string;
  /**
   * SSM parameter whose writes restart the services, e.g. `/acme/staging/DATABASE_URL`
   * (`DatabaseUrlPublisher.parameterName`). Tasks read it only at start.
   */
  readonly parameterName: string;
  /** Services whose tasks read the parameter, keyed by a short stable name that appears in the logs (`web`, `api`). */
  readonly services: Readonly<Record<string, RedeployServiceProps>>;
  /**
   * Retention of the function's log group.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Account of the function: its role trusts Lambda only on behalf of this account (`aws:SourceAccount`).
   * @default no condition
   */
  readonly accountId?: string;
}

/** What other stacks (monitoring, runbooks) need. */
export interface RedeployOnParameterChangeRef {
  readonly functionName: string;
  readonly functionArn: string;
  readonly ruleArn: string;
}


/**
 * Restarts ECS services when an SSM parameter they read at start is written, e.g. the
 * `DATABASE_URL` that `DatabaseUrlPublisher` rewrites after each rotation of the RDS-managed
 * master password: the second half of the DATABASE_URL rotation this package owns. Place it
 * in the stack of the services (it needs their ARNs; the database stack deploys first). Without it, running tasks keep the old password and new database
 * connections fail until the tasks are replaced.
 *
 * An EventBridge rule on SSM's "Parameter Store Change" event (Create/Update of exactly this
 * parameter) invokes a small Lambda that forces a new deployment of every configured service
 * that is running: a rolling replacement (new tasks start before old ones stop with the
 * default 100/200 deployment percents), so the service stays available. Services stopped to
 * zero (e.g. by the ServiceScheduler at night) are skipped; they read the new value when they
 * start. The function may describe and update only the given services.
 */
export class RedeployOnParameterChange extends Construct {
  readonly function: BundledFunction;
  /** The rule on SSM's "Parameter Store Change" of the parameter → function, with its invoke permission. */
  readonly trigger: EventRuleTrigger;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly permission: LambdaPermission;
  readonly functionName: string;
  /** The JSON the function reads from its environment. */
  readonly config: RedeployConfig;
  readonly ref: RedeployOnParameterChangeRef;

  constructor(scope: Construct, id: string, props: RedeployOnParameterChangeProps) {
    super(scope, id);
    const logRetentionDays = props.logRetentionDays ?? 30;
    this.config = {
      parameterName: props.parameterName,
      services: Object.fromEntries(
        Object.entries(props.services).map(([key, s]) => [key, { cluster: s.clusterName, service: s.serviceName }]),
      ),
    };
    const configJson = redeployConfigEnvironment.serialize(this.config);
    validate(this.node.path, props, logRetentionDays, configJson);

    this.functionName = boundedName([props.namePrefix, "redeploy-on-parameter-change"], NAME_LIMITS.lambdaFunctionName);
    const services = Object.entries(props.services);
    const keys = services.map(([key]) => key).join(", ");
    const parameter = isKnown(props.parameterName) ? props.parameterName : "its parameter";

    this.function = new BundledFunction(this, "function", {
      functionName: this.functionName,
      entry: REDEPLOY_HANDLER_ENTRY,
      // Literal text only: slicing a token would corrupt it.
      description: `Redeploys ${keys} when ${parameter} changes`.slice(0, 256),
      statements: [
        {
          sid: "RedeployServices",
          actions: ["ecs:DescribeServices", "ecs:UpdateService"],
          resources: services.map(([, s]) => s.serviceArn),
        },
      ],
      logRetentionDays,
      accountId: props.accountId,
      environment: { [REDEPLOY_CONFIG_ENV_VAR]: configJson },
      timeoutSeconds: 60,
      memoryMiB: 256,
    });

    this.trigger = new EventRuleTrigger(this, "trigger", {
      function: this.function.function,
      ruleName: boundedName([props.namePrefix, "redeploy-on-parameter-change"], NAME_LIMITS.schedulerName),
      description: `${parameter} written: redeploy ${keys}`.slice(0, 512),
      eventPattern: parameterStoreChange.pattern({ name: [props.parameterName], operation: [...VALUE_CHANGING_OPERATIONS] }),
    });
    // These were direct children before the trigger construct existed.
    movedFrom(this.trigger.rule, this, "rule");
    movedFrom(this.trigger.target, this, "target");
    movedFrom(this.trigger.permission, this, "permission");
    this.rule = this.trigger.rule;
    this.target = this.trigger.target;
    this.permission = this.trigger.permission;

    this.ref = {
      functionName: this.functionName,
      functionArn: this.function.function.arn,
      ruleArn: this.rule.arn,
    };
  }
}


function validate(
  path: string,
  props: RedeployOnParameterChangeProps,
  logRetentionDays: number,
  configJson: string,
): void {
  const v = new Validator(path);
  checkNamePrefix(v, props.namePrefix);
  checkSsmParameterName(v, "parameterName", props.parameterName);
  const entries = Object.entries(props.services);
  v.check(entries.length > 0, "services", props.services, "is empty; give at least one ECS service that reads the parameter.");
  for (const [key] of entries) {
    v.check(CONSTRUCT_KEY_PATTERN.test(key), `services.${key}`, key, "key must match [a-z][a-z0-9-]{0,30}, e.g. web.");
  }
  checkEcsServiceReferences(v, "services", props.services);
  checkLogRetention(v, "logRetentionDays", logRetentionDays);
  if (v.ok && isKnown(configJson)) {
    const bytes = lambdaEnvironmentBytes(REDEPLOY_CONFIG_ENV_VAR, configJson);
    v.check(
      bytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES,
      "services",
      `${entries.length} services`,
      `need ${bytes} bytes of Lambda environment, over the 4 KB limit; split them across two RedeployOnParameterChange constructs.`,
    );
  }
  v.throwIfAny();
}
