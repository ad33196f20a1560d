/**
 * Synth-time checks for EventBridge Scheduler cron expressions and time zones, so a typo
 * fails `cdktf synth` instead of `terraform apply` (the provider does not parse cron).
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Extra single tokens allowed in this field (`?`, `L`, `LW`). */
  readonly specials?: readonly string[];
  readonly extra?: RegExp;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31, specials: ["?", "L", "LW"], extra: /^([1-9]|[12]\d|3[01])W$/ },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 1, max: 7, names: DAYS, specials: ["?", "L"], extra: /^[1-7](L|#[1-5])$/ },
  { name: "year", min: 1970, max: 2199 },
];

export const CRON_FORMAT = "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. cron(0 22 ? * MON-FRI *)";

/**
 * Returns why `expression` is not an EventBridge Scheduler cron expression, or undefined
 * when it is one. Follows the Scheduler rules: six fields, and exactly one of day-of-month
 * and day-of-week is `?`.
 */
export function cronProblem(expression: string): string | undefined {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) return "must be written cron(...)";
  const parts = match[1]!.trim().split(/\s+/);
  if (parts.length !== 6) return `has ${parts.length} field(s), needs 6`;
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = fieldProblem(FIELDS[i]!, parts[i]!.toUpperCase());
    if (problem) return `${FIELDS[i]!.name} "${parts[i]}" ${problem}`;
  }
  const dom = parts[2]!;
  const dow = parts[4]!;
  if ((dom === "?") === (dow === "?")) {
    return "needs exactly one of day-of-month and day-of-week to be ?";
  }
  return undefined;
}

function fieldProblem(field: CronField, text: string): string | undefined {
  if (field.specials?.includes(text)) return undefined;
  for (const item of text.split(",")) {
    if (item === "") return "has an empty list item";
    if (field.specials?.includes(item)) return `may use ${item} only alone`;
    if (field.extra?.test(item)) continue;
    const [range, step, ...rest] = item.split("/");
    if (rest.length > 0) return "has more than one /";
    if (step !== undefined && !/^\d+$/.test(step)) return `has a step "${step}" that is not a number`;
    if (step !== undefined && Number(step) < 1) return "has a step of 0";
    if (range === "*") continue;
    const bounds = range!.split("-");
    if (bounds.length > 2) return `has a malformed range "${range}"`;
    const values = bounds.map((b) => valueOf(field, b));
    if (values.some((v) => v === undefined)) {
      return `is outside ${field.min}-${field.max}${field.names ? ` (or ${field.names[0]}-${field.names.at(-1)})` : ""}`;
    }
  }
  return undefined;
}

function valueOf(field: CronField, text: string): number | undefined {
  const index = field.names?.indexOf(text) ?? -1;
  if (index >= 0) return field.min + index;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

/**
 * True for IANA zone names this Node.js knows (`Intl.supportedValuesOf`), plus `UTC`
 * and `Etc/UTC`, which Scheduler accepts but the canonical list omits.
 */
export function isKnownTimeZone(zone: string): boolean {
  return zone === "UTC" || zone === "Etc/UTC" || Intl.supportedValuesOf("timeZone").includes(zone);
}
