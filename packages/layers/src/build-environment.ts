import { defineEnvironment, type Environment } from "@platform/core";
import type { Construct } from "constructs";
import { NetworkStack } from "./network-stack";
import type { EnvironmentPlan } from "./plan";

/** The stacks of one environment, by layer. */
export interface EnvironmentStacks {
  readonly environment: Environment;
  readonly network: NetworkStack;
}

/**
 * Builds every stack of one environment from its plan. Producers are built before
 * consumers and hand them typed refs; cdktf turns each ref into an output of the producer
 * and a `terraform_remote_state` lookup in the consumer (Terragrunt's `dependency` blocks).
 */
export function buildEnvironment(scope: Construct, plan: EnvironmentPlan): EnvironmentStacks {
  const environment = defineEnvironment(plan.environment);
  const network = new NetworkStack(scope, environment, plan.network);
  return { environment, network };
}
