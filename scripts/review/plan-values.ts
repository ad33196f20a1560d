/**
 * Attribute values as a reviewer reads them (`true → false`, `256 → 512`): one line, cut to a
 * sane length. Callers pass only values that no sensitive mark covers; anything that still
 * looks like the redaction marker is shown as `(sensitive)`.
 */

/** Longest value shown; longer ones end in `…`. */
export const MAX_VALUE_CHARS = 80;

export const SENSITIVE_TEXT = "(sensitive)";
export const UNKNOWN_TEXT = "(known after apply)";

/** `"text"`, `42`, `true`, `null`, or compact JSON for lists and objects; cut at `max` characters. */
export function formatValue(value: unknown, max = MAX_VALUE_CHARS): string {
  if (typeof value === "string" && value.startsWith("(sensitive")) return SENSITIVE_TEXT;
  const text = value === undefined || value === null ? "null" : JSON.stringify(value) ?? String(value);
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}
