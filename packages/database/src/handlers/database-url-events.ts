/**
 * The events that start the DATABASE_URL publisher, shared by `DatabaseUrlPublisher` (which
 * configures them) and the handler (which parses them). No AWS SDK or cdktf import: synth and
 * the handler bundle both load this file.
 */
import {
  EventShapeError,
  defineEvent,
  problemsOf,
  scheduledEvent,
  secretRotationSucceeded,
  type EventDefinition,
} from "@platform/lambda/runtime";
import { z } from "zod";

/**
 * What `aws_lambda_invocation` sends at deploy: locations only, never credentials (the input
 * and the result are stored in Terraform state). The function reads its configuration from its
 * environment; this payload says why it runs and re-runs the invocation when a location changes.
 */
const deployInvocationSchema = z
  .object({
    trigger: z.literal("terraform-apply"),
    parameterName: z.string().min(1),
    secretArn: z.string().min(1),
    host: z.string().min(1),
    port: z.string().min(1),
    databaseName: z.string().min(1),
    parameterKmsKeyId: z.string().min(1).optional(),
  })
  .strict();

export type PublisherDeployInput = z.infer<typeof deployInvocationSchema>;

export const publisherDeployInvocation = defineEvent("deploy invocation", deployInvocationSchema);

/** The deploy payload, typed by its schema (its values may be Terraform references, so it is not parsed at synth). */
export function publisherDeployInput(input: PublisherDeployInput): PublisherDeployInput {
  return input;
}

/** Why the publisher runs: after a rotation, on the safety-net schedule, or at deploy. */
export type PublisherTrigger = "rotation" | "schedule" | "terraform-apply";

const TRIGGERS: readonly [PublisherTrigger, EventDefinition<unknown>][] = [
  ["rotation", secretRotationSucceeded],
  ["schedule", scheduledEvent],
  ["terraform-apply", publisherDeployInvocation],
];

/**
 * The trigger an event comes from. Anything else is rejected with an {@link EventShapeError}
 * that says, per accepted shape, why the event is not it: a hand-made test event shows what the
 * function accepts.
 */
export function publisherTrigger(event: unknown): PublisherTrigger {
  const problems: string[] = [];
  for (const [trigger, definition] of TRIGGERS) {
    if (definition.matches(event)) return trigger;
    const result = definition.schema.safeParse(event);
    if (!result.success) problems.push(`not ${definition.name} (${problemsOf(result.error).join(", ")})`);
  }
  // The message names paths and types only, never the event: this function's logs stay free of input.
  throw new EventShapeError("DATABASE_URL publisher event", problems, event, undefined, false);
}
