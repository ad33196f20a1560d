import { ConfigError } from "@platform/core";
import { resourcesOf, type SynthesizedStack } from "@platform/core/testing";

/** The attributes of the one resource of `type` whose logical ID starts with `<constructId>_`. */
export function resourceOf(json: SynthesizedStack, type: string, constructId: string): Record<string, unknown> {
  const matches = Object.entries(resourcesOf(json, type)).filter(([k]) => k.startsWith(`${constructId}_`));
  if (matches.length !== 1) throw new Error(`expected one ${type} under ${constructId}, found ${matches.length}`);
  return matches[0]![1];
}

/** Logical ID of the one resource or data source of `type` under `constructId`. */
export function logicalId(json: SynthesizedStack, type: string, constructId: string, kind: "resource" | "data" = "resource"): string {
  const byName = (kind === "data" ? json.data?.[type] : json.resource?.[type]) ?? {};
  const ids = Object.keys(byName).filter((k) => k.startsWith(`${constructId}_`));
  if (ids.length !== 1) throw new Error(`expected one ${type} under ${constructId}, found ${ids.length}`);
  return ids[0]!;
}

export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}
