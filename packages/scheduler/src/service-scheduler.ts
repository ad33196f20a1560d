import { fileURLToPath } from "node:url";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import type { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import type { SchedulerScheduleGroup } from "@cdktf/provider-aws/lib/scheduler-schedule-group";
import type { TerraformResource } from "cdktf";
import {
  ARN_SHAPES,
  matchArn,
  CONSTRUCT_KEY_PATTERN,
  NAME_LIMITS,
  Validator,
  awsContext,
  boundedName,
  checkArn,
  checkEcsServiceReferences,
  checkLogRetention,
  checkNamePrefix,
  isKnown,
  movedFrom,
} from "@platform/core";
import {
  BundledFunction,
  LAMBDA_ENVIRONMENT_LIMIT_BYTES,
  ScheduleTrigger,
  lambdaEnvironmentBytes,
} from "@platform/lambda";
import { Construct } from "constructs";
import { CRON_FORMAT, cronProblem, isKnownTimeZone } from "./schedule-expression";
import {
  SKIP_START_ON_HOLIDAYS_ENV_VAR,
  TARGETS_ENV_VAR,
  schedulerActionInput,
  schedulerTargetsEnvironment,
  type ScheduleAction,
  type SchedulerTargets,
  type ServiceTarget,
} from "./targets";

/** The handler module esbuild bundles into the function. */
export const SCHEDULER_HANDLER_ENTRY = fileURLToPath(new URL("./handler.ts", import.meta.url));

/** The auto scaling target of a scheduled service; `stop` holds it at 0/0, `start` restores it. */
export interface ScheduledServiceAutoScaling {
  /** Minimum capacity `start` restores (the compute stack's `min_capacity`). Whole number >= 0. */
  readonly minCapacity: number;
  /** Maximum capacity `start` restores (the compute stack's `max_capacity`). Whole number >= 1. */
  readonly maxCapacity: number;
  /**
   * ARN of the scalable target (`aws_appautoscaling_target.arn`,
   * `arn:aws:application-autoscaling:<region>:<account>:scalable-target/<id>`); the only
   * target the function may register.
   */
  readonly scalableTargetArn: string;
  /**
   * Application Auto Scaling resource id of the service.
   * @default `service/<clusterName>/<serviceName>`
   */
  readonly resourceId?: string;
}

/** One ECS service the scheduler stops and starts. */
export interface ScheduledServiceProps {
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
  /** Tasks `start` restores (the compute stack's desired count). Whole number >= 1. */
  readonly desiredCount: number;
  /**
   * The service's Application Auto Scaling target, when it has one. Without it a scaled
   * service is pushed back to its minimum capacity by the scaler minutes after `stop`.
   * @default the service is not auto scaled
   */
  readonly autoScaling?: ScheduledServiceAutoScaling;
}

/** An RDS DB instance stopped after the services and started before them. */
export interface ScheduledDatabaseProps {
  /** DB instance identifier. */
  readonly instanceIdentifier: string;
  /** DB instance ARN, `arn:aws:rds:<region>:<account>:db:<identifier>` (`aws_db_instance.arn`). */
  readonly instanceArn: string;
}

/** When to stop and start, in a named time zone (so daylight saving needs no edits). */
export interface ServiceSchedulerSchedule {
  /** EventBridge Scheduler cron for `{"action":"start"}`, e.g. `cron(0 9 ? * MON-FRI *)`. */
  readonly start: string;
  /** EventBridge Scheduler cron for `{"action":"stop"}`, e.g. `cron(0 22 ? * MON-FRI *)`. */
  readonly stop: string;
  /**
   * IANA time zone the cron expressions are read in.
   * @default "Asia/Tokyo"
   */
  readonly timeZone?: string;
  /**
   * `false` keeps the schedules but disables them (e.g. for a demo week); the function
   * can still be invoked by hand.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * On a Japanese public holiday (the date in Asia/Tokyo, substitute holidays included)
   * `start` does nothing; `stop` still runs. The calendar is bundled into the function.
   * @default false (start on every scheduled day)
   */
  readonly skipStartOnJapanesePublicHolidays?: boolean;
}

export interface ServiceSchedulerProps {
  /** Prefix of every name, e.g. `acme-staging`. Lower-case letters, digits and hyphens. */
  readonly namePrefix: string;
  /** ECS services to stop and start, keyed by a short stable name that appears in the logs (`web`, `api`). */
  readonly services: Readonly<Record<string, ScheduledServiceProps>>;
  /**
   * RDS instance to stop with the services.
   * @default no database is stopped
   */
  readonly database?: ScheduledDatabaseProps;
  /** Stop and start times. */
  readonly schedule: ServiceSchedulerSchedule;
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
export interface ServiceSchedulerRef {
  readonly functionName: string;
  readonly functionArn: string;
  readonly scheduleGroupName: string;
}

export const DEFAULT_SCHEDULER_TIME_ZONE = "Asia/Tokyo";

/** Lambda retries a failed asynchronous run; safe because every run skips what is done. */
const ASYNC_RETRY = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 };

const RDS_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;

/**
 * Stops ECS services (and optionally an RDS instance) outside working hours and starts them
 * again, through one Lambda that EventBridge Scheduler invokes with `{"action":"stop"}` and
 * `{"action":"start"}`. Auto scaled services have their scalable target held at 0/0 while
 * stopped, so the scaler does not restart them. The function may touch only the given
 * services, scalable targets and instance.
 */
export class ServiceScheduler extends Construct {
  readonly function: BundledFunction;
  /** The stop and start schedules → function, with the role Scheduler assumes to invoke it. */
  readonly trigger: ScheduleTrigger;
  readonly scheduleGroup: SchedulerScheduleGroup;
  readonly stopSchedule: SchedulerSchedule;
  readonly startSchedule: SchedulerSchedule;
  /** Role EventBridge Scheduler assumes; may only invoke the function. */
  readonly schedulerRole: IamRole;
  readonly asyncRetries: LambdaFunctionEventInvokeConfig;
  readonly functionName: string;
  readonly functionArn: string;
  /** The JSON the function reads from its environment. */
  readonly targets: SchedulerTargets;
  /** Ready to paste (and to put in an output): stops everything now. */
  readonly stopCommand: string;
  /** Ready to paste (and to put in an output): starts everything now. */
  readonly startCommand: string;
  readonly ref: ServiceSchedulerRef;

  constructor(scope: Construct, id: string, props: ServiceSchedulerProps) {
    super(scope, id);
    const timeZone = props.schedule.timeZone ?? DEFAULT_SCHEDULER_TIME_ZONE;
    const logRetentionDays = props.logRetentionDays ?? 30;
    this.targets = toTargets(props);
    const targetsJson = schedulerTargetsEnvironment.serialize(this.targets);
    validate(this.node.path, props, timeZone, logRetentionDays, targetsJson);

    this.functionName = boundedName([props.namePrefix, "service-scheduler"], NAME_LIMITS.lambdaFunctionName);
    const services = Object.entries(props.services);
    const scaled = services.filter(([, s]) => s.autoScaling).map(([, s]) => s.autoScaling!);

    const statements: DataAwsIamPolicyDocumentStatement[] = [];
    if (services.length > 0) {
      statements.push({
        sid: "EcsServices",
        actions: ["ecs:DescribeServices", "ecs:UpdateService"],
        resources: services.map(([, s]) => s.serviceArn),
      });
    }
    if (scaled.length > 0) {
      const { region } = awsContext(this);
      statements.push(
        {
          sid: "ScalableTargets",
          actions: ["application-autoscaling:RegisterScalableTarget"],
          resources: scaled.map((a) => a.scalableTargetArn),
          condition: [
            { test: "StringEquals", variable: "application-autoscaling:service-namespace", values: ["ecs"] },
            {
              test: "StringEquals",
              variable: "application-autoscaling:scalable-dimension",
              values: ["ecs:service:DesiredCount"],
            },
          ],
        },
        {
          // DescribeScalableTargets supports no resource type and no service condition key
          // (Service Authorization Reference), so it needs "*"; it only reads capacity
          // settings, and the global aws:RequestedRegion key keeps it to this region.
          sid: "DescribeScalableTargets",
          actions: ["application-autoscaling:DescribeScalableTargets"],
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [region] }],
        },
      );
    }
    if (props.database) {
      statements.push({
        sid: "DatabaseInstance",
        actions: ["rds:DescribeDBInstances", "rds:StartDBInstance", "rds:StopDBInstance"],
        resources: [props.database.instanceArn],
      });
    }

    // Literal text only: the descriptions are sliced to their limits, and slicing a token corrupts it.
    const db = props.database;
    const dbName = db && isKnown(db.instanceIdentifier) ? ` ${db.instanceIdentifier}` : "";
    const what = [...services.map(([key]) => key), ...(db ? [`rds${dbName}`] : [])].join(", ");
    this.function = new BundledFunction(this, "function", {
      functionName: this.functionName,
      entry: SCHEDULER_HANDLER_ENTRY,
      description: `Stops and starts ${what} on a schedule`.slice(0, 256),
      statements,
      logRetentionDays,
      environment: {
        [TARGETS_ENV_VAR]: targetsJson,
        ...(props.schedule.skipStartOnJapanesePublicHolidays ? { [SKIP_START_ON_HOLIDAYS_ENV_VAR]: "JP" } : {}),
      },
      timeoutSeconds: 120,
      accountId: props.accountId,
    });
    this.functionArn = this.function.function.arn;

    this.asyncRetries = new LambdaFunctionEventInvokeConfig(this, "async-retries", {
      functionName: this.function.function.functionName,
      ...ASYNC_RETRY,
    });

    this.trigger = new ScheduleTrigger(this, "trigger", {
      function: { functionName: this.functionName, arn: this.functionArn },
      groupName: boundedName([props.namePrefix, "service-scheduler"], NAME_LIMITS.schedulerName),
      roleName: boundedName([props.namePrefix, "service-scheduler-invoke"], NAME_LIMITS.iamRoleName),
      timeZone,
      enabled: props.schedule.enabled !== false,
      schedules: {
        stop: {
          name: boundedName([props.namePrefix, "stop"], NAME_LIMITS.schedulerName),
          description: `Stops ${what}`.slice(0, 512),
          expression: props.schedule.stop,
          input: schedulerActionInput("stop"),
        },
        start: {
          name: boundedName([props.namePrefix, "start"], NAME_LIMITS.schedulerName),
          description: `Starts ${what}`.slice(0, 512),
          expression: props.schedule.start,
          input: schedulerActionInput("start"),
        },
      },
    });
    // These were direct children (with these IDs) before the trigger construct existed.
    const formerIds: readonly [TerraformResource, string][] = [
      [this.trigger.group, "group"],
      [this.trigger.role, "scheduler-role"],
      [this.trigger.policy, "scheduler-policy"],
      [this.trigger.schedules.stop!, "stop"],
      [this.trigger.schedules.start!, "start"],
    ];
    for (const [resource, formerId] of formerIds) movedFrom(resource, this, formerId);
    this.scheduleGroup = this.trigger.group;
    this.schedulerRole = this.trigger.role;
    this.stopSchedule = this.trigger.schedules.stop!;
    this.startSchedule = this.trigger.schedules.start!;

    const invoke = (action: ScheduleAction) =>
      `aws lambda invoke --function-name ${this.functionName} --cli-binary-format raw-in-base64-out ` +
      `--payload '${schedulerActionInput(action)}' out.json`;
    this.stopCommand = invoke("stop");
    this.startCommand = invoke("start");
    this.ref = {
      functionName: this.functionName,
      functionArn: this.functionArn,
      scheduleGroupName: this.scheduleGroup.name,
    };
  }
}

function toTargets(props: ServiceSchedulerProps): SchedulerTargets {
  const services: Record<string, ServiceTarget> = {};
  for (const [key, s] of Object.entries(props.services)) {
    services[key] = {
      cluster: s.clusterName,
      service: s.serviceName,
      desiredCount: s.desiredCount,
      ...(s.autoScaling
        ? {
            autoScaling: {
              resourceId: s.autoScaling.resourceId ?? `service/${s.clusterName}/${s.serviceName}`,
              minCapacity: s.autoScaling.minCapacity,
              maxCapacity: s.autoScaling.maxCapacity,
            },
          }
        : {}),
    };
  }
  return {
    services,
    ...(props.database ? { database: { identifier: props.database.instanceIdentifier } } : {}),
  };
}


function isWhole(n: number): boolean {
  return Number.isInteger(n);
}

function validate(
  path: string,
  props: ServiceSchedulerProps,
  timeZone: string,
  logRetentionDays: number,
  targetsJson: string,
): void {
  const v = new Validator(path);
  checkNamePrefix(v, props.namePrefix);
  const entries = Object.entries(props.services);
  v.check(
    entries.length > 0 || props.database !== undefined,
    "services",
    props.services,
    "has nothing to schedule; give at least one ECS service or a database.",
  );
  checkEcsServiceReferences(v, "services", props.services);
  const targets = new Map<string, string>();
  for (const [key, service] of entries) validateService(v, key, service, targets);
  if (props.database) validateDatabase(v, props.database);
  validateSchedule(v, props.schedule, timeZone);
  checkLogRetention(v, "logRetentionDays", logRetentionDays);
  if (isKnown(targetsJson) && v.ok) {
    const bytes = lambdaEnvironmentBytes(TARGETS_ENV_VAR, targetsJson);
    v.check(
      bytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES,
      "services",
      `${entries.length} services`,
      `need ${bytes} bytes of Lambda environment, over the 4 KB limit; split them across two ServiceSchedulers.`,
    );
  }
  v.throwIfAny();
}

function validateService(
  v: Validator,
  key: string,
  s: ScheduledServiceProps,
  targets: Map<string, string>,
): void {
  const f = `services.${key}`;
  v.check(CONSTRUCT_KEY_PATTERN.test(key), f, key, "key must match [a-z][a-z0-9-]{0,30}, e.g. web.");
  const namesKnown = isKnown(s.clusterName) && isKnown(s.serviceName);

  v.check(
    isWhole(s.desiredCount) && s.desiredCount >= 1,
    `${f}.desiredCount`,
    s.desiredCount,
    "must be a whole number >= 1 (the task count start restores); leave the service out if it should stay stopped.",
  );
  const a = s.autoScaling;
  if (!a) return;
  const g = `${f}.autoScaling`;
  const minOk = isWhole(a.minCapacity) && a.minCapacity >= 0;
  const maxOk = isWhole(a.maxCapacity) && a.maxCapacity >= 1;
  v.check(minOk, `${g}.minCapacity`, a.minCapacity, "must be a whole number >= 0.");
  v.check(maxOk, `${g}.maxCapacity`, a.maxCapacity, "must be a whole number >= 1.");
  if (minOk && maxOk) {
    const ordered = v.check(
      a.minCapacity <= a.maxCapacity,
      `${g}.minCapacity`,
      a.minCapacity,
      `is greater than maxCapacity ${a.maxCapacity}; use the compute stack's min <= max.`,
    );
    if (ordered) {
      v.check(
        s.desiredCount >= a.minCapacity && s.desiredCount <= a.maxCapacity,
        `${f}.desiredCount`,
        s.desiredCount,
        `is outside autoScaling ${a.minCapacity}-${a.maxCapacity}; the scaler would move it at once, so pick a count inside the range.`,
      );
    }
  }
  if (isKnown(a.scalableTargetArn)) {
    checkArn(v, `${g}.scalableTargetArn`, a.scalableTargetArn, ARN_SHAPES.scalableTarget, "pass aws_appautoscaling_target.arn");
    const other = targets.get(a.scalableTargetArn);
    v.check(
      other === undefined,
      `${g}.scalableTargetArn`,
      a.scalableTargetArn,
      `is also the target of services.${other}; each service has its own target.`,
    );
    targets.set(a.scalableTargetArn, key);
  }
  if (a.resourceId !== undefined && isKnown(a.resourceId) && namesKnown) {
    const expected = `service/${s.clusterName}/${s.serviceName}`;
    v.check(a.resourceId === expected, `${g}.resourceId`, a.resourceId, `must be ${expected} for this service.`);
  }
}

function validateDatabase(v: Validator, db: ScheduledDatabaseProps): void {
  if (isKnown(db.instanceIdentifier)) {
    v.check(
      RDS_IDENTIFIER.test(db.instanceIdentifier),
      "database.instanceIdentifier",
      db.instanceIdentifier,
      "must be 1-63 letters, digits or hyphens, start with a letter, no -- and no trailing hyphen.",
    );
  }
  if (!isKnown(db.instanceArn)) return;
  const m = matchArn(ARN_SHAPES.rdsInstance, db.instanceArn);
  if (checkArn(v, "database.instanceArn", db.instanceArn, ARN_SHAPES.rdsInstance, "pass aws_db_instance.arn") && m && isKnown(db.instanceIdentifier)) {
    v.check(
      m![1] === db.instanceIdentifier,
      "database.instanceArn",
      db.instanceArn,
      `names instance ${m![1]}, not ${db.instanceIdentifier}; pass the ARN of the same instance.`,
    );
  }
}

function validateSchedule(v: Validator, schedule: ServiceSchedulerSchedule, timeZone: string): void {
  for (const action of ["start", "stop"] as const) {
    const expression = schedule[action];
    if (!isKnown(expression)) continue;
    const problem = cronProblem(expression);
    v.check(
      problem === undefined,
      `schedule.${action}`,
      expression,
      `is not a valid cron expression (${problem}); write ${CRON_FORMAT}.`,
    );
  }
  if (isKnown(schedule.start) && schedule.start === schedule.stop) {
    v.fail("schedule.stop", schedule.stop, "equals schedule.start; stop and start at different times.");
  }
  if (isKnown(timeZone)) {
    v.check(
      isKnownTimeZone(timeZone),
      "schedule.timeZone",
      timeZone,
      'is not an IANA time zone; use a name like "Asia/Tokyo" or "UTC" (see Intl.supportedValuesOf("timeZone")).',
    );
  }
}
