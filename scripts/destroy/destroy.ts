/**
 * Tearing an environment down: `terraform destroy` stack by stack in REVERSE deploy waves
 * (consumers before the producers whose outputs they read), then what Terraform never owned:
 * the DATABASE_URL parameter the publisher Lambda wrote.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DeleteParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { deployWaves, type Manifest } from "../shared/manifest";
import { environmentOf } from "../shared/stack-names";

/** How an environment's config treats teardown (`EnvironmentPlan.teardown`). */
export type TeardownMode = "allowed" | "protected";

/**
 * Why a destroy of `environment` must not start, or undefined when it may. A `"protected"`
 * environment (prod, and every environment that does not say `teardown: "allowed"`) needs the
 * operator to type its name: `--confirm <environment>`. A plan (`--plan`) destroys nothing and
 * needs no confirmation.
 */
export function destroyRefusal(environment: string, teardown: TeardownMode | undefined, options: { readonly confirm?: string; readonly planOnly: boolean }): string | undefined {
  if (teardown === undefined) return `no environment named ${environment} in the apps' configs`;
  if (options.planOnly || teardown === "allowed") return undefined;
  if (options.confirm === environment) return undefined;
  return (
    `${environment} is protected (its config does not set teardown: "allowed"): destroying it deletes its data. ` +
    `Read docs/runbooks/teardown.md, run \`pnpm destroy ${environment} --plan\` first, then confirm by typing its name: ` +
    `\`pnpm destroy ${environment} --confirm ${environment}\`` +
    (options.confirm !== undefined ? ` (got --confirm ${JSON.stringify(options.confirm)})` : "")
  );
}

/**
 * The environment's stacks in destroy order: its deploy waves reversed, so every consumer goes
 * before the producers it reads (and declared dependencies are honoured the same way). Stacks on
 * local state (bootstrap) are never part of an environment's teardown.
 */
export function destroyWaves(manifest: Pick<Manifest, "stacks">, environment: string, exclude: ReadonlySet<string> = new Set()): string[][] {
  const mine = new Set(Object.keys(manifest.stacks).filter((s) => environmentOf(s) === environment && !exclude.has(s)));
  return deployWaves(manifest.stacks)
    .map((wave) => wave.filter((s) => mine.has(s)))
    .filter((wave) => wave.length > 0)
    .reverse();
}

/**
 * The SSM parameters a stack's Lambda writes outside Terraform: the `database_url_parameter`
 * output of the `<env>-database` stack (a literal in its synthesized JSON).
 */
export function lambdaWrittenParameters(outdir: string, manifest: Pick<Manifest, "stacks">, environment: string): string[] {
  const stack = manifest.stacks[`${environment}-database`];
  if (!stack) return [];
  const json = JSON.parse(readFileSync(resolve(outdir, stack.synthesizedStackPath), "utf8")) as { output?: Record<string, { value?: unknown }> };
  const value = json.output?.database_url_parameter?.value;
  return typeof value === "string" && value.startsWith("/") ? [value] : [];
}

/**
 * Deletes the parameters (an absent one is fine: the destroy may be re-run). With `dryRun`, only
 * prints what it would delete.
 */
export async function removeLambdaWrites(
  ssm: Pick<SSMClient, "send">,
  names: readonly string[],
  options: { readonly dryRun: boolean; readonly log: (line: string) => void },
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of names) {
    if (options.dryRun) {
      options.log(`would delete SSM parameter ${name} (written by the DATABASE_URL publisher, outside Terraform)`);
      continue;
    }
    try {
      await ssm.send(new DeleteParameterCommand({ Name: name }));
      options.log(`deleted SSM parameter ${name}`);
      removed.push(name);
    } catch (error) {
      if ((error as { name?: string }).name === "ParameterNotFound") {
        options.log(`SSM parameter ${name} is already gone`);
        continue;
      }
      throw error;
    }
  }
  return removed;
}

/** `terraform` arguments of one stack's step: a saved destroy plan, or the destroy itself. */
export function destroyArgs(planOnly: boolean): string[] {
  return planOnly
    ? ["plan", "-destroy", "-input=false", "-no-color", "-lock-timeout=5m", "-out=tfplan-destroy"]
    : ["destroy", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=10m"];
}

/** The "N to destroy" of a plan or destroy run's output, for the summary line. */
export function destroyedCount(output: string): number | undefined {
  const m = /(\d+) to destroy|Resources: (\d+) destroyed/.exec(output);
  return m ? Number(m[1] ?? m[2]) : /No changes/.test(output) ? 0 : undefined;
}
