import type { SynthesizedStack } from "@platform/core/testing";

/** Every object key anywhere in the JSON, with its dotted path. */
export function allKeys(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => allKeys(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...allKeys(v, `${path}.${k}`)]);
  }
  return [];
}

/** Keys that could carry a password; only the managed-password switch is allowed. */
export function passwordKeys(json: SynthesizedStack): string[] {
  return allKeys(json).filter((k) => /password/i.test(k.split(".").pop()!) && !k.endsWith(".manage_master_user_password"));
}
