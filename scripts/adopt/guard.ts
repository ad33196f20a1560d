/**
 * Never destroy data: an adoption whose produced plan destroys or replaces a stateful resource
 * (or loses data by update) is refused, naming every such resource. The same gate the review
 * and the deploy use (approval.ts), over the adoption's plans.
 */
import { approvalReasonsForPlanFile, type ApprovalReason } from "../review/approval";
import type { Adoption } from "./match";
import { statefulKind } from "../review/stateful";

/** Reasons to refuse (a stateful destroy or replace), over `terraform show -json` plan files keyed by stack. */
export function refusals(plans: ReadonlyMap<string, string>): ApprovalReason[] {
  return approvalsOf(plans).filter((r) => r.kind === "destroy");
}

/**
 * Everything else the approval gate asks about (data-losing updates such as objects expiring
 * sooner, removed prevent_destroy): not refused, since the plan asks for the reviewer's approval
 * as every other plan does, but listed with the refusals so nobody is surprised.
 */
export function approvalsOf(plans: ReadonlyMap<string, string>): ApprovalReason[] {
  return [...plans].flatMap(([stack, file]) => approvalReasonsForPlanFile(stack, file));
}

/** Before any plan: matched stateful resources whose immutable attributes differ (a replace waiting to happen). */
export function statefulReplacements(a: Adoption): string[] {
  return a.matched
    .filter((m) => m.immutable.length > 0 && statefulKind(m.ours.stack, m.ours.type))
    .map(
      (m) =>
        `${m.ours.stack} ${m.ours.address} (${m.live.unit}: ${m.live.address}) would be replaced, losing ${statefulKind(m.ours.stack, m.ours.type)}: ${m.immutable
          .map((i) => `${i.attribute} ${JSON.stringify(i.live)} → ${JSON.stringify(i.ours)}; set ${i.setting} = ${JSON.stringify(i.live)}`)
          .join("; ")}`,
    );
}
