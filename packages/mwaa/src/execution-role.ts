import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { arn, type AwsContext } from "@platform/core";

/** What the execution role's policy is scoped to. */
export interface ExecutionRoleScope {
  readonly environmentName: string;
  readonly accountId: string;
  readonly bucketArn: string;
}

/** The log group prefix MWAA writes to: `airflow-<environment>-<Module>`. */
export function airflowLogGroupPrefix(environmentName: string): string {
  return `airflow-${environmentName}-`;
}

/**
 * The execution role's statements as AWS documents them for an environment with an AWS-owned
 * key ("Amazon MWAA execution role"), narrowed to this environment: its metrics, its DAG bucket,
 * its log groups, and the Celery queues MWAA creates (`airflow-celery-*`, in an AWS-owned account,
 * hence the `*` account) through SQS only.
 */
export function executionRoleStatements(context: AwsContext, scope: ExecutionRoleScope): DataAwsIamPolicyDocumentStatement[] {
  const { region } = context;
  const logGroups = arn(context, { service: "logs", account: scope.accountId, resource: `log-group:${airflowLogGroupPrefix(scope.environmentName)}*` });
  return [
    {
      sid: "PublishMetrics",
      actions: ["airflow:PublishMetrics"],
      resources: [arn(context, { service: "airflow", account: scope.accountId, resource: `environment/${scope.environmentName}` })],
    },
    // AWS's template: listing every bucket would reveal the account's other buckets.
    { sid: "NoBucketListing", effect: "Deny", actions: ["s3:ListAllMyBuckets"], resources: [scope.bucketArn, `${scope.bucketArn}/*`] },
    {
      sid: "ReadDagBucket",
      actions: ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
      resources: [scope.bucketArn, `${scope.bucketArn}/*`],
    },
    {
      sid: "WriteOwnLogs",
      actions: ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:GetLogEvents", "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults"],
      resources: [logGroups, `${logGroups}:*`],
    },
    // These accept no narrower resource.
    { sid: "DescribeLogGroups", actions: ["logs:DescribeLogGroups"], resources: ["*"] },
    { sid: "CheckPublicAccessBlock", actions: ["s3:GetAccountPublicAccessBlock"], resources: ["*"] },
    { sid: "PutMetrics", actions: ["cloudwatch:PutMetricData"], resources: ["*"] },
    {
      sid: "CeleryQueues",
      actions: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"],
      resources: [arn(context, { service: "sqs", region, account: "*", resource: "airflow-celery-*" })],
    },
    {
      // The queues are encrypted with an AWS-owned key: any key outside this account, used through SQS only.
      sid: "CeleryQueueKeysThroughSqs",
      actions: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"],
      notResources: [arn(context, { service: "kms", region: "*", account: scope.accountId, resource: "key/*" })],
      condition: [{ test: "StringLike", variable: "kms:ViaService", values: [`sqs.${region}.amazonaws.com`] }],
    },
  ];
}
