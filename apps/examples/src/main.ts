import { defineEnvironment } from "@platform/core";
import type { Construct } from "constructs";
import { examples, type ExamplesConfig } from "./config";
import { SingleContainerExampleStack } from "./single-container-stack";
import { TwoBackendsExampleStack } from "./two-backends-stack";
import { AirflowExampleStack } from "./airflow-stack";

export interface ExampleStacks {
  readonly singleContainer: SingleContainerExampleStack;
  readonly twoBackends: TwoBackendsExampleStack;
  /** Only when `config.airflow` is set. */
  readonly airflow?: AirflowExampleStack;
}

/**
 * Adds the seed examples' stacks (`example-singlecontainer`, `example-twobackends`) to the app.
 * They are not part of `apps/main.ts`: `cdktf synth` stays the real environments only, and the
 * terraform tier synthesizes these on their own.
 */
export function buildExamples(scope: Construct, config: ExamplesConfig = examples): ExampleStacks {
  const environment = defineEnvironment(config.environment);
  return {
    singleContainer: new SingleContainerExampleStack(scope, environment, config.singleContainer),
    twoBackends: new TwoBackendsExampleStack(scope, environment, config.twoBackends),
    airflow: config.airflow ? new AirflowExampleStack(scope, environment, config.airflow) : undefined,
  };
}
