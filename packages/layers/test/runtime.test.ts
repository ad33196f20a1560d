import { listResources, policyStatements, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildEnvironment, type ServiceConfig } from "../src/index";
import { minimalConfig, configWith } from "./fixtures";

type Attrs = Record<string, any>;
const web = minimalConfig.compute.services.web!;
const ai: ServiceConfig = { ...web, port: 8000, route: { priority: 10, pathPatterns: ["/ai/*"] } };

const stacks = synthAppStacks((app) =>
  buildEnvironment(
    app,
    configWith({
      registry: { ...minimalConfig.registry, repositories: ["web", "ai"] },
      compute: {
        ...minimalConfig.compute,
        egress: { smtp: { cidrs: ["192.0.2.0/24"], port: 587 } },
        services: {
          web: { ...web, calls: ["ai"], grants: { parameters: ["/acme/staging/flags"], secrets: ["/acme/staging/PARTNER_TOKEN"] } },
          ai,
        },
      },
    }),
  ),
);
const security = stacks["staging-security"]!;
const compute = stacks["staging-compute"]!;

describe("runtime config through the layers", () => {
  it("puts environment egress on the shared service group, next to 443 and the database", () => {
    const smtp = (listResources(security, "aws_vpc_security_group_egress_rule") as Attrs[]).filter((r) => r.from_port === 587);
    expect(smtp).toEqual([expect.objectContaining({ cidr_ipv4: "192.0.2.0/24", to_port: 587, ip_protocol: "tcp", description: 'Declared egress "smtp": tcp 587' })]);
  });

  it("wires a declared call: one namespace, web → ai on 8000 between their own groups, ai published as http://ai:8000", () => {
    expect((listResources(compute, "aws_service_discovery_http_namespace") as Attrs[]).map((n) => n.name)).toEqual(["acme-staging"]);
    const rules = [...listResources(compute, "aws_vpc_security_group_egress_rule"), ...listResources(compute, "aws_vpc_security_group_ingress_rule")] as Attrs[];
    expect(rules.map((r) => [r.description, r.from_port, r.to_port]).sort()).toEqual([
      ["ai called by web on 8000", 8000, 8000],
      ["web calls ai on 8000", 8000, 8000],
    ]);
    const services = Object.fromEntries((listResources(compute, "aws_ecs_service") as Attrs[]).map((s) => [s.name, s]));
    expect(services["acme-staging-ai"]!.service_connect_configuration.service).toEqual([
      { port_name: "http", discovery_name: "ai", client_alias: { port: 8000, dns_name: "ai" } },
    ]);
    expect(services["acme-staging-web"]!.service_connect_configuration.service).toBeUndefined();
    for (const s of Object.values(services) as Attrs[]) expect(s.network_configuration.security_groups).toHaveLength(2);
  });

  it("grants the parameters and secrets by name under the environment's prefix, decryptable with its key only through SSM or Secrets Manager", () => {
    const bySid = Object.fromEntries(policyStatements(compute, "web/task-role/permissions").map((s) => [s.sid, s]));
    expect(bySid.ReadParameters!.resources).toEqual(["arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/staging/flags"]);
    expect(bySid.ReadSecrets!.resources).toEqual(["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/staging/PARTNER_TOKEN-??????"]);
    expect(bySid.DecryptGrantedSecrets!.condition).toEqual([
      { test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] },
    ]);
    // ai is granted nothing: no task role at all.
    expect((listResources(compute, "aws_iam_role") as Attrs[]).map((r) => r.name)).not.toContain("acme-staging-ai-task");
  });
});
