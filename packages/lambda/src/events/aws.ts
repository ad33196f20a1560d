/** The AWS service events this platform's functions react to, one definition each. */
import { z } from "zod";
import { defineAwsEvent } from "./define";

/**
 * SSM's native event for a write of a parameter. `operation` is `Create`, `Update`, `Delete`,
 * `LabelParameterVersion`, …; only the first two leave a new value behind.
 */
export const parameterStoreChange = defineAwsEvent({
  source: "aws.ssm",
  detailType: "Parameter Store Change",
  detail: z.object({ name: z.string().min(1), operation: z.string().min(1) }).passthrough(),
});

/** SSM operations after which the parameter holds a new value; `Delete` and labels are not. */
export const VALUE_CHANGING_OPERATIONS = ["Create", "Update"] as const;

/**
 * A successful rotation of a Secrets Manager secret. Secrets Manager reports `RotationSucceeded`
 * through CloudTrail as a service event carrying the secret ARN in `additionalEventData.SecretId`.
 */
export const secretRotationSucceeded = defineAwsEvent({
  source: "aws.secretsmanager",
  detailType: "AWS Service Event via CloudTrail",
  detail: z
    .object({
      eventSource: z.literal("secretsmanager.amazonaws.com"),
      eventName: z.literal("RotationSucceeded"),
      additionalEventData: z.object({ SecretId: z.string().min(1) }).passthrough(),
    })
    .passthrough(),
  fixedDetail: { eventSource: ["secretsmanager.amazonaws.com"], eventName: ["RotationSucceeded"] },
});

/** What an EventBridge rule with a `rate(...)` / `cron(...)` schedule sends: the rule ARN in `resources`. */
export const scheduledEvent = defineAwsEvent({
  source: "aws.events",
  detailType: "Scheduled Event",
  detail: z.object({}).passthrough(),
});
