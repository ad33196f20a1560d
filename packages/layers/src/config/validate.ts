import { ConfigError, cidrsOverlap, editDistance, isValidCidr, type ConfigIssue } from "@platform/core";
import type { ZodError, ZodIssue, ZodTypeAny } from "zod";
import type { EnvironmentLayersConfig } from "../environment-config";
import { environmentRuleIssues } from "./rules";
import { KNOWN_KEYS_MARK, environmentConfigSchema } from "./schema";

/**
 * Validates one environment's whole config in one pass (shape, then rules) and returns every
 * issue, each with a config path `<env>.<path>`.
 */
export function environmentConfigIssues(config: EnvironmentLayersConfig): ConfigIssue[] {
  const envName = typeof config?.environment?.name === "string" && config.environment.name ? config.environment.name : "?";
  const shape = schemaIssues(environmentConfigSchema, config, envName);
  return inLayerOrder(mergeIssues(shape, environmentRuleIssues(config)), envName);
}

const LAYER_ORDER = Object.keys(environmentConfigSchema.shape);

/** Issues sorted by layer, in the order config.ts lists them (stable within a layer). */
function inLayerOrder(issues: ConfigIssue[], envName: string): ConfigIssue[] {
  const rank = (issue: ConfigIssue) => {
    const layer = issue.field.slice(envName.length + 1).split(/[.[]/)[0]!;
    const index = LAYER_ORDER.indexOf(layer);
    return index < 0 ? LAYER_ORDER.length : index;
  };
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => rank(a.issue) - rank(b.issue) || a.i - b.i).map((x) => x.issue);
}

/**
 * Rules across environments that are built together: distinct names, and VPC blocks that do not
 * overlap (peering, VPN or a shared transit gateway would otherwise be impossible, and a copy-paste
 * of staging's block into prod goes unnoticed).
 */
export function crossEnvironmentIssues(configs: readonly EnvironmentLayersConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, EnvironmentLayersConfig>();
  for (const config of configs) {
    const name = config.environment?.name;
    const other = seen.get(name);
    if (other) {
      issues.push({ field: `${name}.environment.name`, value: name, fix: "is used by two environments; every environment needs its own name (stacks are named <env>-<layer>)." });
      continue;
    }
    for (const [otherName, earlier] of seen) {
      const a = config.network?.vpcCidr;
      const b = earlier.network?.vpcCidr;
      if (typeof a === "string" && typeof b === "string" && isValidCidr(a) && isValidCidr(b) && cidrsOverlap(a, b)) {
        issues.push({
          field: `${name}.network.vpcCidr`,
          value: a,
          fix: `${a === b ? "equals" : "overlaps"} ${otherName}.network.vpcCidr (${b}); give every environment its own block (e.g. 10.0.0.0/16 for staging, 10.1.0.0/16 for prod).`,
        });
      }
    }
    seen.set(name, config);
  }
  return issues;
}

/** Throws one ConfigError listing every problem of every environment given, and of them together. */
export function assertValidEnvironments(configs: readonly EnvironmentLayersConfig[], extra: readonly ConfigIssue[] = []): void {
  const issues = [...configs.flatMap(environmentConfigIssues), ...crossEnvironmentIssues(configs), ...extra];
  if (issues.length > 0) throw new ConfigError(issues);
}

/** Zod issues of `input` against `schema` as ConfigIssues under `prefix`. */
export function schemaIssues(schema: ZodTypeAny, input: unknown, prefix: string): ConfigIssue[] {
  const result = schema.safeParse(input);
  return result.success ? [] : toConfigIssues(result.error, input, prefix);
}

function toConfigIssues(error: ZodError, input: unknown, prefix: string): ConfigIssue[] {
  return error.issues.flatMap((issue) => convert(issue, input, prefix));
}

function convert(issue: ZodIssue, input: unknown, prefix: string): ConfigIssue[] {
  const field = renderPath(prefix, issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = issue.message.startsWith(KNOWN_KEYS_MARK) ? issue.message.slice(KNOWN_KEYS_MARK.length).split(", ") : [];
      return issue.keys.map((key) => {
        const close = suggestions(key, known);
        return {
          field: renderPath(prefix, [...issue.path, key]),
          value: valueAt(input, [...issue.path, key]),
          fix: `is not a setting here${close.length > 0 ? `; did you mean "${close[0]}"?` : "; remove it."} (known: ${known.join(", ")})`,
        };
      });
    }
    case "invalid_union": {
      // The branch that got furthest (no mismatch at the union's own path) explains the mistake best.
      const depth = issue.path.length;
      const branch = issue.unionErrors.find((e) => e.issues.every((i) => i.path.length > depth || i.code === "unrecognized_keys"));
      if (branch) return toConfigIssues(branch, input, prefix);
      return [{ field, value, fix: issue.message }];
    }
    case "invalid_type":
      return [{ field, value, fix: issue.received === "undefined" ? `is required (${issue.expected}).` : `must be ${article(issue.expected)}, not ${issue.received}.` }];
    case "invalid_enum_value":
      return [{ field, value, fix: `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}.` }];
    case "invalid_literal":
      return [{ field, value, fix: `must be ${JSON.stringify(issue.expected)}.` }];
    case "invalid_union_discriminator":
      return [{ field, value, fix: `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}.` }];
    case "too_small":
      return [{ field, value, fix: issue.type === "array" ? `needs at least ${issue.minimum} item(s).` : `must be at least ${issue.minimum}.` }];
    case "too_big":
      return [{ field, value, fix: issue.type === "array" ? `takes at most ${issue.maximum} item(s).` : `must be at most ${issue.maximum}.` }];
    default:
      return [{ field, value, fix: issue.message.endsWith(".") ? issue.message : `${issue.message}.` }];
  }
}

/** Known keys a misspelt key probably meant: same letters in another case, an abbreviation, or a small typo. */
function suggestions(key: string, known: readonly string[]): string[] {
  const lower = key.toLowerCase();
  const isAbbreviation = (k: string) => {
    let i = 0;
    for (const ch of k.toLowerCase()) if (ch === lower[i]) i++;
    return i === lower.length;
  };
  return [
    ...known.filter((k) => k.toLowerCase() === lower),
    ...known.filter((k) => k.toLowerCase() !== lower && isAbbreviation(k)),
    ...known.filter((k) => !isAbbreviation(k) && editDistance(k.toLowerCase(), lower) <= 2),
  ];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function renderPath(prefix: string, path: readonly (string | number)[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : `${out}.${part}`), prefix);
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/**
 * Shape issues first; a rule issue is dropped when the shape already reported its field (a
 * wrong type makes the rule's message noise), and exact duplicates are dropped.
 */
function mergeIssues(shape: ConfigIssue[], rules: ConfigIssue[]): ConfigIssue[] {
  const typed = new Set(shape.map((i) => i.field));
  const out: ConfigIssue[] = [...shape];
  const seen = new Set(shape.map((i) => `${i.field}|${i.fix}`));
  for (const issue of rules) {
    const key = `${issue.field}|${issue.fix}`;
    if (typed.has(issue.field) || seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}
