import { buildEnvironment, type EnvironmentStacks } from "@platform/layers";
import type { Construct } from "constructs";
import { prod } from "./config";

/** Adds every `prod-*` stack to the app. */
export function buildProd(scope: Construct): EnvironmentStacks {
  return buildEnvironment(scope, prod);
}
