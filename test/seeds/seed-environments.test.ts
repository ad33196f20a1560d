import { listResources, policyStatements, resourceAt, synthAppStacks, type SynthesizedStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildSeedEnvironments } from "./seed-environments";

const stacks = synthAppStacks((app) => buildSeedEnvironments(app));
type Attrs = Record<string, any>;

function containers(json: SynthesizedStack, service: string): Attrs[] {
  return JSON.parse(resourceAt(json, "aws_ecs_task_definition", `${service}/task-definition`).container_definitions as string);
}

describe("seed 002 as an environment (staging: web + api, assets, MongoDB Atlas)", () => {
  const compute = stacks["seed002-compute"]!;

  it("builds every layer of the staging environment under its own name", () => {
    expect(Object.keys(stacks).filter((s) => s.startsWith("seed002-")).sort()).toEqual(
      ["compute", "database", "network", "registry", "security", "storage"].map((l) => `seed002-${l}`),
    );
  });

  it("lets web and api list and read the asset bucket, its name in ASSETS_BUCKET", () => {
    for (const service of ["web", "api"]) {
      const [app] = containers(compute, service);
      expect(app!.environment.map((e: Attrs) => e.name)).toContain("ASSETS_BUCKET");
      const sids = policyStatements(compute, `${service}/task-role/permissions`).map((s) => s.sid);
      expect(sids).toEqual(expect.arrayContaining(["BucketList", "BucketRead"]));
      expect(sids).not.toContain("BucketWrite");
    }
  });

  it("opens 27017 to the Atlas CIDRs from the api's own group only", () => {
    const groups = listResources(compute, "aws_security_group").map((g) => g.name);
    expect(groups).toEqual(["example-seed002-api-task"]);
    const atlas = listResources(compute, "aws_vpc_security_group_egress_rule").filter((r) => r.from_port === 27017);
    expect(atlas.map((r) => [r.cidr_ipv4, r.to_port, r.ip_protocol])).toEqual([
      ["192.0.2.0/24", 27017, "tcp"],
      ["198.51.100.0/24", 27017, "tcp"],
    ]);
    const api = resourceAt(compute, "aws_ecs_service", "api/service") as Attrs;
    expect(api.network_configuration.security_groups).toHaveLength(2);
    const web = resourceAt(compute, "aws_ecs_service", "web/service") as Attrs;
    expect(web.network_configuration.security_groups).toHaveLength(1);
    expect(listResources(compute, "aws_service_discovery_http_namespace")).toEqual([]);
  });

  it("injects MONGODB_URI from the environment's SSM parameter", () => {
    const [app] = containers(compute, "api");
    expect(app!.secrets).toContainEqual({ name: "MONGODB_URI", valueFrom: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/example/seed002/MONGODB_URI" });
  });
});

describe("seed 003 as an environment (prod: web + api, Datadog, Sentry, assets)", () => {
  const compute = stacks["seed003-compute"]!;

  it("runs the Datadog agent beside both apps; the api's logs go to Datadog through a FireLens router", () => {
    expect(containers(compute, "web").map((c) => c.name)).toEqual(["app", "datadog-agent"]);
    expect(containers(compute, "api").map((c) => c.name)).toEqual(["app", "datadog-agent", "log-router"]);
    const [webApp] = containers(compute, "web");
    const [apiApp, , router] = containers(compute, "api");
    expect(webApp!.logConfiguration.logDriver).toBe("awslogs");
    expect(router).toMatchObject({ essential: true, firelensConfiguration: { type: "fluentbit" } });
    expect(router!.logConfiguration.logDriver).toBe("awslogs");
    expect(apiApp!.logConfiguration).toMatchObject({
      logDriver: "awsfirelens",
      options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com", TLS: "on", dd_service: "api" },
      secretOptions: [{ name: "apikey", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/example/seed003/DATADOG_API_KEY" }],
    });
    expect(apiApp!.dependsOn).toEqual([
      { containerName: "datadog-agent", condition: "START" },
      { containerName: "log-router", condition: "START" },
    ]);
  });

  it("gives each app SENTRY_DSN from Secrets Manager with the environment and the release", () => {
    for (const service of ["web", "api"]) {
      const [app] = containers(compute, service);
      expect(app!.secrets).toContainEqual({ name: "SENTRY_DSN", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/example/seed003/SENTRY_DSN" });
      expect(app!.environment).toEqual(expect.arrayContaining([{ name: "SENTRY_ENVIRONMENT", value: "seed003" }, { name: "SENTRY_RELEASE", value: "v1.0.1" }]));
    }
  });

  it("pulls the sidecar images from ECR Public without widening the execution role's ECR pull", () => {
    const pull = policyStatements(compute, "api/execution-role/permissions").find((s) => s.sid === "EcrPull");
    expect(pull?.resources).toHaveLength(1);
    expect(String((pull?.resources as string[] | undefined)?.[0])).toContain("repositories_api_repository");
  });
});
