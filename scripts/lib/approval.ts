/**
 * The approval gate: one decision, used by the pull-request review and recomputed by the deploy
 * from the fresh plan with main's code. A stack's plan needs an explicit approval when it
 * destroys or replaces a stateful resource (and, as the review learns more kinds, when an
 * update loses data).
 */
import { readPlan } from "./plan-json";
import { statefulChanges, summarizePlan, type StackSummary } from "./plan-summary";

export interface ApprovalReason {
  readonly stack: string;
  readonly address: string;
  /** One line a reviewer reads: what happens and what is lost. */
  readonly why: string;
}

/** Why this stack's plan needs an explicit approval; empty when it does not. */
export function approvalReasons(summary: StackSummary): ApprovalReason[] {
  return statefulChanges(summary).map((r) => ({
    stack: summary.stack,
    address: r.address,
    why: `${r.action} loses ${r.stateful}`,
  }));
}

/** The gate over a plan file (`terraform show -json`), for callers that hold only the file. */
export function approvalReasonsForPlanFile(stack: string, path: string): ApprovalReason[] {
  return approvalReasons(summarizePlan(stack, readPlan(path)));
}
