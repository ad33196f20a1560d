/**
 * Consumers planned with their producers' PLANNED outputs: one implementation for the offline
 * check and for CI.
 *
 * A producer planned in the same run leaves its plan's outputs in a local state file: known
 * values as planned, unknown ones ("known after apply") as sentinel values of the right type and
 * AWS-like shape, each holding a recognizable token (`tfpending` + 8 hex digits). The consumer's
 * `terraform_remote_state` of that producer is switched to that file by an override file, so
 * the consumer plans what the deploy will do once the producer has applied, and an output added
 * in the same change exists already. After planning, `markPendingValues` turns every value of
 * the consumer's plan holding a token back into "known after apply" and records which producer
 * outputs were pending, so the review can say so and the deploy knows to re-plan after the
 * producer.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { mockOutputs, mockStateFile, type OutputChange, type ProviderSchema } from "./mock-outputs";
import type { PlanJson } from "./plan-json";
import { AWS_PROVIDER_VERSION, OFFLINE_ENV, runTerraform, type TerraformSetup } from "./terraform";

/** The override file that points remote states at planned outputs (removed when none is). */
export const REMOTE_STATE_OVERRIDE_FILE = "zz_planned_outputs_override.tf.json";

/** What a sentinel looks like inside any value: `sg-tfpending1a2b3c4d`, `arn:…:tfpending1a2b3c4d`. */
export const PENDING_TOKEN = /tfpending[0-9a-f]{8}/g;

/** A producer output whose value is known only after the producer applies. */
export interface PendingOutput {
  readonly producer: string;
  readonly output: string;
}

/** How a consumer's plan records what it waits for (top-level `platform_pending`). */
export interface PendingEntry extends PendingOutput {
  /** Resource addresses (and `output.<name>`) of the consumer whose planned values wait for it. */
  readonly addresses: readonly string[];
}

/** The consumer-plan fields this module adds. */
export interface PlanWithPending extends PlanJson {
  readonly platform_pending?: readonly PendingEntry[];
}

/** The sentinels of one run: which token stands for which producer output. */
export class PendingOutputs {
  private readonly byToken = new Map<string, PendingOutput>();
  /** Pending outputs whose unknown part is a number or bool: no token can mark them. */
  private readonly untracked: PendingOutput[] = [];

  /** The token of the n-th unknown string of a producer output (stable for the same inputs). */
  token(producer: string, output: string, n: number): string {
    const token = `tfpending${createHash("sha256").update(`${producer}\0${output}\0${n}`).digest("hex").slice(0, 8)}`;
    this.byToken.set(token, { producer, output });
    return token;
  }

  lookup(token: string): PendingOutput | undefined {
    return this.byToken.get(token);
  }

  markUntracked(pending: PendingOutput): void {
    this.untracked.push(pending);
  }

  untrackedOf(producer: string): readonly PendingOutput[] {
    return this.untracked.filter((p) => p.producer === producer);
  }
}

/** The parts of a synthesized `cdk.tf.json` read here. */
export interface StackConfigJson {
  provider?: Record<string, Array<Record<string, unknown>>>;
  data?: { terraform_remote_state?: Record<string, { backend: string; config: Record<string, unknown> }> };
  output?: Record<string, { value: unknown }>;
  [key: string]: unknown;
}

/** The region of a stack's default AWS provider (shapes mock ARNs). */
export function regionOf(json: StackConfigJson): string {
  return String(json.provider?.aws?.[0]?.region ?? "us-east-1");
}

/** The producer stack of a remote state: the file name of its state key. */
export function producerOf(config: Readonly<Record<string, unknown>>): string {
  const key = String(config.key ?? config.path ?? "");
  return basename(key).replace(/\.tfstate$/, "").replace(/^terraform\./, "");
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function anyTrue(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(anyTrue);
  if (isObject(mask)) return Object.values(mask).some(anyTrue);
  return false;
}

/**
 * A producer's outputs as its plan says they will be: known values as planned, unknown ones
 * replaced by sentinels registered in `pending`.
 */
export function plannedOutputValues(
  producer: string,
  plan: { readonly output_changes?: Readonly<Record<string, OutputChange>> },
  producerJson: StackConfigJson,
  schema: ProviderSchema,
  pending: PendingOutputs,
): Record<string, unknown> {
  const changes = plan.output_changes ?? {};
  const values = mockOutputs(changes, producerJson.output ?? {}, schema, regionOf(producerJson), (output, n) =>
    pending.token(producer, output, n),
  );
  for (const [output, change] of Object.entries(changes)) {
    const marked = JSON.stringify(values[output] ?? null).match(PENDING_TOKEN);
    if (anyTrue(change.after_unknown) && !marked) pending.markUntracked({ producer, output });
  }
  return values;
}

/** Writes the state file a consumer's remote state reads the planned outputs from. */
export function writePlannedOutputState(file: string, values: Readonly<Record<string, unknown>>): void {
  writeFileSync(file, mockStateFile(values));
}

/**
 * Points each `terraform_remote_state` whose producer has a state file (`stateFileOf`) at that
 * file with the local backend, through an override file in `dir`; the others keep their real
 * backend. Removes a stale override when nothing is redirected. Returns the producers redirected.
 */
export function writeRemoteStateOverride(
  dir: string,
  json: StackConfigJson,
  stateFileOf: (producer: string) => string | undefined,
): string[] {
  const file = join(dir, REMOTE_STATE_OVERRIDE_FILE);
  const redirected: string[] = [];
  const overrides: Record<string, unknown> = {};
  for (const [localName, ds] of Object.entries(json.data?.terraform_remote_state ?? {})) {
    const producer = producerOf(ds.config);
    const path = stateFileOf(producer);
    if (path === undefined) continue;
    overrides[localName] = { backend: "local", config: { path } };
    redirected.push(producer);
  }
  if (redirected.length === 0) {
    rmSync(file, { force: true });
    return [];
  }
  writeFileSync(file, JSON.stringify({ data: { terraform_remote_state: overrides } }, null, 2));
  return [...new Set(redirected)].sort();
}

type Found = Map<string, PendingOutput>;

/** `after` with every string holding a known token made unknown, and the matching mask. */
function rewrite(after: unknown, unknown: unknown, pending: PendingOutputs, found: Found): { after: unknown; unknown: unknown; hit: boolean } {
  if (unknown === true) return { after, unknown, hit: false };
  if (typeof after === "string") {
    const hits = (after.match(PENDING_TOKEN) ?? []).flatMap((t) => {
      const p = pending.lookup(t);
      return p ? [[t, p] as const] : [];
    });
    for (const [t, p] of hits) found.set(t, p);
    return hits.length > 0 ? { after: null, unknown: true, hit: true } : { after, unknown, hit: false };
  }
  if (Array.isArray(after)) {
    const masks = Array.isArray(unknown) ? unknown : [];
    const parts = after.map((v, i) => rewrite(v, masks[i] ?? false, pending, found));
    if (!parts.some((p) => p.hit)) return { after, unknown, hit: false };
    return { after: parts.map((p) => p.after), unknown: parts.map((p) => p.unknown ?? false), hit: true };
  }
  if (isObject(after)) {
    const masks = isObject(unknown) ? unknown : {};
    const parts = Object.entries(after).map(([k, v]) => [k, rewrite(v, masks[k] ?? false, pending, found)] as const);
    if (!parts.some(([, p]) => p.hit)) return { after, unknown, hit: false };
    const mask: Record<string, unknown> = { ...masks };
    for (const [k, p] of parts) if (p.unknown !== false && p.unknown !== undefined) mask[k] = p.unknown;
    return { after: Object.fromEntries(parts.map(([k, p]) => [k, p.after])), unknown: mask, hit: true };
  }
  return { after, unknown, hit: false };
}

/**
 * The consumer's plan with every planned value that holds a sentinel turned into "known after
 * apply" (`after` null, `after_unknown` true), and `platform_pending` listing the producer
 * outputs it waits for with the addresses concerned. A pending output of a type no token can
 * mark (number, bool) is listed, without addresses, when the consumer's configuration reads it.
 * Planned values, prior state and configuration are left as they are (`redactPlan` drops them).
 */
export function markPendingValues(plan: PlanJson, pending: PendingOutputs, consumerJson?: StackConfigJson): PlanWithPending {
  const byOutput = new Map<string, { producer: string; output: string; addresses: Set<string> }>();
  const note = (address: string, found: Found) => {
    for (const p of found.values()) {
      const key = `${p.producer}\0${p.output}`;
      const entry = byOutput.get(key) ?? { ...p, addresses: new Set<string>() };
      entry.addresses.add(address);
      byOutput.set(key, entry);
    }
  };
  const resourceChanges = (plan.resource_changes ?? []).map((rc) => {
    const found: Found = new Map();
    const r = rewrite(rc.change.after, rc.change.after_unknown, pending, found);
    if (!r.hit) return rc;
    note(rc.address, found);
    return { ...rc, change: { ...rc.change, after: r.after, after_unknown: r.unknown } };
  });
  const outputChanges = Object.fromEntries(
    Object.entries(plan.output_changes ?? {}).map(([name, o]) => {
      const found: Found = new Map();
      const r = rewrite(o.after, o.after_unknown, pending, found);
      if (!r.hit) return [name, o];
      note(`output.${name}`, found);
      return [name, { ...o, after: r.after, after_unknown: r.unknown }];
    }),
  );
  if (consumerJson) {
    const text = JSON.stringify({ ...consumerJson, data: { ...consumerJson.data, terraform_remote_state: undefined } });
    for (const [localName, ds] of Object.entries(consumerJson.data?.terraform_remote_state ?? {})) {
      for (const p of pending.untrackedOf(producerOf(ds.config))) {
        const key = `${p.producer}\0${p.output}`;
        if (text.includes(`data.terraform_remote_state.${localName}.outputs.${p.output}`) && !byOutput.has(key)) {
          byOutput.set(key, { ...p, addresses: new Set() });
        }
      }
    }
  }
  const platformPending: PendingEntry[] = [...byOutput.values()]
    .map((e) => ({ producer: e.producer, output: e.output, addresses: [...e.addresses].sort() }))
    .sort((a, b) => `${a.producer}\0${a.output}`.localeCompare(`${b.producer}\0${b.output}`));
  return {
    ...plan,
    resource_changes: resourceChanges,
    ...(plan.output_changes ? { output_changes: outputChanges } : {}),
    ...(platformPending.length > 0 ? { platform_pending: platformPending } : {}),
  };
}

function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Where the AWS provider schema is kept by default: one file per provider version, shared by
 * every offline check and test file of the checkout (fetching it costs a provider start).
 */
export const DEFAULT_SCHEMA_CACHE = resolve("node_modules", ".cache", "tf-schema");

/** The AWS provider schema, read once from an initialized stack and cached on disk. */
export class SchemaCache {
  private pending: Promise<ProviderSchema> | undefined;

  constructor(
    private readonly setup: TerraformSetup,
    private readonly cacheDir: string = DEFAULT_SCHEMA_CACHE,
  ) {}

  get(initializedDir: string): Promise<ProviderSchema> {
    this.pending ??= this.load(initializedDir);
    return this.pending;
  }

  private async load(dir: string): Promise<ProviderSchema> {
    const file = join(this.cacheDir, `aws-${AWS_PROVIDER_VERSION}-schema.json`);
    if (!existsSync(file)) {
      mkdirSync(this.cacheDir, { recursive: true });
      const out = await runTerraform(this.setup, dir, ["providers", "schema", "-json"], OFFLINE_ENV);
      if (out.code !== 0) throw new Error(`terraform providers schema failed: ${tail(out.stderr)}`);
      const all = JSON.parse(out.stdout) as {
        provider_schemas: Record<string, { resource_schemas: ProviderSchema["resources"] }>;
      };
      const aws = Object.entries(all.provider_schemas).find(([k]) => k.endsWith("hashicorp/aws"))?.[1];
      // Written aside and renamed: test files running at once share this cache.
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ resources: aws?.resource_schemas ?? {} }));
      renameSync(temp, file);
    }
    return JSON.parse(readFileSync(file, "utf8")) as ProviderSchema;
  }
}
