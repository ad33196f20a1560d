import {
  type SynthesizedStack,
  listDataSources,
  listResources,
  onlyResource,
  policyStatements,
  resourcesOf,
  synthAppStacks,
} from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { examples } from "../src/config";
import { buildExamples } from "../src/main";

const stacks = synthAppStacks((app) => buildExamples(app));
const rolledBack = synthAppStacks((app) =>
  buildExamples(app, { ...examples, twoBackends: { ...examples.twoBackends, autoScaling: false } }),
)["example-twobackends"]!;

/** The Terraform name and attributes of the one resource of `type` that matches. */
function entryWhere(json: SynthesizedStack, type: string, match: (r: Record<string, unknown>) => boolean): [string, Record<string, unknown>] {
  const found = Object.entries(resourcesOf(json, type)).filter(([, r]) => match(r));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** `${type.name.attribute}` of the matching (default: the only) resource of `type`: what a reference to it synthesizes to. */
function refTo(json: SynthesizedStack, type: string, attribute: string, match: (r: Record<string, unknown>) => boolean = () => true): string {
  return `\${${type}.${entryWhere(json, type, match)[0]}.${attribute}}`;
}

/** The parsed `container_definitions` of a task definition. */
function containersOf(taskDefinition: Record<string, unknown>): Record<string, any>[] {
  return JSON.parse(taskDefinition.container_definitions as string);
}

function taskDefinitionOf(json: SynthesizedStack, family: string): Record<string, unknown> {
  return entryWhere(json, "aws_ecs_task_definition", (t) => t.family === family)[1];
}

function serviceNamed(json: SynthesizedStack, name: string): Record<string, unknown> {
  return entryWhere(json, "aws_ecs_service", (s) => s.name === name)[1];
}

describe("examples app", () => {
  it("has one self-contained stack per example", () => {
    expect(Object.keys(stacks).sort()).toEqual(["example-singlecontainer", "example-twobackends"]);
    for (const json of Object.values(stacks)) {
      expect(listDataSources(json, "terraform_remote_state")).toEqual([]);
      expect(listResources(json, "aws_vpc")).toHaveLength(1);
    }
  });

  it("runs in the example environment: ap-northeast-1, account 123456789012, its own state key", () => {
    for (const [name, json] of Object.entries(stacks)) {
      expect(json.provider?.aws?.[0]).toMatchObject({ region: "ap-northeast-1", allowed_account_ids: ["123456789012"] });
      expect((json.terraform as { backend: { s3: Record<string, unknown> } }).backend.s3).toMatchObject({
        bucket: "example-tfstate-123456789012",
        dynamodb_table: "example-tflock",
        key: `example/${name}.tfstate`,
        encrypt: true,
      });
    }
  });

  it("gives each example its own address range and one NAT gateway across two AZs", () => {
    const cidrs = Object.values(stacks).map((json) => onlyResource(json, "aws_vpc").cidr_block);
    expect(cidrs).toEqual(["10.20.0.0/16", "10.30.0.0/16"]);
    for (const json of Object.values(stacks)) {
      expect(listResources(json, "aws_nat_gateway")).toHaveLength(1);
      const azs = new Set(listResources(json, "aws_subnet").map((s) => s.availability_zone));
      expect([...azs].sort()).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
    }
  });
});

describe("example-singlecontainer (seed 004: Streamlit + FastAPI, EFS cache)", () => {
  const json = stacks["example-singlecontainer"]!;
  const taskDefinition = onlyResource(json, "aws_ecs_task_definition");
  const [container] = containersOf(taskDefinition);
  const secretArn = examples.singleContainer.apiKeysSecretArn;

  it("runs one task of 1 vCPU / 2 GB whose container listens on 8501 and 8000", () => {
    expect(taskDefinition).toMatchObject({ cpu: "1024", memory: "2048", requires_compatibilities: ["FARGATE"], network_mode: "awsvpc" });
    expect(containersOf(taskDefinition)).toHaveLength(1);
    expect(container!.portMappings.map((p: { containerPort: number }) => p.containerPort).sort()).toEqual([8000, 8501]);
  });

  it("pulls the pinned image from the stack's own IMMUTABLE ECR repository", () => {
    expect(onlyResource(json, "aws_ecr_repository")).toMatchObject({ name: "example-single-container-app", image_tag_mutability: "IMMUTABLE" });
    expect(container!.image).toBe(`${refTo(json, "aws_ecr_repository", "repository_url")}:v2.3.0`);
    const pull = policyStatements(json, "app/execution-role/permissions").find((s) => s.sid === "EcrPull");
    expect(pull?.resources).toEqual([refTo(json, "aws_ecr_repository", "arn")]);
  });

  it("injects the API keys as container secrets from Secrets Manager, readable by the execution role only from that secret", () => {
    expect(container!.secrets).toEqual(
      ["ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENAI_API_KEY", "WXTECH_API_KEY"].map((name) => ({ name, valueFrom: `${secretArn}:${name}::` })),
    );
    expect(container!.environment.map((e: { name: string }) => e.name)).toEqual(["ENV", "MAX_PARALLEL_WORKERS"]);
    const read = policyStatements(json, "app/execution-role/permissions").find((s) => (s.actions as string[]).includes("secretsmanager:GetSecretValue"));
    expect(read?.resources).toEqual([secretArn]);
  });

  it("keeps the cache on encrypted EFS with transit encryption, IA after 30 days, mounted at /app/cache", () => {
    const fs = onlyResource(json, "aws_efs_file_system");
    expect(fs.encrypted).toBe(true);
    expect(fs.lifecycle_policy).toContainEqual({ transition_to_ia: "AFTER_30_DAYS" });
    const volume = (taskDefinition.volume as Record<string, any>[]).find((v) => v.efs_volume_configuration);
    expect(volume!.efs_volume_configuration).toMatchObject({
      file_system_id: refTo(json, "aws_efs_file_system", "id"),
      transit_encryption: "ENABLED",
      authorization_config: { iam: "ENABLED" },
    });
    expect(container!.mountPoints).toContainEqual({ sourceVolume: volume!.name, containerPath: "/app/cache", readOnly: false });
    expect(listResources(json, "aws_efs_mount_target")).toHaveLength(2);
  });

  it("lets the tasks reach NFS: egress 2049 from the service group to the file system's group", () => {
    const efsGroup = refTo(json, "aws_security_group", "id", (g) => g.name === "example-single-container-cache-efs");
    const serviceGroup = refTo(json, "aws_security_group", "id", (g) => g.name === "example-single-container-service");
    const nfs = listResources(json, "aws_vpc_security_group_egress_rule").filter((r) => r.from_port === 2049);
    expect(nfs).toEqual([expect.objectContaining({ security_group_id: serviceGroup, referenced_security_group_id: efsGroup, to_port: 2049, ip_protocol: "tcp" })]);
  });

  it("serves HTTPS on 443 forwarding to 8501 with health check path /, and redirects 80", () => {
    const targetGroup = onlyResource(json, "aws_lb_target_group");
    expect(targetGroup).toMatchObject({ port: 8501, protocol: "HTTP", target_type: "ip" });
    expect(targetGroup.health_check).toMatchObject({ path: "/" });
    const listeners = listResources(json, "aws_lb_listener");
    const https = listeners.find((l) => l.port === 443)!;
    expect(https).toMatchObject({ protocol: "HTTPS", certificate_arn: examples.singleContainer.certificateArn });
    expect(https.default_action).toEqual([{ type: "forward", target_group_arn: refTo(json, "aws_lb_target_group", "arn") }]);
    expect(listeners.find((l) => l.port === 80)!.default_action).toEqual([
      { type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } },
    ]);
    expect(onlyResource(json, "aws_ecs_service").load_balancer).toEqual([
      { container_name: container!.name, container_port: 8501, target_group_arn: refTo(json, "aws_lb_target_group", "arn") },
    ]);
  });

  it("opens only 8501 from the load balancer to the tasks (8000 stays inside the task)", () => {
    const fromAlb = listResources(json, "aws_vpc_security_group_ingress_rule").filter((r) => String(r.description).startsWith("From the load balancer"));
    expect(fromAlb.map((r) => r.from_port)).toEqual([8501]);
  });

  it("scales 1–4 tasks on CPU 70 % and memory 80 %, and leaves desired_count to the scaler", () => {
    expect(onlyResource(json, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 1, max_capacity: 4, scalable_dimension: "ecs:service:DesiredCount" });
    const policies = listResources(json, "aws_appautoscaling_policy").map((p) => p.target_tracking_scaling_policy_configuration as Record<string, any>);
    expect(policies.map((p) => [p.predefined_metric_specification.predefined_metric_type, p.target_value]).sort()).toEqual([
      ["ECSServiceAverageCPUUtilization", 70],
      ["ECSServiceAverageMemoryUtilization", 80],
    ]);
    expect((onlyResource(json, "aws_ecs_service").lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("desired_count");
  });

  it("outputs the load balancer's DNS name, the repository URL and the service name", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(["load_balancer_dns_name", "repository_url", "service_name"]);
  });
});

describe("example-twobackends (seed 000: Go + Python, auto scaling and its rollback)", () => {
  const json = stacks["example-twobackends"]!;
  const keys = ["backend-go", "backend-python"] as const;
  const serviceName = (key: string) => `example-two-backends-${key}`;

  it("sizes each backend on its own: both 256 CPU / 512 MiB after the migration", () => {
    for (const key of keys) expect(taskDefinitionOf(json, serviceName(key))).toMatchObject({ cpu: "256", memory: "512" });
  });

  it("pulls each backend's image from its own repository in the stack", () => {
    const repos = listResources(json, "aws_ecr_repository").map((r) => r.name);
    expect(repos.sort()).toEqual(keys.map(serviceName));
    for (const key of keys) {
      const [container] = containersOf(taskDefinitionOf(json, serviceName(key)));
      expect(container!.image).toMatch(new RegExp(`^\\$\\{aws_ecr_repository\\.repositories_${key}_repository_[0-9A-F]{8}\\.repository_url\\}:v1\\.8\\.0$`));
    }
  });

  it("scales each backend 1–5 tasks on CPU 70 % and memory 80 %, out after 60 s, in after 300 s", () => {
    expect(listResources(json, "aws_appautoscaling_target")).toHaveLength(2);
    expect(listResources(json, "aws_appautoscaling_policy")).toHaveLength(4);
    for (const key of keys) {
      const service = refTo(json, "aws_ecs_service", "name", (s) => s.name === serviceName(key));
      const [target, attributes] = entryWhere(json, "aws_appautoscaling_target", (t) => String(t.resource_id).endsWith(`/${service}`));
      expect(attributes).toMatchObject({ min_capacity: 1, max_capacity: 5, scalable_dimension: "ecs:service:DesiredCount" });
      const policies = listResources(json, "aws_appautoscaling_policy")
        .filter((p) => p.resource_id === `\${aws_appautoscaling_target.${target}.resource_id}`)
        .map((p) => p.target_tracking_scaling_policy_configuration as Record<string, any>);
      expect(policies.map((p) => [p.predefined_metric_specification.predefined_metric_type, p.target_value, p.scale_out_cooldown, p.scale_in_cooldown]).sort()).toEqual([
        ["ECSServiceAverageCPUUtilization", 70, 60, 300],
        ["ECSServiceAverageMemoryUtilization", 80, 60, 300],
      ]);
    }
  });

  it("does not fight the scaler: every service ignores desired_count", () => {
    for (const key of keys) {
      expect((serviceNamed(json, serviceName(key)).lifecycle as { ignore_changes: string[] }).ignore_changes).toContain("desired_count");
    }
  });

  it("puts only the Go API behind the HTTPS listener", () => {
    expect(onlyResource(json, "aws_lb_target_group")).toMatchObject({ port: 8080 });
    expect(listResources(json, "aws_lb_listener").find((l) => l.port === 443)).toMatchObject({
      protocol: "HTTPS",
      certificate_arn: examples.twoBackends.certificateArn,
      default_action: [{ type: "forward", target_group_arn: refTo(json, "aws_lb_target_group", "arn") }],
    });
    expect(serviceNamed(json, serviceName("backend-python")).load_balancer).toBeUndefined();
  });

  it("lets the Go API call the Python backend on 8000 and nothing wider: one egress and one ingress rule between their own groups", () => {
    const group = (key: string) => refTo(json, "aws_security_group", "id", (g) => g.name === `${serviceName(key)}-task`);
    const between = (type: string) =>
      listResources(json, type).filter((r) => [group("backend-go"), group("backend-python")].includes(String(r.security_group_id)));
    expect(between("aws_vpc_security_group_egress_rule")).toEqual([
      expect.objectContaining({ security_group_id: group("backend-go"), referenced_security_group_id: group("backend-python"), ip_protocol: "tcp", from_port: 8000, to_port: 8000 }),
    ]);
    expect(between("aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ security_group_id: group("backend-python"), referenced_security_group_id: group("backend-go"), ip_protocol: "tcp", from_port: 8000, to_port: 8000 }),
    ]);
    for (const key of keys) {
      expect(serviceNamed(json, serviceName(key)).network_configuration).toMatchObject({
        security_groups: [refTo(json, "aws_security_group", "id", (g) => g.name === "example-two-backends-service"), group(key)],
      });
    }
  });

  it("joins both backends to one Service Connect namespace; the Python backend is published as http://backend-python:8000", () => {
    const namespace = refTo(json, "aws_service_discovery_http_namespace", "arn");
    expect(onlyResource(json, "aws_service_discovery_http_namespace").name).toBe("example-two-backends");
    const go = serviceNamed(json, serviceName("backend-go")).service_connect_configuration as Record<string, any>;
    const python = serviceNamed(json, serviceName("backend-python")).service_connect_configuration as Record<string, any>;
    expect(go).toMatchObject({ enabled: true, namespace });
    expect(go.service).toBeUndefined();
    expect(python).toMatchObject({
      enabled: true,
      namespace,
      service: [{ port_name: "http", discovery_name: "backend-python", client_alias: { port: 8000, dns_name: "backend-python" } }],
    });
    const [goContainer] = containersOf(taskDefinitionOf(json, serviceName("backend-go")));
    const [pythonContainer] = containersOf(taskDefinitionOf(json, serviceName("backend-python")));
    expect(goContainer!.environment).toContainEqual({ name: "AI_BACKEND_URL", value: "http://backend-python:8000" });
    expect(pythonContainer!.portMappings).toEqual([{ name: "http", containerPort: 8000, hostPort: 8000, protocol: "tcp" }]);
  });

  it("outputs the scaling setup of each backend", () => {
    const scaling = json.output?.auto_scaling?.value as Record<string, Record<string, unknown>>;
    expect(Object.keys(scaling).sort()).toEqual([...keys]);
    for (const key of keys) expect(Object.keys(scaling[key]!).sort()).toEqual(["max_capacity", "min_capacity", "resource_id"]);
  });

  describe("rollback (autoScaling: false)", () => {
    it("removes the scalable targets, the policies and the scaling output", () => {
      expect(listResources(rolledBack, "aws_appautoscaling_target")).toEqual([]);
      expect(listResources(rolledBack, "aws_appautoscaling_policy")).toEqual([]);
      expect(rolledBack.output?.auto_scaling).toBeUndefined();
    });

    it("manages desired_count again: no ignore_changes, Go 2 tasks, Python 1", () => {
      const go = serviceNamed(rolledBack, serviceName("backend-go"));
      const python = serviceNamed(rolledBack, serviceName("backend-python"));
      for (const service of [go, python]) {
        expect((service.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes ?? []).not.toContain("desired_count");
      }
      expect([go.desired_count, python.desired_count]).toEqual([2, 1]);
    });

    it("restores the pre-migration sizes: Go 256/512, Python 512/1024", () => {
      expect(taskDefinitionOf(rolledBack, serviceName("backend-go"))).toMatchObject({ cpu: "256", memory: "512" });
      expect(taskDefinitionOf(rolledBack, serviceName("backend-python"))).toMatchObject({ cpu: "512", memory: "1024" });
    });

    it("keeps every other address, so the switch updates services in place", () => {
      const withoutScaling = (j: SynthesizedStack) =>
        Object.entries(j.resource ?? {})
          .filter(([type]) => !type.startsWith("aws_appautoscaling_"))
          .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
          .sort();
      expect(withoutScaling(rolledBack)).toEqual(withoutScaling(json));
    });
  });
});
