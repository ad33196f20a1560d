import { blocks, isTrue, references, resources, setting, violation } from "../model";
import type { Rule } from "../types";

const OPEN = new Set(["0.0.0.0/0", "::/0"]);
/** ALB listener ports the internet may reach. */
const WEB_PORTS = new Set([80, 443]);

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export const networkRules: Rule[] = [
  {
    id: "PLAT-NET-001",
    severity: "medium",
    category: "network",
    title: "The default security group of every VPC denies all traffic",
    rationale: "Anything launched without an explicit group lands in the default one; with rules left in it, that resource is reachable by accident.",
    anchors: { checkov: ["CKV2_AWS_12"], trivy: ["AVD-AWS-0173"], fsbp: ["EC2.2"] },
    check: (input) =>
      resources(input, "aws_vpc").flatMap((vpc) => {
        const sg = resources(input, "aws_default_security_group").find((g) => g.stack === vpc.stack && references(g.values.vpc_id, vpc));
        if (!sg) return [violation(vpc, "the VPC's default security group is not managed; add an aws_default_security_group with no rules.")];
        const open = blocks(sg.values.ingress).length + blocks(sg.values.egress).length;
        return open > 0 ? [violation(sg, `the default security group keeps ${open} rule(s); empty its ingress and egress.`)] : [];
      }),
  },
  {
    id: "PLAT-NET-002",
    severity: "medium",
    category: "network",
    title: "VPC flow logs are enabled",
    rationale: "Without flow logs there is no record of who talked to what when an incident is investigated.",
    anchors: { checkov: ["CKV2_AWS_11"], trivy: ["AVD-AWS-0178"], fsbp: ["EC2.6"] },
    check: (input) =>
      resources(input, "aws_vpc")
        .filter((vpc) => !resources(input, "aws_flow_log").some((f) => references(f.values.vpc_id, vpc)))
        .map((vpc) => violation(vpc, `no aws_flow_log captures this VPC's traffic; set ${setting(input, "network.flowLogs")}.`)),
  },
  {
    id: "PLAT-NET-003",
    severity: "medium",
    category: "network",
    title: "Subnets do not assign public IPv4 addresses on launch",
    rationale: "A subnet that hands out public IPs makes every instance launched in it reachable from the internet unless its security group says otherwise.",
    anchors: { checkov: ["CKV_AWS_130"], trivy: ["AVD-AWS-0164"], fsbp: ["EC2.15"] },
    check: (input) =>
      resources(input, "aws_subnet")
        .filter((s) => isTrue(s.values.map_public_ip_on_launch))
        .map((s) => violation(s, "map_public_ip_on_launch is true; give public addresses per resource instead.")),
  },
  {
    id: "PLAT-NET-004",
    severity: "high",
    category: "network",
    title: "No ingress from the whole internet except to the load balancer on 80/443",
    rationale: "0.0.0.0/0 or ::/0 ingress exposes databases, tasks and SSH to scanners; only the ALB listeners are meant to be public.",
    anchors: { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], trivy: ["AVD-AWS-0107"], fsbp: ["EC2.18"] },
    check: (input) => {
      const albGroups = resources(input, "aws_security_group").filter((g) =>
        resources(input, "aws_lb").some((lb) => references(lb.values.security_groups, g)),
      );
      const inline = resources(input, "aws_security_group").flatMap((g) =>
        blocks(g.values.ingress).map((rule) => ({ ref: g, rule, group: g })),
      );
      const separate = [...resources(input, "aws_vpc_security_group_ingress_rule"), ...resources(input, "aws_security_group_rule").filter((r) => r.values.type === "ingress")].map(
        (ref) => ({ ref, rule: ref.values, group: undefined }),
      );
      return [...inline, ...separate].flatMap(({ ref, rule, group }) => {
        const cidrs = [rule.cidr_ipv4, rule.cidr_ipv6, ...listOf(rule.cidr_blocks), ...listOf(rule.ipv6_cidr_blocks)];
        if (!cidrs.some((c) => typeof c === "string" && OPEN.has(c))) return [];
        const from = Number(rule.from_port);
        const to = Number(rule.to_port);
        const toAlb = group ? albGroups.includes(group) : albGroups.some((g) => references(rule.security_group_id, g));
        const webPort = from === to && WEB_PORTS.has(from);
        return toAlb && webPort ? [] : [violation(ref, `ingress from the whole internet on ${from}-${to}${toAlb ? "" : " to a group that is not a load balancer's"}; restrict the source.`)];
      });
    },
  },
];
