import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Attributes of one resource as synthesized (Terraform JSON). */
export type Attributes = Readonly<Record<string, unknown>>;

/** One synthesized stack: its resources by type, then by local name. */
export interface SynthStack {
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly resources: Readonly<Record<string, Readonly<Record<string, Attributes>>>>;
}

/** Stacks are `<env>-<layer>`; a name without a hyphen (bootstrap) is account-wide. */
export function environmentOfStack(stack: string): string {
  if (stack.startsWith("bootstrap")) return "account";
  const i = stack.lastIndexOf("-");
  return i > 0 ? stack.slice(0, i) : "account";
}

/** Reads every `<outdir>/stacks/<name>/cdk.tf.json`. */
export function readSynthStacks(outdir: string): SynthStack[] {
  const root = join(outdir, "stacks");
  if (!existsSync(root)) throw new Error(`cost: ${root} does not exist; synthesize first (pnpm synth)`);
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, "cdk.tf.json")))
    .sort()
    .map((name) => stackFromJson(name, JSON.parse(readFileSync(join(root, name, "cdk.tf.json"), "utf8")) as Record<string, unknown>));
}

/** One stack from its Terraform JSON; the region is the default AWS provider's. */
export function stackFromJson(name: string, json: Record<string, unknown>): SynthStack {
  const providers = ((json.provider as Record<string, unknown> | undefined)?.aws ?? []) as Array<Record<string, unknown>>;
  const main = providers.find((p) => p.alias === undefined) ?? providers[0];
  const region = typeof main?.region === "string" ? main.region : "us-east-1";
  return { name, environment: environmentOfStack(name), region, resources: (json.resource ?? {}) as SynthStack["resources"] };
}
