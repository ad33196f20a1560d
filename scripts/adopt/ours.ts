/** The resources an environment's synthesized stacks (`cdktf.out`) would create. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readManifest } from "../shared/manifest";
import type { Attributes } from "./rules";

export interface OurResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  /** `type.name`, the address in the stack's state. */
  readonly address: string;
  /** The construct path (cdk.tf.json metadata). */
  readonly path: string;
  /** The synthesized arguments; references stay `${…}` strings. */
  readonly config: Attributes;
  /** A `count`/`for_each` resource: its instances' keys are known only at plan. */
  readonly repeated: boolean;
}

export interface OurStack {
  readonly name: string;
  readonly dir: string;
  readonly resources: readonly OurResource[];
  /** Output name → its value expression, for resolving other stacks' remote-state reads. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value?: unknown }>;
}

/** The `<env>-*` stacks of a synth output, with their resources. */
export function readOurStacks(outdir: string, env: string): OurStack[] {
  const manifest = readManifest(outdir);
  const stacks: OurStack[] = [];
  for (const [name, entry] of Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.startsWith(`${env}-`)) continue;
    const dir = join(outdir, entry.workingDirectory ?? `stacks/${name}`);
    const file = join(dir, "cdk.tf.json");
    if (!existsSync(file)) throw new Error(`${file}: missing; synthesize first (pnpm synth)`);
    const json = JSON.parse(readFileSync(file, "utf8")) as StackJson;
    const resources: OurResource[] = [];
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [rname, config] of Object.entries(byName)) {
        const meta = (config["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
        resources.push({
          stack: name,
          type,
          name: rname,
          address: `${type}.${rname}`,
          path: meta?.path ?? `${name}/${rname}`,
          config,
          repeated: config.for_each !== undefined || config.count !== undefined,
        });
      }
    }
    const outputs = Object.fromEntries(Object.entries(json.output ?? {}).map(([k, o]) => [k, o.value]));
    stacks.push({ name, dir, resources, outputs });
  }
  if (stacks.length === 0) throw new Error(`no stacks named ${env}-* in ${outdir}/manifest.json`);
  return stacks;
}
