import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { NAME_LIMITS, arn, awsContext, boundedName } from "@platform/core";
import { Construct } from "constructs";

export type FlowLogTrafficType = "ALL" | "ACCEPT" | "REJECT";

/** VPC flow logs to CloudWatch Logs. */
export interface FlowLogsOptions {
  /**
   * Days CloudWatch keeps flow log records; one of the values CloudWatch accepts
   * (1, 3, 5, 7, 14, 30, 60, 90, …).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Which traffic to record. `REJECT` alone is cheaper but hides what was allowed,
   * which is what an incident review usually needs.
   * @default "ALL"
   */
  readonly trafficType?: FlowLogTrafficType;
  /**
   * How long records are aggregated before delivery: 60 or 600 seconds.
   * @default 600 (fewer, larger batches; the AWS default)
   */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
  /**
   * KMS key ARN to encrypt the log group with. Its key policy must allow the CloudWatch
   * Logs service principal of the region.
   * @default CloudWatch Logs' own encryption at rest (AWS-owned key)
   */
  readonly kmsKeyArn?: string;
}

export const FLOW_LOG_TRAFFIC_TYPES: readonly FlowLogTrafficType[] = ["ALL", "ACCEPT", "REJECT"];
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 30;

/** Internal to Network, which validates `options` before creating this. */
export interface VpcFlowLogsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly options: FlowLogsOptions;
}

/** A flow log of the whole VPC delivered to its own log group through a least-privilege role. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { namePrefix, region, options } = props;
    const aws = awsContext(this);

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/vpc/${boundedName([namePrefix], 200)}/flow-logs`,
      retentionInDays: options.logRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
      kmsKeyId: options.kmsKeyArn,
    });

    // Confused-deputy guard: only flow logs of this account and region may assume the role.
    const trust = new DataAwsIamPolicyDocument(this, "assume-role", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
            {
              test: "ArnLike",
              variable: "aws:SourceArn",
              values: [arn(aws, { service: "ec2", region, resource: "vpc-flow-log/*" })],
            },
          ],
        },
      ],
    });

    const roleName = boundedName([namePrefix, "vpc-flow-logs"], NAME_LIMITS.iamRoleName);
    this.role = new IamRole(this, "role", {
      name: roleName,
      description: "Delivers VPC flow logs to CloudWatch Logs",
      assumeRolePolicy: trust.json,
    });

    // Writes go to this log group only. DescribeLogGroups is a list call, so it is scoped
    // to the account and region rather than to one group.
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [
        {
          sid: "WriteFlowLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
        {
          sid: "FindLogGroup",
          effect: "Allow",
          actions: ["logs:DescribeLogGroups"],
          resources: [arn(aws, { service: "logs", region, resource: "log-group:*" })],
        },
      ],
    });
    new IamRolePolicy(this, "role-policy", {
      name: "write-flow-logs",
      role: this.role.id,
      policy: permissions.json,
    });

    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: options.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: options.maxAggregationIntervalSeconds ?? 600,
      tags: { Name: `${namePrefix}-flow-log` },
    });
  }
}
