/**
 * Inputs that never enter git (the staging ALB allowlist): a stack's Terraform variables without
 * a default must reach CI as `TF_VAR_<name>`, from one repository secret per environment,
 * `<NAME>_<ENV>` (`ALB_ALLOWED_CIDRS_STAGING`). One secret, not an environment secret: pull
 * request plans run without a GitHub environment, and the deploy must plan with the very value
 * the review planned with, or it would refuse the stack.
 *
 * A missing value fails before terraform runs, naming the secret to create, instead of
 * Terraform's "No value for required variable" in the middle of a plan.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Manifest } from "../shared/manifest";
import { environmentOf } from "../shared/stack-names";

interface StackVariables {
  variable?: Record<string, { type?: string; default?: unknown; description?: string }>;
}

/** The secret holding a variable's value for an environment: `ALB_ALLOWED_CIDRS_STAGING`. */
export function ciSecretName(variable: string, environment: string): string {
  const up = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return `${up(variable)}_${up(environment)}`;
}

/** Variables of a synthesized stack that have no default, so Terraform needs a value. */
export function requiredVariables(stackJson: StackVariables): string[] {
  return Object.entries(stackJson.variable ?? {})
    .filter(([, v]) => v.default === undefined)
    .map(([name]) => name)
    .sort();
}

/** One line per missing input of `stack`: the variable, the secret to create and an example. */
export function missingInputs(stack: string, stackJson: StackVariables, env: Readonly<Record<string, string | undefined>>): string[] {
  return requiredVariables(stackJson)
    .filter((name) => (env[`TF_VAR_${name}`] ?? "").trim() === "")
    .map((name) => {
      const type = stackJson.variable![name]!.type ?? "string";
      const example = /^(list|set)/.test(type) ? ` (a JSON list, e.g. ["203.0.113.10/32"])` : "";
      return (
        `${stack}: variable ${name} has no value in CI. Create the repository secret ${ciSecretName(name, environmentOf(stack))}${example} ` +
        `(Settings → Secrets and variables → Actions → New repository secret); the workflows pass it to Terraform as TF_VAR_${name}.`
      );
    });
}

/** Missing inputs of every listed stack of a synth output (empty when all are there). */
export function missingInputsOf(
  outdir: string,
  manifest: Manifest,
  stacks: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  return stacks.flatMap((stack) => {
    const s = manifest.stacks[stack];
    if (!s) throw new Error(`no stack named ${stack} in ${outdir}/manifest.json`);
    const json = JSON.parse(readFileSync(resolve(outdir, s.synthesizedStackPath), "utf8")) as StackVariables;
    return missingInputs(stack, json, env);
  });
}
