import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, resourceAt, resourcesOf, synth, testStack } from "@platform/core/testing";
import { AllowlistVariable, SecurityGroups, type SecurityGroupsProps } from "../src/index";

type Json = ReturnType<typeof synth>;
const base: SecurityGroupsProps = {
  namePrefix: "acme-test",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.0.0.0/16",
  albIngress: { allowedCidrs: ["203.0.113.10/32", "2001:db8::/48"] },
  servicePorts: [3000, 8080],
};

function build(props: Partial<SecurityGroupsProps> = {}): { sg: SecurityGroups; json: Json } {
  const stack = testStack("security");
  const sg = new SecurityGroups(stack, "sg", { ...base, ...props });
  new TerraformOutput(stack, "ref", { value: sg.ref });
  return { sg, json: synth(stack) };
}

/** Every rule as a compact description of what it allows, to compare whole rule sets. */
function ruleSummary(json: Json, type: "ingress" | "egress"): string[] {
  const groups = Object.fromEntries(
    Object.entries(resourcesOf(json, "aws_security_group")).map(([name, g]) => [`\${aws_security_group.${name}.id}`, g.name]),
  );
  return listResources(json, `aws_vpc_security_group_${type}_rule`)
    .map((r) => {
      const peer = r.referenced_security_group_id
        ? `sg:${groups[r.referenced_security_group_id as string]}`
        : ((r.cidr_ipv4 ?? r.cidr_ipv6) as string);
      const repeat = r.for_each ? ` for_each=${r.for_each}` : r.count ? " count" : "";
      return `${groups[r.security_group_id as string]} ${r.ip_protocol}/${r.from_port}-${r.to_port} ${peer}${repeat}`;
    })
    .sort();
}

describe("SecurityGroups with an allowlist and a bastion", () => {
  const { json } = build({ bastion: true });

  it("creates four described, named groups in the VPC, with no inline rules", () => {
    const groups = listResources(json, "aws_security_group");
    expect(groups.map((g) => g.name).sort()).toEqual([
      "acme-test-alb",
      "acme-test-bastion",
      "acme-test-database",
      "acme-test-service",
    ]);
    for (const g of groups) {
      expect(g.vpc_id).toBe(base.vpcId);
      expect((g.description as string).length).toBeGreaterThan(20);
      expect(g.tags).toEqual({ Name: g.name });
      expect(g.ingress).toBeUndefined();
      expect(g.egress).toBeUndefined();
    }
  });

  it("allows exactly the specified ingress", () => {
    expect(ruleSummary(json, "ingress")).toEqual(
      [
        'acme-test-alb tcp/443-443 ${each.value} for_each=${toset(["203.0.113.10/32"])}',
        'acme-test-alb tcp/443-443 ${each.value} for_each=${toset(["2001:db8::/48"])}',
        'acme-test-alb tcp/80-80 ${each.value} for_each=${toset(["203.0.113.10/32"])}',
        'acme-test-alb tcp/80-80 ${each.value} for_each=${toset(["2001:db8::/48"])}',
        "acme-test-database tcp/5432-5432 sg:acme-test-bastion",
        "acme-test-database tcp/5432-5432 sg:acme-test-service",
        "acme-test-service tcp/3000-3000 sg:acme-test-alb",
        "acme-test-service tcp/8080-8080 sg:acme-test-alb",
      ].sort(),
    );
  });

  it("allows exactly the specified egress, and none from the database", () => {
    expect(ruleSummary(json, "egress")).toEqual([
      "acme-test-alb tcp/3000-3000 sg:acme-test-service",
      "acme-test-alb tcp/8080-8080 sg:acme-test-service",
      "acme-test-bastion tcp/443-443 0.0.0.0/0",
      "acme-test-bastion tcp/5432-5432 sg:acme-test-database",
      "acme-test-service tcp/443-443 0.0.0.0/0",
      "acme-test-service tcp/5432-5432 sg:acme-test-database",
    ]);
  });

  it("puts IPv6 allowlist entries in cidr_ipv6 and IPv4 ones in cidr_ipv4", () => {
    expect(resourceAt(json, "aws_vpc_security_group_ingress_rule", "sg/alb-ingress-443-allowlist-ipv6")).toMatchObject({
      cidr_ipv6: "${each.value}",
    });
    expect(resourceAt(json, "aws_vpc_security_group_ingress_rule", "sg/alb-ingress-443-allowlist-ipv4")).toMatchObject({
      cidr_ipv4: "${each.value}",
    });
  });

  it("describes every rule", () => {
    const rules = [
      ...listResources(json, "aws_vpc_security_group_ingress_rule"),
      ...listResources(json, "aws_vpc_security_group_egress_rule"),
    ];
    expect(rules).toHaveLength(14);
    for (const r of rules) expect(r.description).toMatch(/\w{5,}/);
  });

  it("exposes a ref with every group id", () => {
    expect(json.output!.ref!.value).toEqual({
      albSecurityGroupId: expect.stringMatching(/^\$\{aws_security_group\.sg_alb_[0-9A-F]{8}\.id\}$/),
      serviceSecurityGroupId: expect.stringMatching(/^\$\{aws_security_group\.sg_service_[0-9A-F]{8}\.id\}$/),
      databaseSecurityGroupId: expect.stringMatching(/^\$\{aws_security_group\.sg_database_[0-9A-F]{8}\.id\}$/),
      bastionSecurityGroupId: expect.stringMatching(/^\$\{aws_security_group\.sg_bastion_[0-9A-F]{8}\.id\}$/),
    });
  });
});

describe("SecurityGroups, public, no bastion, custom ports", () => {
  const { sg, json } = build({ albIngress: { public: true }, bastion: false, databasePort: 6432, albListenerPorts: [443] });

  it("opens only the listener ports to 0.0.0.0/0 and ::/0", () => {
    expect(ruleSummary(json, "ingress").filter((r) => r.startsWith("acme-test-alb"))).toEqual(
      ["acme-test-alb tcp/443-443 0.0.0.0/0", "acme-test-alb tcp/443-443 ::/0"].sort(),
    );
  });

  it("uses the database port and has no bastion group or rule", () => {
    expect(ruleSummary(json, "ingress").filter((r) => r.startsWith("acme-test-database"))).toEqual([
      "acme-test-database tcp/6432-6432 sg:acme-test-service",
    ]);
    expect(listResources(json, "aws_security_group")).toHaveLength(3);
    expect(sg.bastion).toBeUndefined();
    expect(Object.keys(sg.ref).sort()).toEqual(["albSecurityGroupId", "databaseSecurityGroupId", "serviceSecurityGroupId"]);
  });
});

describe("SecurityGroups, public, IPv4-only load balancer (ipv6: false)", () => {
  const { json } = build({ albIngress: { public: true }, ipv6: false });

  it("opens the listeners to 0.0.0.0/0 only, with no ::/0 rule", () => {
    expect(ruleSummary(json, "ingress").filter((r) => r.startsWith("acme-test-alb"))).toEqual(
      ["acme-test-alb tcp/443-443 0.0.0.0/0", "acme-test-alb tcp/80-80 0.0.0.0/0"].sort(),
    );
    expect(listResources(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv6 !== undefined)).toEqual([]);
  });

  it("keeps the ::/0 rules when ipv6 is left at its default or set to true", () => {
    for (const ipv6 of [undefined, true]) {
      const open = listResources(build({ albIngress: { public: true }, ipv6 }).json, "aws_vpc_security_group_ingress_rule");
      expect(open.filter((r) => r.cidr_ipv6 === "::/0").map((r) => r.from_port as number).sort((x, y) => x - y)).toEqual([80, 443]);
    }
  });
});

describe("SecurityGroups with an AllowlistVariable", () => {
  const stack = testStack("security");
  const allowlist = new AllowlistVariable(stack, "allowlist", { name: "alb_allowed_cidrs" });
  new SecurityGroups(stack, "sg", { ...base, albIngress: { allowedCidrs: allowlist.cidrs } });
  const json = synth(stack);

  it("repeats each listener rule with count over the variable, picking the IP family per entry", () => {
    const rule = resourceAt(json, "aws_vpc_security_group_ingress_rule", "sg/alb-ingress-443-allowlist");
    // count, not for_each: Terraform refuses sensitive values as for_each keys.
    expect(rule.count).toBe("${length(var.alb_allowed_cidrs)}");
    expect(rule.for_each).toBeUndefined();
    expect(rule.cidr_ipv4).toBe(
      '${strcontains(element(var.alb_allowed_cidrs, count.index), ":") ? null : element(var.alb_allowed_cidrs, count.index)}',
    );
    expect(rule.cidr_ipv6).toBe(
      '${strcontains(element(var.alb_allowed_cidrs, count.index), ":") ? element(var.alb_allowed_cidrs, count.index) : null}',
    );
  });
});

describe("SecurityGroups validation", () => {
  const fails = (props: Partial<SecurityGroupsProps>) => () => build(props);

  it("fails when the allowlist contains 0.0.0.0/0, pointing to { public: true }", () => {
    expect(fails({ albIngress: { allowedCidrs: ["203.0.113.10/32", "0.0.0.0/0"] } })).toThrow(
      /sg\.albIngress\.allowedCidrs: "0\.0\.0\.0\/0" opens the load balancer to the whole internet; use albIngress: \{ public: true \} instead/,
    );
  });

  it("fails when the allowlist contains ::/0", () => {
    expect(fails({ albIngress: { allowedCidrs: ["::/0"] } })).toThrow(/allowedCidrs: "::\/0" opens .* \{ public: true \}/);
  });

  it("fails when the allowlist has an IPv6 network but ipv6 is false", () => {
    expect(fails({ ipv6: false })).toThrow(
      /sg\.albIngress\.allowedCidrs: "2001:db8::\/48" is an IPv6 network, but ipv6 is false .*; remove it, or make the load balancer dual-stack and set ipv6: true/,
    );
    expect(fails({ ipv6: false, albIngress: { allowedCidrs: ["203.0.113.10/32"] } })).not.toThrow();
  });

  it("fails when ipv6 is not a boolean", () => {
    expect(fails({ ipv6: "no" as never })).toThrow(/sg\.ipv6: "no" must be true or false/);
  });

  it("fails when the allowlist is empty", () => {
    expect(fails({ albIngress: { allowedCidrs: [] } })).toThrow(/allowedCidrs: \[\] is empty, .*list the office\/VPN CIDRs/);
  });

  it("fails when an allowlist entry is not a CIDR network address", () => {
    expect(fails({ albIngress: { allowedCidrs: ["203.0.113.10", "10.0.0.1/16", "2001:db8::1/32"] } })).toThrow(
      /"203\.0\.113\.10" is not a valid CIDR[\s\S]*"10\.0\.0\.1\/16" is not a valid CIDR[\s\S]*"2001:db8::1\/32" is not a valid CIDR/,
    );
  });

  it("fails when ports are out of range, duplicated or missing", () => {
    expect(fails({ servicePorts: [0, 70000] })).toThrow(/servicePorts: 0 is not a port[\s\S]*servicePorts: 70000 is not a port/);
    expect(fails({ servicePorts: [] })).toThrow(/servicePorts: \[\] must list at least one port/);
    expect(fails({ albListenerPorts: [443, 443] })).toThrow(/albListenerPorts: \[443,443\] lists a port twice/);
    expect(fails({ databasePort: 65536 })).toThrow(/databasePort: 65536 is not a port.*PostgreSQL: 5432/);
  });

  it("fails when the VPC CIDR is malformed or the name prefix starts with sg-", () => {
    expect(fails({ vpcCidr: "10.0.0.0/33", namePrefix: "sg-acme" })).toThrow(
      /namePrefix: "sg-acme" must be lower-case letters, digits and hyphens: .*not "sg-" first[\s\S]*vpcCidr: "10\.0\.0\.0\/33" is not a valid IPv4 CIDR/,
    );
  });
});
