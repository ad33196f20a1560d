import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { MwaaEnvironment } from "@cdktf/provider-aws/lib/mwaa-environment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NAME_LIMITS, Validator, awsContext, boundedName, checkLogRetention, isKnown } from "@platform/core";
import { createBucketBaseline, type BucketBaseline } from "@platform/storage";
import { Construct } from "constructs";
import { airflowLogGroupPrefix, executionRoleStatements } from "./execution-role";

/** MWAA environment classes; `mw1.micro` (one scheduler, worker and web server) is the smallest. */
export type AirflowEnvironmentClass = "mw1.micro" | "mw1.small" | "mw1.medium" | "mw1.large" | "mw1.xlarge" | "mw1.2xlarge";

/** Airflow log levels MWAA accepts. */
export type AirflowLogLevel = "CRITICAL" | "ERROR" | "WARNING" | "INFO" | "DEBUG";

export interface AirflowEnvironmentProps {
  /** Prefix of every name, e.g. `acme-prod`; the environment is `<namePrefix>-airflow`. */
  readonly namePrefix: string;
  /** 12-digit account ID (DAG bucket name, role and log scoping). */
  readonly accountId: string;
  /** VPC of the subnets. */
  readonly vpcId: string;
  /**
   * Exactly two private subnets in different AZs (MWAA's requirement). They need a way to AWS
   * APIs and PyPI: a NAT gateway, or VPC endpoints with no requirements.txt.
   */
  readonly privateSubnetIds: readonly string[];
  /**
   * Apache Airflow version MWAA offers.
   * @default "2.10.3"
   */
  readonly airflowVersion?: string;
  /**
   * Environment class. The provider accepts any string; MWAA documents the values in the type.
   * @default "mw1.micro" (the smallest; one worker, no scaling)
   */
  readonly environmentClass?: AirflowEnvironmentClass;
  /**
   * Most workers (classes above micro scale between 1 and this).
   * @default 1 for mw1.micro, 2 otherwise
   */
  readonly maxWorkers?: number;
  /**
   * Days CloudWatch keeps the five Airflow log groups (a CloudWatch value: 1, 3, 5, 7, 14, 30, …).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Level of every Airflow log (DAG processing, scheduler, task, web server, worker).
   * @default "INFO" for task logs, "WARNING" for the others
   */
  readonly logLevel?: AirflowLogLevel;
  /**
   * Delete the DAG bucket with its objects on destroy (a rebuildable environment).
   * @default false
   */
  readonly forceDestroyBucket?: boolean;
}

/** The five modules MWAA logs, with their log group suffix and the default level. */
const LOG_MODULES = {
  dagProcessingLogs: { suffix: "DAGProcessing", level: "WARNING" },
  schedulerLogs: { suffix: "Scheduler", level: "WARNING" },
  taskLogs: { suffix: "Task", level: "INFO" },
  webserverLogs: { suffix: "WebServer", level: "WARNING" },
  workerLogs: { suffix: "Worker", level: "WARNING" },
} as const;

const ENVIRONMENT_CLASSES: readonly AirflowEnvironmentClass[] = ["mw1.micro", "mw1.small", "mw1.medium", "mw1.large", "mw1.xlarge", "mw1.2xlarge"];

/**
 * An Amazon MWAA (managed Airflow) environment, seed 001's optional workflow engine, built to be
 * private: the web server is reachable only from inside the VPC (`PRIVATE_ONLY`, use the bastion
 * or a VPN), the DAG bucket is versioned (MWAA requires it), encrypted and closed to the public,
 * the execution role reaches only this bucket, these log groups and MWAA's own Celery queues, and
 * every module logs to CloudWatch with a retention. Off unless a stack creates it: it bills from
 * about $0.27 an hour (mw1.micro, `pnpm cost` does not price it yet).
 */
export class AirflowEnvironment extends Construct {
  readonly environment: MwaaEnvironment;
  readonly dagBucket: BucketBaseline;
  readonly executionRole: IamRole;
  readonly securityGroup: SecurityGroup;
  /** Log groups keyed by module (`taskLogs`, …). */
  readonly logGroups: Readonly<Record<keyof typeof LOG_MODULES, CloudwatchLogGroup>>;
  readonly environmentName: string;
  /** `aws s3 cp` destination of DAG files. */
  readonly dagsUri: string;

  constructor(scope: Construct, id: string, props: AirflowEnvironmentProps) {
    super(scope, id);
    const environmentClass = props.environmentClass ?? "mw1.micro";
    const micro = environmentClass === "mw1.micro";
    const maxWorkers = props.maxWorkers ?? (micro ? 1 : 2);
    const logRetentionDays = props.logRetentionDays ?? 30;
    const name = boundedName([props.namePrefix, "airflow"], 80);
    const bucketName = boundedName(["airflow", props.namePrefix, props.accountId], NAME_LIMITS.s3BucketName);
    validate(this.node.path, props, environmentClass, maxWorkers, logRetentionDays, micro);
    const context = awsContext(this);

    // MWAA reads DAGs only from a bucket whose name starts with "airflow-" and that has versioning on.
    this.dagBucket = createBucketBaseline(this, {
      bucketName,
      forceDestroy: props.forceDestroyBucket ?? false,
      encryption: { type: "AES256" },
      versioned: true,
      lifecycleRules: [{ id: "expire-old-dag-versions", status: "Enabled", filter: [{}], noncurrentVersionExpiration: [{ noncurrentDays: 30 }] }],
      policyStatements: () => [],
    });

    this.logGroups = Object.fromEntries(
      Object.entries(LOG_MODULES).map(([module, { suffix }]) => [
        module,
        new CloudwatchLogGroup(this, `logs-${suffix.toLowerCase()}`, {
          name: `${airflowLogGroupPrefix(name)}${suffix}`,
          retentionInDays: logRetentionDays,
        }),
      ]),
    ) as Record<keyof typeof LOG_MODULES, CloudwatchLogGroup>;

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["airflow.amazonaws.com", "airflow-env.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    this.executionRole = new IamRole(this, "execution-role", {
      name: boundedName([props.namePrefix, "airflow-execution"], NAME_LIMITS.iamRoleName),
      assumeRolePolicy: trust.json,
    });
    const policy = new DataAwsIamPolicyDocument(this, "execution-policy", {
      statement: executionRoleStatements(context, { environmentName: name, accountId: props.accountId, bucketArn: this.dagBucket.bucket.arn }),
    });
    const rolePolicy = new IamRolePolicy(this, "execution-role-policy", { role: this.executionRole.id, name: "mwaa-execution", policy: policy.json });

    // MWAA's workers, scheduler and web server talk to each other through this group.
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: boundedName([props.namePrefix, "airflow"], NAME_LIMITS.securityGroupName),
      description: `MWAA environment ${name}: members reach each other; out to AWS APIs`,
      vpcId: props.vpcId,
      tags: { Name: `${name}` },
    });
    new VpcSecurityGroupIngressRule(this, "self-ingress", {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: "-1",
      description: "MWAA components among themselves",
    });
    new VpcSecurityGroupEgressRule(this, "egress", {
      securityGroupId: this.securityGroup.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "-1",
      description: "AWS APIs (SQS, logs, S3) through NAT or endpoints",
    });

    const level = (module: keyof typeof LOG_MODULES) => ({ enabled: true, logLevel: props.logLevel ?? LOG_MODULES[module].level });
    this.environment = new MwaaEnvironment(this, "environment", {
      name,
      airflowVersion: props.airflowVersion ?? "2.10.3",
      environmentClass,
      executionRoleArn: this.executionRole.arn,
      sourceBucketArn: this.dagBucket.bucket.arn,
      dagS3Path: "dags/",
      webserverAccessMode: "PRIVATE_ONLY",
      networkConfiguration: { securityGroupIds: [this.securityGroup.id], subnetIds: [...props.privateSubnetIds] },
      minWorkers: 1,
      maxWorkers,
      ...(micro ? { schedulers: 1, minWebservers: 1, maxWebservers: 1 } : {}),
      loggingConfiguration: {
        dagProcessingLogs: level("dagProcessingLogs"),
        schedulerLogs: level("schedulerLogs"),
        taskLogs: level("taskLogs"),
        webserverLogs: level("webserverLogs"),
        workerLogs: level("workerLogs"),
      },
      // The role's policy and the log groups (with their retention) exist before MWAA starts writing.
      dependsOn: [rolePolicy, ...Object.values(this.logGroups), this.dagBucket.versioning!, this.dagBucket.publicAccessBlock],
      tags: { Name: name },
    });
    this.environmentName = name;
    this.dagsUri = `s3://${bucketName}/dags/`;
  }
}

function validate(path: string, props: AirflowEnvironmentProps, environmentClass: string, maxWorkers: number, retention: number, micro: boolean): void {
  const v = new Validator(path);
  const subnets = props.privateSubnetIds;
  v.check(subnets.length === 2, "privateSubnetIds", subnets, "must list exactly two private subnets in different availability zones (MWAA's requirement).");
  if (subnets.every(isKnown)) v.check(new Set(subnets).size === subnets.length, "privateSubnetIds", subnets, "lists a subnet twice; give two different subnets.");
  v.check(ENVIRONMENT_CLASSES.includes(environmentClass as AirflowEnvironmentClass), "environmentClass", environmentClass, `must be one of ${ENVIRONMENT_CLASSES.join(", ")}.`);
  v.check(
    Number.isInteger(maxWorkers) && maxWorkers >= 1 && maxWorkers <= (micro ? 1 : 25),
    "maxWorkers",
    maxWorkers,
    micro ? "must be 1 for mw1.micro (it runs a single worker); choose mw1.small to scale workers." : "must be a whole number from 1 to 25.",
  );
  if (isKnown(props.accountId)) v.check(/^\d{12}$/.test(props.accountId), "accountId", props.accountId, "must be the 12-digit AWS account ID.");
  if (isKnown(props.namePrefix)) {
    v.check(/^[a-z][a-z0-9-]{0,40}$/.test(props.namePrefix), "namePrefix", props.namePrefix, "must be lower-case letters, digits and hyphens (at most 41), starting with a letter: it names the bucket and the environment.");
  }
  checkLogRetention(v, "logRetentionDays", retention);
  v.throwIfAny();
}
