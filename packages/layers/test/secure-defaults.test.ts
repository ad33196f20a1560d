import { onlyResource, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildEnvironment, type EnvironmentLayersConfig } from "../src/index";
import { minimalConfig } from "./fixtures";

type Attrs = Record<string, any>;

/** The `app` container of the only service of an environment's compute stack. */
function appContainer(config: EnvironmentLayersConfig): Attrs {
  const compute = synthAppStacks((app) => buildEnvironment(app, config))["staging-compute"]!;
  const definition = onlyResource(compute, "aws_ecs_task_definition") as Attrs;
  return (JSON.parse(definition.container_definitions) as Attrs[]).find((c) => c.name === "app")!;
}

/*
 * An option the config leaves out takes the construct's default, which is the secure one; a
 * relaxation has to be written in the environment's config.ts.
 */
describe("secure defaults reach the stacks unless config.ts relaxes them", () => {
  it("mounts a service's root filesystem read-only when the config says nothing (the construct's default)", () => {
    expect(minimalConfig.compute.services.web!.readonlyRootFilesystem).toBeUndefined();
    expect(appContainer(minimalConfig).readonlyRootFilesystem).toBe(true);
  });

  it("mounts it writable only when the service says readonlyRootFilesystem: false", () => {
    const web = { ...minimalConfig.compute.services.web!, readonlyRootFilesystem: false };
    expect(appContainer({ ...minimalConfig, compute: { ...minimalConfig.compute, services: { web } } }).readonlyRootFilesystem).toBe(false);
  });
});
