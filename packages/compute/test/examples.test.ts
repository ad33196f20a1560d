import { listResources, resourceAt, resourcesOf, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildProdLikeExample, buildSingleContainerExample, buildStagingLikeExample, buildTwoBackendsExample } from "../examples/index";
import { CERTIFICATE_ARN, SINGLE_CONTAINER_REFS, TWO_BACKENDS_REFS, WEB_AND_API_REFS, containerDefinitions } from "./fixtures";

describe("single-container example (seed 004: Streamlit + FastAPI, EFS cache)", () => {
  const stack = testStack("examples");
  buildSingleContainerExample(stack, SINGLE_CONTAINER_REFS);
  const json = synth(stack);
  const [container] = containerDefinitions(json, "app/task-definition");

  it("runs one 1 vCPU / 2 GB container listening on 8501 and 8000", () => {
    expect(resourceAt(json, "aws_ecs_task_definition", "app/task-definition")).toMatchObject({ cpu: "1024", memory: "2048" });
    expect(container!.portMappings).toEqual([
      { name: "api", containerPort: 8000, hostPort: 8000, protocol: "tcp" },
      { name: "ui", containerPort: 8501, hostPort: 8501, protocol: "tcp" },
    ]);
    expect(container!.image).toBe("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/weather-comment-generator:v2.3.0");
  });

  it("injects each API key from the Secrets Manager JSON secret, none as plain environment", () => {
    const arn = SINGLE_CONTAINER_REFS.apiKeysSecretArn;
    expect(container!.secrets).toEqual(
      ["ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENAI_API_KEY", "WXTECH_API_KEY"].map((name) => ({ name, valueFrom: `${arn}:${name}::` })),
    );
    expect(container!.environment.map((e: { name: string }) => e.name)).toEqual(["ENV", "MAX_PARALLEL_WORKERS"]);
  });

  it("mounts the encrypted EFS cache at /app/cache with transit encryption, IA after 30 days", () => {
    expect(container!.mountPoints).toContainEqual({ sourceVolume: "cache", containerPath: "/app/cache", readOnly: false });
    const volume = (resourceAt(json, "aws_ecs_task_definition", "app/task-definition").volume as Record<string, any>[]).find((v) => v.name === "cache");
    expect(volume!.efs_volume_configuration).toMatchObject({ transit_encryption: "ENABLED", authorization_config: { iam: "ENABLED" } });
    const fs = resourceAt(json, "aws_efs_file_system", "cache/file-system");
    expect(fs.encrypted).toBe(true);
    expect(fs.lifecycle_policy).toContainEqual({ transition_to_ia: "AFTER_30_DAYS" });
  });

  it("sends HTTPS traffic to port 8501 and health-checks /", () => {
    const tg = resourceAt(json, "aws_lb_target_group", "app/target-group");
    expect(tg.port).toBe(8501);
    expect(tg.health_check).toMatchObject({ path: "/", interval: 30 });
    expect(resourceAt(json, "aws_ecs_service", "app/service").load_balancer).toEqual([
      { container_name: "app", container_port: 8501, target_group_arn: expect.stringMatching(/app_target-group_[0-9A-F]{8}\.arn\}$/) },
    ]);
    expect(resourceAt(json, "aws_lb_listener", "load-balancer/https").default_action).toEqual([
      { type: "forward", target_group_arn: expect.stringMatching(/app_target-group_[0-9A-F]{8}\.arn\}$/) },
    ]);
  });

  it("scales 1–4 tasks on CPU 70 % and memory 80 %", () => {
    expect(resourceAt(json, "aws_appautoscaling_target", "app/auto-scaling/target")).toMatchObject({ min_capacity: 1, max_capacity: 4 });
    const targets = listResources(json, "aws_appautoscaling_policy").map((p) => (p.target_tracking_scaling_policy_configuration as Record<string, unknown>).target_value);
    expect(targets.sort()).toEqual([70, 80]);
    expect(resourceAt(json, "aws_ecs_service", "app/service").lifecycle).toEqual({ ignore_changes: ["desired_count"] });
  });
});

describe("two-backends example (seed 000: Go + Python, auto scaling migration and its rollback)", () => {
  const scaledStack = testStack("examples");
  buildTwoBackendsExample(scaledStack, TWO_BACKENDS_REFS);
  const scaled = synth(scaledStack);
  const rolledBackStack = testStack("examples");
  buildTwoBackendsExample(rolledBackStack, TWO_BACKENDS_REFS, { autoScaling: false });
  const rolledBack = synth(rolledBackStack);

  it("sizes both backends 256/512 after the migration", () => {
    for (const key of ["backend-go", "backend-python"]) {
      expect(resourceAt(scaled, "aws_ecs_task_definition", `${key}/task-definition`)).toMatchObject({ cpu: "256", memory: "512" });
    }
  });

  it("scales each backend 1–5 tasks on CPU 70 % and memory 80 %, out after 60 s, in after 300 s", () => {
    for (const key of ["backend-go", "backend-python"]) {
      expect(resourceAt(scaled, "aws_appautoscaling_target", `${key}/auto-scaling/target`)).toMatchObject({ min_capacity: 1, max_capacity: 5 });
      expect(resourceAt(scaled, "aws_appautoscaling_policy", `${key}/auto-scaling/cpu`).target_tracking_scaling_policy_configuration).toMatchObject({
        target_value: 70,
        scale_out_cooldown: 60,
        scale_in_cooldown: 300,
      });
      expect(resourceAt(scaled, "aws_appautoscaling_policy", `${key}/auto-scaling/memory`).target_tracking_scaling_policy_configuration).toMatchObject({
        target_value: 80,
        scale_out_cooldown: 60,
        scale_in_cooldown: 300,
      });
    }
    expect(listResources(scaled, "aws_appautoscaling_target")).toHaveLength(2);
    expect(listResources(scaled, "aws_appautoscaling_policy")).toHaveLength(4);
  });

  it("does not fight the scaler: desired_count is ignored while scaling is on", () => {
    for (const service of listResources(scaled, "aws_ecs_service")) {
      expect(service.lifecycle).toEqual({ ignore_changes: ["desired_count"] });
      expect(service.desired_count).toBe(1);
    }
  });

  it("puts only the Go API behind the ALB; the Python backend has its own container health check", () => {
    expect(listResources(scaled, "aws_lb_target_group")).toHaveLength(1);
    expect(resourceAt(scaled, "aws_ecs_service", "backend-python/service").load_balancer).toBeUndefined();
    expect(containerDefinitions(scaled, "backend-python/task-definition")[0]!.healthCheck).toMatchObject({
      command: ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"],
    });
  });

  it("rolls back with the switch: no scaler, desired_count managed again at 2 and 1, Python back to 512/1024", () => {
    expect(listResources(rolledBack, "aws_appautoscaling_target")).toHaveLength(0);
    expect(listResources(rolledBack, "aws_appautoscaling_policy")).toHaveLength(0);
    const go = resourceAt(rolledBack, "aws_ecs_service", "backend-go/service");
    const python = resourceAt(rolledBack, "aws_ecs_service", "backend-python/service");
    expect([go.desired_count, go.lifecycle]).toEqual([2, undefined]);
    expect([python.desired_count, python.lifecycle]).toEqual([1, undefined]);
    expect(resourceAt(rolledBack, "aws_ecs_task_definition", "backend-python/task-definition")).toMatchObject({ cpu: "512", memory: "1024" });
  });

  it("keeps every service's Terraform address across the switch, so rollback updates instead of replacing", () => {
    expect(Object.keys(resourcesOf(rolledBack, "aws_ecs_service"))).toEqual(Object.keys(resourcesOf(scaled, "aws_ecs_service")));
    expect(Object.keys(resourcesOf(rolledBack, "aws_ecs_task_definition"))).toEqual(Object.keys(resourcesOf(scaled, "aws_ecs_task_definition")));
  });
});

describe("all examples in one stack (the provider check's stack)", () => {
  it("synthesizes without name or address collisions", () => {
    const stack = testStack("examples");
    buildStagingLikeExample(stack, { ...WEB_AND_API_REFS, namePrefix: "bookmark-manager-staging" });
    buildProdLikeExample(stack, { ...WEB_AND_API_REFS, namePrefix: "bookmark-manager-prod", certificateArn: CERTIFICATE_ARN });
    buildSingleContainerExample(stack, SINGLE_CONTAINER_REFS);
    buildTwoBackendsExample(stack, TWO_BACKENDS_REFS);
    const json = synth(stack);
    const names = listResources(json, "aws_ecs_service").map((s) => s.name);
    expect(names).toEqual([...new Set(names)]);
    expect(names).toHaveLength(7);
    const lbNames = listResources(json, "aws_lb").map((l) => l.name);
    expect(new Set(lbNames).size).toBe(4);
  });
});
