import { defineEnvironment } from "@platform/core";
import type { Construct } from "constructs";
import { examples, type ExamplesPlan } from "./config";
import { SingleContainerExampleStack } from "./single-container-stack";
import { TwoBackendsExampleStack } from "./two-backends-stack";
import { AirflowExampleStack } from "./airflow-stack";

export interface ExampleStacks {
  readonly singleContainer: SingleContainerExampleStack;
  readonly twoBackends: TwoBackendsExampleStack;
  /** Only when `plan.airflow` is set. */
  readonly airflow?: AirflowExampleStack;
}

/**
 * Adds the seed examples' stacks (`example-single-container`, `example-two-backends`) to the app.
 * They are not part of `apps/main.ts`: `cdktf synth` stays the real environments only, and the
 * terraform tier synthesizes these on their own.
 */
export function buildExamples(scope: Construct, plan: ExamplesPlan = examples): ExampleStacks {
  const environment = defineEnvironment(plan.environment);
  return {
    singleContainer: new SingleContainerExampleStack(scope, environment, plan.singleContainer),
    twoBackends: new TwoBackendsExampleStack(scope, environment, plan.twoBackends),
    airflow: plan.airflow ? new AirflowExampleStack(scope, environment, plan.airflow) : undefined,
  };
}
