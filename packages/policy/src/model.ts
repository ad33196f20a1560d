import type { PolicyInput, PolicyStack, StackJson, Violation } from "./types";

/** One resource of one stack, as rules see it. */
export interface ResourceRef {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** `type.name`, the address inside the stack. */
  readonly address: string;
  readonly values: Record<string, unknown>;
}

/** Every resource of `type` across the environment's stacks. */
export function resources(input: PolicyInput | readonly PolicyStack[], type: string): ResourceRef[] {
  const stacks = "stacks" in input ? input.stacks : input;
  return stacks.flatMap((s) =>
    Object.entries(s.json.resource?.[type] ?? {}).map(([name, values]) => ({
      stack: s.name,
      type,
      name,
      address: `${type}.${name}`,
      values,
    })),
  );
}

/** The stack JSON a resource came from. */
export function stackOf(input: PolicyInput, ref: { stack: string }): StackJson {
  return input.stacks.find((s) => s.name === ref.stack)?.json ?? {};
}

/** The environment config path a fix names, e.g. `prod.database.deletionProtection`. */
export function setting(input: PolicyInput, path: string): string {
  return `${input.environment.name}.${path}`;
}

/** A finding on `ref`. */
export function violation(ref: { stack: string; address: string }, message: string): Violation {
  return { stack: ref.stack, resource: ref.address, message };
}

/** Whether `value` (any attribute, nested) references resource `ref` in its stack or through a cross-stack output. */
export function references(value: unknown, ref: { type: string; name: string }): boolean {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  return text.includes(`${ref.type}.${ref.name}.`) || text.includes(`cross-stack-output-${ref.type}${ref.name}`);
}

/** The resources of `type` in the same stack whose `attribute` references `target`. */
export function attached(input: PolicyInput, target: ResourceRef, type: string, attribute = "bucket"): ResourceRef[] {
  return resources(input, type).filter((r) => r.stack === target.stack && references(r.values[attribute], target));
}

/** `value` as an array: Terraform JSON writes single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  if (value && typeof value === "object") return [value as Record<string, unknown>];
  return [];
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function num(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** Container definitions of a task definition (a JSON string in Terraform). */
export function containers(taskDefinition: ResourceRef): Record<string, unknown>[] {
  const raw = taskDefinition.values.container_definitions;
  if (typeof raw !== "string") return blocks(raw);
  try {
    return blocks(JSON.parse(raw));
  } catch {
    return [];
  }
}
