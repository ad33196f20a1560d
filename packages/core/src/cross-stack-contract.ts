/**
 * The cross-stack contract of an app, read from what `cdktf synth` writes: which outputs each
 * producer exports for other stacks, who reads them, and which orderings are declared without
 * an output. Test-only (exported from `@platform/core/testing`).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { App } from "cdktf";
import { synthesizeApp } from "./app";
import { EnvironmentStack } from "./stack";

/** One output a producer exports for other stacks. */
export interface CrossStackOutput {
  /** Output name in the producer (what consumers' remote state reads). */
  readonly name: string;
  readonly producer: string;
  /** What it carries: the producer's expression without `${…}`, e.g. `aws_vpc.network_vpc_4E8F0223.id`. */
  readonly value: string;
  /** Stacks that read it, sorted. */
  readonly consumers: readonly string[];
}

/** An ordering declared with `EnvironmentStack.declareDependency`. */
export interface DeclaredStackDependency {
  readonly consumer: string;
  readonly producer: string;
  readonly reason: string;
}

/** What a review should see change: the committed `cross-stack-contract.json` of an app. */
export interface CrossStackContract {
  readonly outputs: readonly CrossStackOutput[];
  readonly dependencies: readonly DeclaredStackDependency[];
}

/** A `dependencies` entry of manifest.json: `consumer` deploys after `producer`. */
export interface ManifestEdge {
  readonly consumer: string;
  readonly producer: string;
}

export interface SynthesizedContract {
  readonly contract: CrossStackContract;
  /** Every stack ordering cdktf wrote to manifest.json, sorted. */
  readonly manifestEdges: readonly ManifestEdge[];
  /** Data source types per stack, to prove no stack looks region, partition or account up. */
  readonly dataSourceTypes: Readonly<Record<string, readonly string[]>>;
}

interface StackJson {
  readonly output?: Record<string, { value: unknown }>;
  readonly data?: Record<string, unknown>;
}

const CROSS_STACK_OUTPUT = "cross-stack-output-";
const REMOTE_STATE = "cross-stack-reference-input-";

/** Synthesizes `build` exactly as `cdktf synth` would (into a temporary folder) and reads its contract. */
export function synthesizeContract(build: (app: App) => void): SynthesizedContract {
  const outdir = mkdtempSync(join(tmpdir(), "platform-contract-"));
  const app = synthesizeApp(build, { outdir });
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string; dependencies: string[] }>;
  };
  const texts = Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, s]) => [name, readFileSync(join(outdir, s.synthesizedStackPath), "utf8")]),
  );
  const json = (name: string) => JSON.parse(texts[name]!) as StackJson;

  const consumersOf = new Map<string, Set<string>>();
  for (const [consumer, text] of Object.entries(texts)) {
    const pattern = new RegExp(`data\\.terraform_remote_state\\.${REMOTE_STATE}([A-Za-z0-9_-]+)\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
    for (const [, producer, output] of text.matchAll(pattern)) {
      const key = `${producer}\u0000${output}`;
      consumersOf.set(key, (consumersOf.get(key) ?? new Set()).add(consumer));
    }
  }

  const outputs: CrossStackOutput[] = [];
  for (const producer of Object.keys(texts).sort()) {
    for (const [name, o] of Object.entries(json(producer).output ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (!name.startsWith(CROSS_STACK_OUTPUT)) continue;
      const value = typeof o.value === "string" ? o.value.replace(/^\$\{(.*)\}$/s, "$1") : JSON.stringify(o.value);
      outputs.push({ name, producer, value, consumers: [...(consumersOf.get(`${producer}\u0000${name}`) ?? [])].sort() });
    }
  }

  const dependencies = app.node
    .findAll()
    .filter((c): c is EnvironmentStack => c instanceof EnvironmentStack)
    .flatMap((s) => s.declaredDependencies.map((d) => ({ consumer: s.stackName, producer: d.producer, reason: d.reason })))
    .sort((a, b) => a.consumer.localeCompare(b.consumer) || a.producer.localeCompare(b.producer));

  const manifestEdges = Object.entries(manifest.stacks)
    .flatMap(([consumer, s]) => s.dependencies.map((producer) => ({ consumer, producer })))
    .sort((a, b) => a.consumer.localeCompare(b.consumer) || a.producer.localeCompare(b.producer));

  const dataSourceTypes = Object.fromEntries(Object.keys(texts).map((name) => [name, Object.keys(json(name).data ?? {}).sort()]));

  return { contract: { outputs, dependencies }, manifestEdges, dataSourceTypes };
}

/** Data sources that would look up what the environment config already knows. */
export const ENVIRONMENT_LOOKUPS = ["aws_region", "aws_partition", "aws_caller_identity"] as const;

/**
 * Outputs whose value is a region, partition or account: those are config, known at synth,
 * and never travel between stacks.
 */
export function environmentOutputs(contract: CrossStackContract): CrossStackOutput[] {
  const lookup = new RegExp(`(^|[^A-Za-z0-9_])data\\.(${ENVIRONMENT_LOOKUPS.join("|")})\\.`);
  const attribute = /\.(region|partition|account_id|owner_id)$/;
  return contract.outputs.filter((o) => lookup.test(o.value) || attribute.test(o.value));
}

/** Manifest orderings that neither an output read nor a declared dependency explains. */
export function unexplainedEdges(result: SynthesizedContract): ManifestEdge[] {
  const { outputs, dependencies } = result.contract;
  return result.manifestEdges.filter(
    ({ consumer, producer }) =>
      !outputs.some((o) => o.producer === producer && o.consumers.includes(consumer)) &&
      !dependencies.some((d) => d.producer === producer && d.consumer === consumer),
  );
}
