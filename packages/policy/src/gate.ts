import { ConfigError, type ConfigIssue } from "@platform/core";
import { TerraformStack, type App } from "cdktf";
import { evaluatePolicy, passes, unwaived, type PolicyResult } from "./evaluate";
import type { PolicyInput, PolicyStack, StackJson, Waiver } from "./types";

/** One environment the pack checks, with its reviewed waivers. */
export interface PolicyTarget {
  /** Environment name; its stacks are `<name>-<layer>`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly production: boolean;
  readonly waivers?: readonly Waiver[];
}

export interface CheckOptions {
  /** `YYYY-MM-DD` for waiver expiry. @default today (UTC) */
  readonly today?: string;
}

/**
 * The synthesized JSON of every stack of `app`, without writing anything. cdktf's own synth
 * prepares each stack the same way (cross-stack outputs included) before it writes.
 */
export function collectStacks(app: App): PolicyStack[] {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  for (const stack of stacks) stack.prepareStack();
  return stacks.map((stack) => ({ name: stack.node.id, json: JSON.parse(JSON.stringify(stack.toTerraform())) as StackJson }));
}

/** Whether a metadata path belongs to another environment's construct (e.g. `bootstrap/github-prod/...`). */
function ownedByOther(path: unknown, others: readonly string[]): boolean {
  if (typeof path !== "string") return false;
  return path.split("/").slice(1).some((segment) => others.some((o) => segment === o || segment.endsWith(`-${o}`)));
}

/** An account stack (bootstrap) as one environment sees it: without the other environments' CI roles. */
function accountView(stack: PolicyStack, others: readonly string[]): PolicyStack {
  const filter = (blocks: StackJson["resource"]) =>
    Object.fromEntries(
      Object.entries(blocks ?? {}).map(([type, byName]) => [
        type,
        Object.fromEntries(
          Object.entries(byName).filter(([, body]) => !ownedByOther((body["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path, others)),
        ),
      ]),
    );
  return { name: stack.name, json: { ...stack.json, resource: filter(stack.json.resource), data: filter(stack.json.data) } };
}

/** The input of one environment: its `<env>-*` stacks plus the account stacks every environment shares. */
export function environmentInput(stacks: readonly PolicyStack[], target: PolicyTarget, targets: readonly PolicyTarget[]): PolicyInput {
  const others = targets.filter((t) => t.name !== target.name);
  const ownedBy = (s: PolicyStack, t: PolicyTarget) => s.name.startsWith(`${t.name}-`);
  return {
    environment: {
      name: target.name,
      accountId: target.accountId,
      region: target.region,
      production: target.production,
      otherAccounts: Object.fromEntries(others.map((t) => [t.name, t.accountId])),
    },
    stacks: [
      ...stacks.filter((s) => ownedBy(s, target)),
      ...stacks.filter((s) => !targets.some((t) => ownedBy(s, t))).map((s) => accountView(s, others.map((t) => t.name))),
    ],
  };
}

/** Runs the pack over every target environment. */
export function checkPolicy(stacks: readonly PolicyStack[], targets: readonly PolicyTarget[], options: CheckOptions = {}): PolicyResult[] {
  return targets.map((t) => evaluatePolicy(environmentInput(stacks, t, targets), { waivers: t.waivers ?? [], today: options.today }));
}

/** Thrown at synth when an environment has unwaived findings or bad waivers; lists every one. */
export class PolicyError extends ConfigError {
  readonly results: readonly PolicyResult[];

  constructor(results: readonly PolicyResult[]) {
    const issues: ConfigIssue[] = results.flatMap((r) => [
      ...unwaived(r).map((f) => ({ field: `${r.environment}: ${f.stack}/${f.resource}`, fix: `[${f.rule} ${f.severity}] ${f.message}` })),
      ...r.waiverErrors.map((e) => ({ field: `${r.environment}: waivers`, fix: e })),
    ]);
    super(issues);
    this.name = "PolicyError";
    this.message = `Policy check failed (${issues.length} problem${issues.length === 1 ? "" : "s"}; waive a staging relaxation in its config with a reason and an expiry, or fix it):\n${this.message.split("\n").slice(1).join("\n")}`;
    this.results = results;
  }
}

/** Throws a {@link PolicyError} unless every environment passes. */
export function assertPolicy(results: readonly PolicyResult[]): void {
  if (!results.every(passes)) throw new PolicyError(results);
}

/**
 * The check `synthesizeApp` runs before writing: pass it as `beforeWrite` so a policy
 * violation fails the synth with nothing written.
 */
export function policyGate(targets: readonly PolicyTarget[], options: CheckOptions = {}): (app: App) => void {
  return (app) => assertPolicy(checkPolicy(collectStacks(app), targets, options));
}
