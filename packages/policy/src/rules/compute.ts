import { blocks, containers, isTrue, references, resources, setting, violation, type ResourceRef } from "../model";
import type { PolicyInput, Rule } from "../types";

/** Subnets whose route table sends 0.0.0.0/0 to an internet gateway. */
function publicSubnets(input: PolicyInput): ResourceRef[] {
  const gateways = resources(input, "aws_internet_gateway");
  const viaGateway = (route: Record<string, unknown>) => route.destination_cidr_block === "0.0.0.0/0" && gateways.some((g) => references(route.gateway_id, g));
  const tables = resources(input, "aws_route_table").filter(
    (t) => blocks(t.values.route).some(viaGateway) || resources(input, "aws_route").some((r) => references(r.values.route_table_id, t) && viaGateway(r.values)),
  );
  return resources(input, "aws_subnet").filter((s) =>
    resources(input, "aws_route_table_association").some((a) => references(a.values.subnet_id, s) && tables.some((t) => references(a.values.route_table_id, t))),
  );
}

export const computeRules: Rule[] = [
  {
    id: "PLAT-ECS-001",
    severity: "critical",
    category: "compute",
    title: "Containers do not run privileged",
    rationale: "A privileged container has root on its host; one compromised app becomes every app.",
    anchors: { checkov: ["CKV_AWS_334"], fsbp: ["ECS.4"] },
    check: (input) =>
      resources(input, "aws_ecs_task_definition").flatMap((td) =>
        containers(td)
          .filter((c) => c.privileged === true)
          .map((c) => violation(td, `container ${JSON.stringify(c.name)} is privileged.`)),
      ),
  },
  {
    id: "PLAT-ECS-002",
    severity: "low",
    category: "compute",
    title: "Containers have a read-only root filesystem",
    rationale: "A writable root lets an intruder drop tools and persist changes inside the running task.",
    anchors: { checkov: ["CKV_AWS_336"], fsbp: ["ECS.5"] },
    check: (input) =>
      resources(input, "aws_ecs_task_definition").flatMap((td) =>
        containers(td)
          .filter((c) => c.readonlyRootFilesystem !== true)
          .map((c) => violation(td, `container ${JSON.stringify(c.name)} has a writable root filesystem; set readonlyRootFilesystem: true on the service (and mount what it writes).`)),
      ),
  },
  {
    id: "PLAT-ECS-003",
    severity: "high",
    category: "compute",
    title: "ECS Exec is off in production",
    rationale: "ECS Exec opens a shell inside production tasks, with their secrets in the environment; database access goes through the bastion.",
    anchors: {},
    productionOnly: true,
    check: (input) =>
      resources(input, "aws_ecs_service")
        .filter((s) => isTrue(s.values.enable_execute_command))
        .map((s) => violation(s, `enable_execute_command is on; set ${setting(input, "compute.ecsExec")}: false.`)),
  },
  {
    id: "PLAT-ECS-004",
    severity: "high",
    category: "compute",
    title: "Services do not assign public IPs to tasks",
    rationale: "A task with a public IP is one security-group mistake away from the internet, and egress bypasses the NAT's fixed address.",
    anchors: { checkov: ["CKV_AWS_333"], fsbp: ["ECS.2"] },
    check: (input) =>
      resources(input, "aws_ecs_service")
        .filter((s) => blocks(s.values.network_configuration).some((n) => isTrue(n.assign_public_ip)))
        .map((s) => violation(s, `assign_public_ip is true; set ${setting(input, "compute.taskSubnets")}: "private" (needs NAT).`)),
  },
  {
    id: "PLAT-ECS-005",
    severity: "high",
    category: "compute",
    title: "Tasks run in private subnets",
    rationale: "Public subnets route straight to the internet gateway; tasks belong behind the load balancer in private subnets.",
    anchors: {},
    check: (input) => {
      const publics = publicSubnets(input);
      return resources(input, "aws_ecs_service")
        .filter((s) => blocks(s.values.network_configuration).some((n) => publics.some((p) => references(n.subnets, p))))
        .map((s) => violation(s, `the service runs in subnets routed to the internet gateway; set ${setting(input, "compute.taskSubnets")}: "private".`));
    },
  },
  {
    id: "PLAT-ECS-006",
    severity: "low",
    category: "compute",
    title: "Container Insights is enabled on clusters",
    rationale: "Without Container Insights, per-task CPU, memory and restarts are invisible during an incident.",
    anchors: { checkov: ["CKV_AWS_65"], trivy: ["AVD-AWS-0034"], fsbp: ["ECS.12"] },
    check: (input) =>
      resources(input, "aws_ecs_cluster")
        .filter((c) => !blocks(c.values.setting).some((s) => s.name === "containerInsights" && (s.value === "enabled" || s.value === "enhanced")))
        .map((c) => violation(c, `containerInsights is not enabled; set ${setting(input, "compute.containerInsights")}: true.`)),
  },
  {
    id: "PLAT-ECS-007",
    severity: "medium",
    category: "compute",
    title: "Containers send their logs somewhere",
    rationale: "A container without a log configuration loses its output when the task stops.",
    anchors: { fsbp: ["ECS.9"] },
    check: (input) =>
      resources(input, "aws_ecs_task_definition").flatMap((td) =>
        containers(td)
          .filter((c) => !c.logConfiguration)
          .map((c) => violation(td, `container ${JSON.stringify(c.name)} has no logConfiguration.`)),
      ),
  },
  {
    id: "PLAT-EC2-001",
    severity: "high",
    category: "compute",
    title: "Instances require IMDSv2",
    rationale: "IMDSv1 answers any SSRF with the instance role's credentials.",
    anchors: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0028"], fsbp: ["EC2.8"] },
    check: (input) =>
      resources(input, "aws_instance")
        .filter((i) => {
          const template = resources(input, "aws_launch_template").find((t) => references(i.values.launch_template, t));
          return ![i.values.metadata_options, template?.values.metadata_options].some((m) => blocks(m).some((o) => o.http_tokens === "required"));
        })
        .map((i) => violation(i, "metadata_options.http_tokens is not \"required\" on the instance or its launch template.")),
  },
  {
    id: "PLAT-EC2-002",
    severity: "medium",
    category: "compute",
    title: "Instance volumes are encrypted",
    rationale: "Unencrypted EBS volumes and their snapshots expose disk contents to anyone who can share or copy them.",
    anchors: { checkov: ["CKV_AWS_8"], trivy: ["AVD-AWS-0131"] },
    check: (input) =>
      resources(input, "aws_instance").flatMap((i) => {
        const template = resources(input, "aws_launch_template").find((t) => references(i.values.launch_template, t));
        const devices = [...blocks(i.values.root_block_device), ...blocks(template?.values.block_device_mappings).flatMap((m) => blocks(m.ebs))];
        const encrypted = devices.length > 0 && devices.every((d) => isTrue(d.encrypted));
        return encrypted ? [] : [violation(i, "the root volume is not encrypted (root_block_device or the launch template's ebs.encrypted).")];
      }),
  },
  {
    id: "PLAT-EC2-003",
    severity: "high",
    category: "compute",
    title: "Instances have no public IP",
    rationale: "The bastion is reached through SSM Session Manager; a public address only adds attack surface.",
    anchors: { checkov: ["CKV_AWS_88"], fsbp: ["EC2.9"] },
    check: (input) =>
      resources(input, "aws_instance")
        .filter((i) => i.values.associate_public_ip_address !== false)
        .map((i) => violation(i, "associate_public_ip_address is not false.")),
  },
];
