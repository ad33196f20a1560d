import { buildEnvironment, type EnvironmentStacks } from "@platform/layers";
import type { Construct } from "constructs";
import { withAccountBoundary } from "@platform/accounts";
import { staging } from "./config";

/** Adds every `staging-*` stack to the app (under the shared account's boundary when confined). */
export function buildStaging(scope: Construct): EnvironmentStacks {
  return buildEnvironment(scope, withAccountBoundary(staging));
}
