import { join } from "node:path";
import type { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { NAME_LIMITS, Validator, arn, awsContext, boundedName, isKnown, checkLogRetention, checkSsmParameterName, movedFrom } from "@platform/core";
import { BundledFunction, EventRuleTrigger, isEventRuleSchedule, secretRotationSucceeded } from "@platform/lambda";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { publisherDeployInput } from "./handlers/database-url-events";
import type { RedeployOnParameterChange } from "./redeploy-on-parameter-change";

export interface DatabaseUrlPublisherProps {
  /** Prefix of the function and rule names, e.g. `acme-staging`. */
  readonly namePrefix: string;
  /**
   * SSM parameter the URL is written to, e.g. `/acme/staging/DATABASE_URL`. The function creates
   * and overwrites it; Terraform does not manage it (its value would otherwise land in state).
   */
  readonly parameterName: string;
  /** ARN of the RDS-managed master secret (`masterUserSecret.get(0).secretArn`). */
  readonly secretArn: string;
  /**
   * Customer managed KMS key of the master secret, when one was set.
   * @default none (the aws/secretsmanager key needs no grant)
   */
  readonly secretKmsKeyArn?: string;
  /**
   * Customer managed KMS key the DATABASE_URL SecureString is written with (SecretsKey). The
   * function may encrypt and decrypt with it; readers need kms:Decrypt on it.
   * @default the AWS managed aws/ssm key
   */
  readonly parameterKmsKeyArn?: string;
  /** Host name in the URL: the instance address or the cluster (writer) endpoint. */
  readonly host: string;
  /** Port in the URL. */
  readonly port: number | string;
  /** Database name in the URL. */
  readonly databaseName: string;
  /**
   * Retention of the function's logs.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Safety-net schedule on which the URL is re-checked, in case a rotation event is missed
   * (an unchanged URL is not rewritten). `false` turns it off.
   * @default "rate(1 hour)"
   */
  readonly refreshSchedule?: string | false;
  /**
   * Account ID for the parameter ARN.
   * @default the stack's account (`awsContext`)
   */
  readonly accountId?: string;
}

/**
 * Keeps an SSM SecureString `DATABASE_URL` in step with an RDS-managed master secret.
 *
 * Terraform never learns the password (RDS generates it and rotates it every 7 days by
 * default), so it cannot write the URL itself without leaking it into state and going stale.
 * A small Lambda does it instead: once at deploy (`aws_lambda_invocation`, whose input and
 * result hold no secret), after each `RotationSucceeded` of the secret, and on a schedule.
 * Tasks read the parameter at start, so running tasks keep the old password until they are
 * replaced: {@link RedeployOnParameterChange} (this package too, placed in the stack of the
 * services) restarts them when the parameter is written, on SSM's `parameterStoreChange` event
 * of `@platform/lambda`, the one pattern for it. The whole rotation chain lives in this package.
 */
export class DatabaseUrlPublisher extends Construct {
  readonly parameterName: string;
  /** Exact ARN of the parameter, for the execution roles of the tasks that read it. */
  readonly parameterArn: string;
  readonly function: BundledFunction;
  /** Rotation of the master secret → function. */
  readonly rotationTrigger: EventRuleTrigger;
  /** The safety-net schedule → function, unless `refreshSchedule` is false. */
  readonly refreshTrigger?: EventRuleTrigger;
  readonly rotationRule: CloudwatchEventRule;
  readonly refreshRule?: CloudwatchEventRule;
  readonly invocation: LambdaInvocation;

  constructor(scope: Construct, id: string, props: DatabaseUrlPublisherProps) {
    super(scope, id);
    const logRetentionDays = props.logRetentionDays ?? 30;
    const schedule = props.refreshSchedule ?? "rate(1 hour)";
    validate(this.node.path, props, logRetentionDays, schedule);

    const functionName = databaseUrlPublisherName(props.namePrefix);
    const { region } = awsContext(this);
    this.parameterName = props.parameterName;
    // Known at synth: consumers in other stacks get a literal, not a cross-stack output.
    this.parameterArn = arn(awsContext(this), {
      service: "ssm",
      account: props.accountId,
      resource: `parameter${props.parameterName}`,
    });
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      { sid: "ReadMasterSecret", actions: ["secretsmanager:GetSecretValue"], resources: [props.secretArn] },
      { sid: "WriteDatabaseUrl", actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: [this.parameterArn] },
    ];
    if (props.parameterKmsKeyArn) {
      // Which key the parameter is under today (a parameter first written with aws/ssm is rewritten
      // under the customer key). DescribeParameters accepts no narrower resource than "*".
      statements.push({ sid: "DescribeParameters", actions: ["ssm:DescribeParameters"], resources: ["*"] });
      statements.push({
        sid: "EncryptDatabaseUrl",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        resources: [props.parameterKmsKeyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`ssm.${region}.amazonaws.com`] }],
      });
    }
    // Without a customer key, SecureStrings use the AWS managed aws/ssm key, whose key policy lets
    // principals of the account encrypt and decrypt through SSM: no kms statement is needed for it.
    if (props.secretKmsKeyArn) {
      statements.push({
        sid: "DecryptMasterSecret",
        actions: ["kms:Decrypt"],
        resources: [props.secretKmsKeyArn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`secretsmanager.${region}.amazonaws.com`] }],
      });
    }
    this.function = new BundledFunction(this, "function", {
      functionName,
      entry: join(import.meta.dirname, "handlers", "database-url-publisher.ts"),
      description: `Writes ${props.parameterName} from the RDS-managed master secret`,
      logRetentionDays,
      timeoutSeconds: 60,
      memoryMiB: 256,
      statements,
      accountId: props.accountId,
      environment: {
        SECRET_ARN: props.secretArn,
        PARAMETER_NAME: props.parameterName,
        DB_HOST: props.host,
        DB_PORT: portString(props.port),
        DB_NAME: props.databaseName,
        ...(props.parameterKmsKeyArn ? { PARAMETER_KMS_KEY_ID: props.parameterKmsKeyArn } : {}),
      },
    });

    this.rotationTrigger = new EventRuleTrigger(this, "rotation-trigger", {
      function: this.function.function,
      ruleName: boundedName([props.namePrefix, "database-url-rotation"], NAME_LIMITS.schedulerName),
      description: "Master secret rotated: rewrite DATABASE_URL",
      eventPattern: secretRotationSucceeded.pattern({ additionalEventData: { SecretId: [props.secretArn] } }),
    });
    this.keepAddresses(this.rotationTrigger, "rotation");
    this.rotationRule = this.rotationTrigger.rule;
    if (schedule !== false) {
      this.refreshTrigger = new EventRuleTrigger(this, "refresh-trigger", {
        function: this.function.function,
        ruleName: boundedName([props.namePrefix, "database-url-refresh"], NAME_LIMITS.schedulerName),
        description: "Safety net: re-check DATABASE_URL against the master secret",
        schedule,
      });
      this.keepAddresses(this.refreshTrigger, "refresh");
      this.refreshRule = this.refreshTrigger.rule;
    }

    const policy = this.function.node.findChild("policy") as IamRolePolicy;
    this.invocation = new LambdaInvocation(this, "publish", {
      functionName: this.function.function.functionName,
      // Only locations, never credentials: the input and the result are stored in state.
      input: Fn.jsonencode(
        publisherDeployInput({
          trigger: "terraform-apply",
          parameterName: props.parameterName,
          secretArn: props.secretArn,
          host: props.host,
          port: portString(props.port),
          databaseName: props.databaseName,
          ...(props.parameterKmsKeyArn ? { parameterKmsKeyId: props.parameterKmsKeyArn } : {}),
        }),
      ),
      // A new handler build re-runs it as well as any change of the input.
      triggers: { code: this.function.codeHash },
      // The permissions must be attached before the first run.
      dependsOn: [policy],
    });
  }

  /** The rule, target and permission were children `<id>`, `<id>-target`, `<id>-permission` before the trigger construct. */
  private keepAddresses(trigger: EventRuleTrigger, id: string): void {
    movedFrom(trigger.rule, this, id);
    movedFrom(trigger.target, this, `${id}-target`);
    movedFrom(trigger.permission, this, `${id}-permission`);
  }
}

/**
 * Name of the publisher function and of its role (`<namePrefix>-database-url`), known at synth so
 * the secrets key policy in an earlier stack can name the role without a reference.
 */
export function databaseUrlPublisherName(namePrefix: string): string {
  return boundedName([namePrefix, "database-url"], NAME_LIMITS.lambdaFunctionName);
}

/** A port as a string; a number token (e.g. `db.port`) must go through Token.asString, not String(). */
function portString(port: number | string): string {
  return typeof port === "number" && Token.isUnresolved(port) ? Token.asString(port) : String(port);
}


function validate(path: string, props: DatabaseUrlPublisherProps, logRetentionDays: number, schedule: string | false): void {
  const v = new Validator(path);
  checkSsmParameterName(v, "parameterName", props.parameterName);
  checkLogRetention(v, "logRetentionDays", logRetentionDays);
  if (schedule !== false) {
    v.check(
      isEventRuleSchedule(schedule),
      "refreshSchedule",
      schedule,
      'must be an EventBridge schedule such as "rate(1 hour)" or "cron(0 * * * ? *)", or false.',
    );
  }
  if (props.accountId !== undefined && isKnown(props.accountId)) {
    v.check(/^\d{12}$/.test(props.accountId), "accountId", props.accountId, "must be a 12-digit AWS account ID.");
  }
  v.throwIfAny();
}
