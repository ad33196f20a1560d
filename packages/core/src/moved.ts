import { TerraformStack, type TerraformResource } from "cdktf";
// cdktf's own address hashing (private in name only; cdktf 0.21 is frozen): a former address is
// computed the way cdktf computed it, never copied by hand from a plan.
import { makeUniqueId } from "cdktf/lib/private/unique";
import type { Construct } from "constructs";

/**
 * Keeps a resource's state when a refactor moved it to a new construct path: emits a `moved`
 * block from the address it had as child `formerId` of `formerParent`. Terraform then renames
 * the state entry instead of destroying the resource and creating it again. Nothing is emitted
 * when the address did not change.
 */
export function movedFrom(resource: TerraformResource, formerParent: Construct, formerId: string): void {
  const stack = TerraformStack.of(resource);
  const scopes = formerParent.node.scopes;
  const below = scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id);
  const former = `${resource.terraformResourceType}.${makeUniqueId([...below, formerId])}`;
  const current = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
  if (former !== current) resource.moveFromId(former);
}
