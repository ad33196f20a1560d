/**
 * Event definitions shared by a construct (the event pattern or payload it configures) and the
 * handler (which parses what arrives). Only zod here: no cdktf and no AWS SDK, so both synth
 * and the handler bundles load this module.
 */
import { z } from "zod";

/** Thrown when an event does not have the shape its definition promises; lists every problem with its path. */
export class EventShapeError extends Error {
  override readonly name: string = "EventShapeError";
  constructor(
    /** Which event was expected, e.g. `aws.ssm "Parameter Store Change" event`. */
    readonly expected: string,
    /** One line per problem, `path: what is wrong`. */
    readonly problems: readonly string[],
    received: unknown,
    /** What a valid one looks like, appended to the message. */
    hint?: string,
    /** `false` leaves the event out of the message (for functions whose logs must never echo input). */
    showEvent = true,
  ) {
    super(`Invalid ${expected}${showEvent ? ` ${preview(received)}` : ""}: ${problems.join("; ")}${hint ? `; ${hint}` : ""}.`);
  }
}

/** A named event shape: `parse` returns the typed event or throws {@link EventShapeError}. */
export interface EventDefinition<T> {
  /** Shown in errors and logs, e.g. `aws.ssm "Parameter Store Change" event`. */
  readonly name: string;
  /** What a valid one looks like, for error messages. */
  readonly hint?: string;
  readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** The typed event, or an {@link EventShapeError} naming every problem. */
  parse(event: unknown): T;
  /** Whether `event` has this shape (for telling the triggers of one function apart). */
  matches(event: unknown): event is T;
}

export function defineEvent<T>(name: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, hint?: string): EventDefinition<T> {
  return {
    name,
    schema,
    hint,
    parse(event) {
      const result = schema.safeParse(event);
      if (result.success) return result.data;
      throw new EventShapeError(name, problemsOf(result.error), event, hint);
    },
    matches(event): event is T {
      return schema.safeParse(event).success;
    },
  };
}

/** `path: message` per zod issue; `(event)` stands for the root. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(event)"}: ${issue.message}`);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * An EventBridge event pattern: the fixed source and detail-type of one AWS event, plus filters
 * on its detail. Serialized by the trigger construct (a plain JSON string, or `jsonencode` when it
 * holds Terraform references).
 */
export interface EventPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Filters on an event's detail: a list of accepted values per field, nested like the detail. */
export type DetailFilter<D> = {
  readonly [K in keyof D]?: NonNullable<D[K]> extends string | number | boolean
    ? readonly NonNullable<D[K]>[]
    : DetailFilter<NonNullable<D[K]>>;
};

/** An AWS service event delivered by EventBridge: an {@link EventDefinition} that also builds its pattern. */
export interface AwsEventDefinition<D> extends EventDefinition<AwsEvent<D>> {
  readonly source: string;
  readonly detailType: string;
  /** The pattern matching this event, narrowed by `filter` (the definition's fixed detail fields come first). */
  pattern(filter?: DetailFilter<D>): EventPattern;
}

/** The EventBridge envelope fields a handler reads; the others pass through unchecked. */
export interface AwsEvent<D> {
  readonly source: string;
  readonly "detail-type": string;
  /** ISO 8601, one-second precision. */
  readonly time?: string;
  readonly resources?: readonly string[];
  readonly detail: D;
}

export interface AwsEventSpec<D> {
  readonly source: string;
  readonly detailType: string;
  /** Shape of `detail`. AWS adds fields over time, so object schemas should not be strict. */
  readonly detail: z.ZodType<D, z.ZodTypeDef, unknown>;
  /** Detail fields every pattern of this event filters on (e.g. the CloudTrail event name). */
  readonly fixedDetail?: DetailFilter<D>;
}

export function defineAwsEvent<D>(spec: AwsEventSpec<D>): AwsEventDefinition<D> {
  const schema = z
    .object({
      source: z.literal(spec.source),
      "detail-type": z.literal(spec.detailType),
      time: z.string().optional(),
      resources: z.array(z.string()).optional(),
      detail: spec.detail,
    })
    .passthrough() as unknown as z.ZodType<AwsEvent<D>, z.ZodTypeDef, unknown>;
  return {
    ...defineEvent(`${spec.source} "${spec.detailType}" event`, schema),
    source: spec.source,
    detailType: spec.detailType,
    pattern(filter) {
      const detail = { ...spec.fixedDetail, ...filter };
      return {
        source: [spec.source],
        "detail-type": [spec.detailType],
        ...(Object.keys(detail).length > 0 ? { detail } : {}),
      };
    },
  };
}
