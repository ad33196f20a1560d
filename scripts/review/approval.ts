/**
 * The approval gate: one decision, used by the pull-request review and recomputed by the deploy
 * from the fresh plan with main's code. A stack's plan needs an explicit approval when it
 * destroys or replaces a stateful resource, when an update loses data (deletion protection
 * off, backups shortened, objects expiring sooner, …; see data-loss.ts), or when the change
 * removes a resource's `lifecycle.prevent_destroy`.
 */
import type { Finding } from "./data-loss";
import { readPlan } from "../shared/plan-json";
import { statefulChanges, summarizePlan, type StackSummary, type SummaryOptions } from "./plan-summary";

export type ApprovalKind = "destroy" | "data-loss" | "prevent-destroy-removed";

export interface ApprovalReason {
  readonly stack: string;
  readonly address: string;
  /** One line a reviewer reads: what happens and what is lost. */
  readonly why: string;
  /** Which rule asks: a stateful destroy/replace, a data-losing update, a removed guard. */
  readonly kind: ApprovalKind;
  /** For a data-losing update: the attribute and its values. */
  readonly finding?: Finding;
}

/** Why this stack's plan needs an explicit approval; empty when it does not. */
export function approvalReasons(summary: StackSummary): ApprovalReason[] {
  const reasons: ApprovalReason[] = statefulChanges(summary).map((r) => ({
    stack: summary.stack,
    address: r.address,
    why: `${r.action} loses ${r.stateful}`,
    kind: "destroy",
  }));
  for (const r of summary.resources) {
    for (const f of r.dataLoss) {
      reasons.push({ stack: summary.stack, address: r.address, why: `${f.what}: ${f.path} ${f.before} → ${f.after}`, kind: "data-loss", finding: f });
    }
  }
  reasons.push(...preventDestroyReasons(summary.stack, summary.preventDestroyRemoved));
  return reasons;
}

/**
 * The reasons for removed `prevent_destroy` guards (from `pnpm changed-stacks`), also for a
 * stack that has no plan here (bootstrap is applied by hand, yet its guards count).
 */
export function preventDestroyReasons(stack: string, addresses: readonly string[]): ApprovalReason[] {
  return addresses.map((address) => ({
    stack,
    address,
    why: "lifecycle.prevent_destroy removed: a later plan can destroy it without Terraform refusing",
    kind: "prevent-destroy-removed" as const,
  }));
}

/** The gate over a plan file (`terraform show -json`), for callers that hold only the file. */
export function approvalReasonsForPlanFile(stack: string, path: string, options: SummaryOptions = {}): ApprovalReason[] {
  return approvalReasons(summarizePlan(stack, readPlan(path), options));
}
