/**
 * Helpers for synth tests. Import from `@platform/core/testing`; production code never does.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, type App } from "cdktf";
import { synthesizeApp } from "./app";
import type { TerraformStack } from "cdktf";
import { defineEnvironment, type Environment, type EnvironmentConfig } from "./environment";
import { EnvironmentStack } from "./stack";

export * from "./cross-stack-contract";

/** Parsed `cdk.tf.json` of one stack. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly terraform?: Record<string, unknown>;
  readonly locals?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export const TEST_ENVIRONMENT_CONFIG: EnvironmentConfig = {
  project: "acme",
  name: "test",
  region: "ap-northeast-1",
  accountId: "123456789012",
  state: { bucket: "acme-tfstate-123456789012", lockTable: "acme-tflock" },
};

export function testEnvironment(overrides: Partial<EnvironmentConfig> = {}): Environment {
  return defineEnvironment({ ...TEST_ENVIRONMENT_CONFIG, ...overrides });
}

/** Name prefix of the prod-like test environment's resources (`<project>-<env>`). */
export const PROD_LIKE_NAME_PREFIX = "acme-prod";

/**
 * A stack of the prod-like test environment (project `acme`, environment `prod`, ap-northeast-1):
 * the one environment the packages' "prod-like" construct tests share, so their names read like
 * the seeds' production (`acme-prod-…`).
 */
export function prodLikeStack(layer: string, app: App = Testing.app()): EnvironmentStack {
  return new EnvironmentStack(app, { environment: testEnvironment({ name: "prod", region: "ap-northeast-1" }), layer });
}

/** IDs of valid format standing in for other stacks' outputs in construct tests (no account behind them). */
export const TEST_IDS = {
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
  securityGroupId: "sg-0123456789abcdef0",
} as const;

/** A fresh app and an `EnvironmentStack` for construct tests. */
export function testStack(layer = "unit", app: App = Testing.app()): EnvironmentStack {
  return new EnvironmentStack(app, { environment: testEnvironment(), layer });
}

/** Synthesizes a stack (with validations) and parses its JSON. */
export function synth(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
}

/** All resources of one type, keyed by their Terraform name. */
export function resourcesOf(json: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The attribute objects of all resources of one type. */
export function listResources(json: SynthesizedStack, type: string): Record<string, unknown>[] {
  return Object.values(resourcesOf(json, type));
}

/** The single resource of a type; throws when there are zero or several. */
export function onlyResource(json: SynthesizedStack, type: string): Record<string, unknown> {
  const all = listResources(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** All data sources of one type. */
export function listDataSources(json: SynthesizedStack, type: string): Record<string, unknown>[] {
  return Object.values(json.data?.[type] ?? {});
}

/**
 * Sorted `type.name` addresses of resources and data sources: the list a rename would change. A
 * resource a `moved` block renamed reads `<new> (moved from <old>)`, so the review sees it keeps its state.
 */
export function resourceAddresses(json: SynthesizedStack): string[] {
  // A renamed resource that keeps its state through a `moved` block shows where it came from.
  const movedFrom = new Map(((json.moved ?? []) as { from: string; to: string }[]).map((m) => [m.to, m.from]));
  const managed = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => {
      const address = `${type}.${name}`;
      const from = movedFrom.get(address);
      return from ? `${address} (moved from ${from})` : address;
    }),
  );
  const data = Object.entries(json.data ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `data.${type}.${name}`),
  );
  return [...managed, ...data].sort();
}

/**
 * Statements of an `aws_iam_policy_document`, found by its Terraform name or by the end of
 * its construct path (e.g. `"hello/permissions"`), so tests can assert actions and resources.
 */
export function policyStatements(json: SynthesizedStack, nameOrPath: string): Record<string, unknown>[] {
  const doc = findByNameOrPath(json.data?.aws_iam_policy_document ?? {}, nameOrPath);
  return (doc.statement as Record<string, unknown>[]) ?? [];
}

/** A resource of `type`, found by its Terraform name or by the end of its construct path. */
export function resourceAt(json: SynthesizedStack, type: string, nameOrPath: string): Record<string, unknown> {
  return findByNameOrPath(resourcesOf(json, type), nameOrPath);
}

function findByNameOrPath(
  byName: Record<string, Record<string, unknown>>,
  nameOrPath: string,
): Record<string, unknown> {
  if (byName[nameOrPath]) return byName[nameOrPath]!;
  // cdktf names an element after its construct path joined by "_" plus an 8-digit hash.
  const suffix = nameOrPath.split("/").join("_").replace(/[^A-Za-z0-9_-]/g, "");
  const pattern = new RegExp(`(^|_)${suffix}_[0-9A-F]{8}$`);
  const matches = Object.entries(byName).filter(([name]) => pattern.test(name));
  if (matches.length !== 1) {
    throw new Error(`expected one element at "${nameOrPath}", found ${matches.length} in ${Object.keys(byName).join(", ")}`);
  }
  return matches[0]![1];
}

/**
 * Replaces values that change between machines or builds (asset hashes and paths,
 * cdktf metadata) so snapshots only move when intent moves.
 */
export function scrubVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubVolatile);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === "//") continue;
      out[key] = scrubVolatile(v);
    }
    return out;
  }
  if (typeof value === "string") {
    return value
      .replace(/assets\/[^/"]+\/[0-9A-F]{32,}/gi, "assets/<asset>/<hash>")
      .replace(/\b[0-9A-F]{64}\b/g, "<hash>");
  }
  return value;
}

/** Each build function's synthesized stacks, so files of one test worker that synthesize the same app do it once. */
const synthesized = new WeakMap<(app: App) => void, Readonly<Record<string, SynthesizedStack>>>();

/** Freezes a parsed JSON value all the way down (shared synth results are read-only for every test). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Synthesizes an app exactly as `cdktf synth` would (cross-stack outputs and remote state
 * included) into a temporary folder, and returns every stack's parsed JSON by stack name.
 * The result is frozen and memoized per build function (the same function, e.g. `buildStaging`,
 * always builds the same app), so repeated synths of one app in a test worker cost nothing.
 */
export function synthAppStacks(build: (app: App) => void): Readonly<Record<string, SynthesizedStack>> {
  const cached = synthesized.get(build);
  if (cached) return cached;
  const outdir = mkdtempSync(join(tmpdir(), "platform-app-"));
  synthesizeApp(build, { outdir });
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const stacks = deepFreeze(
    Object.fromEntries(
      Object.entries(manifest.stacks).map(([name, s]) => [
        name,
        JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")) as SynthesizedStack,
      ]),
    ),
  );
  synthesized.set(build, stacks);
  return stacks;
}

/** Every object key anywhere in a JSON value (e.g. to prove no `password` attribute exists). */
export function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
  return [];
}

/**
 * Lookups across the stacks of one synthesized app: resources by construct path, and the exact
 * remote-state expression a consumer holds for a producer's attribute, so app tests assert
 * cross-stack wiring instead of copying strings.
 */
export class SynthesizedApp {
  constructor(readonly stacks: Readonly<Record<string, SynthesizedStack>>) {}

  /** One stack's JSON; throws for an unknown name. */
  readonly stack = (name: string): SynthesizedStack => {
    const json = this.stacks[name];
    if (!json) throw new Error(`no stack ${name}`);
    return json;
  };

  /** Terraform name of the resource at a construct path suffix (e.g. "groups/service"). */
  readonly nameAt = (json: SynthesizedStack, type: string, path: string): string => {
    const attrs = resourceAt(json, type, path);
    return Object.entries(resourcesOf(json, type)).find(([, v]) => v === attrs)![0];
  };

  /** `${type.name.attribute}` of the resource at a construct path suffix. */
  readonly ref = (json: SynthesizedStack, type: string, path: string, attribute: string): string =>
    `\${${type}.${this.nameAt(json, type, path)}.${attribute}}`;

  /**
   * What a consumer holds for `type.<path>.attribute` of `producer`: a remote-state lookup of the
   * producer's cross-stack output. Throws unless the producer exports exactly that expression once.
   */
  readonly remote = (producer: string, type: string, path: string, attribute: string): string => {
    const expression = this.ref(this.stack(producer), type, path, attribute);
    const outputs = Object.entries(this.stack(producer).output ?? {}).filter(
      ([name, o]) => name.startsWith("cross-stack-output-") && o.value === expression,
    );
    if (outputs.length !== 1) throw new Error(`${producer} exports ${expression} ${outputs.length} times`);
    return `\${data.terraform_remote_state.cross-stack-reference-input-${producer}.outputs.${outputs[0]![0]}}`;
  };

  /** A readable output's value; throws unless it exists, is not sensitive and is described. */
  readonly output = (stackName: string, name: string): unknown => {
    const o = this.stack(stackName).output?.[name];
    if (!o) throw new Error(`${stackName} has no output ${name}`);
    if (o.sensitive) throw new Error(`${stackName} output ${name} is sensitive; people cannot read it`);
    if (!o.description) throw new Error(`${stackName} output ${name} has no description`);
    return o.value;
  };
}
