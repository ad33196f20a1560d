import { buildEnvironment, type EnvironmentStacks } from "@platform/layers";
import type { Construct } from "constructs";
import { withAccountBoundary } from "@platform/accounts";
import { prod } from "./config";

/** Adds every `prod-*` stack to the app (under the shared account's boundary only if prod does not own it). */
export function buildProd(scope: Construct): EnvironmentStacks {
  return buildEnvironment(scope, withAccountBoundary(prod));
}
