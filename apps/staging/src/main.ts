import { buildEnvironment, type EnvironmentStacks } from "@platform/layers";
import type { Construct } from "constructs";
import { staging } from "./config";

/** Adds every `staging-*` stack to the app. */
export function buildStaging(scope: Construct): EnvironmentStacks {
  return buildEnvironment(scope, staging);
}
