import { TerraformOutput, Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { listResources, policyStatements, resourceAddresses, resourcesOf, synth, testStack, type SynthesizedStack } from "@platform/core/testing";
import { Network, type NetworkProps } from "../src/index";
import { AZS, PROD_LIKE, STAGING_LIKE } from "./fixtures";

type Res = Record<string, unknown>;

function build(props: NetworkProps): { network: Network; json: SynthesizedStack } {
  const stack = testStack("network");
  const network = new Network(stack, "network", props);
  return { network, json: synth(stack) };
}

/** `${aws_x.name.attr}` → the resource name, so tests can follow references. */
function refName(expr: unknown, type: string, attr = "id"): string {
  const m = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.${attr}\\}$`).exec(String(expr));
  if (!m) throw new Error(`not a reference to ${type}.*.${attr}: ${String(expr)}`);
  return m[1]!;
}

function byName(json: SynthesizedStack, type: string, name: string): [string, Res] {
  const found = Object.entries(resourcesOf(json, type)).filter(([, r]) => (r.tags as Res | undefined)?.Name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0]!;
}

/** Map of subnet Name tag → route table Name tag, through the associations. */
function routeTableOfSubnet(json: SynthesizedStack): Record<string, string> {
  const subnets = resourcesOf(json, "aws_subnet");
  const tables = resourcesOf(json, "aws_route_table");
  return Object.fromEntries(
    listResources(json, "aws_route_table_association").map((a) => [
      (subnets[refName(a.subnet_id, "aws_subnet")]!.tags as Res).Name,
      (tables[refName(a.route_table_id, "aws_route_table")]!.tags as Res).Name,
    ]),
  );
}

/** Routes per route-table Name tag. */
function routesByTable(json: SynthesizedStack): Record<string, Res[]> {
  const tables = resourcesOf(json, "aws_route_table");
  const out: Record<string, Res[]> = {};
  for (const route of listResources(json, "aws_route")) {
    const name = (tables[refName(route.route_table_id, "aws_route_table")]!.tags as Res).Name as string;
    (out[name] ??= []).push(route);
  }
  return out;
}

describe("Network, staging-like: no NAT, endpoints in one AZ", () => {
  const { network, json } = build(STAGING_LIKE);

  it("creates a VPC with DNS support and hostnames on", () => {
    const [, vpc] = byName(json, "aws_vpc", "acme-staging-vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
  });

  it("puts a public and a private subnet in each AZ with CIDRs derived from the AZ letter", () => {
    const subnets = listResources(json, "aws_subnet").map((s) => [(s.tags as Res).Name, s.availability_zone, s.cidr_block]);
    expect(subnets.sort()).toEqual([
      ["acme-staging-private-ap-northeast-1a", "ap-northeast-1a", "10.0.128.0/24"],
      ["acme-staging-private-ap-northeast-1c", "ap-northeast-1c", "10.0.130.0/24"],
      ["acme-staging-public-ap-northeast-1a", "ap-northeast-1a", "10.0.0.0/24"],
      ["acme-staging-public-ap-northeast-1c", "ap-northeast-1c", "10.0.2.0/24"],
    ]);
    expect(network.publicSubnetCidrs).toEqual(["10.0.0.0/24", "10.0.2.0/24"]);
    expect(network.privateSubnetCidrs).toEqual(["10.0.128.0/24", "10.0.130.0/24"]);
  });

  it("never gives instances public IPs automatically", () => {
    for (const s of listResources(json, "aws_subnet")) expect(s.map_public_ip_on_launch).toBe(false);
  });

  it("routes public subnets to the internet gateway through one shared table", () => {
    const [igwName, igw] = byName(json, "aws_internet_gateway", "acme-staging-igw");
    expect(igw.vpc_id).toMatch(/^\$\{aws_vpc\./);
    const routes = routesByTable(json);
    expect(routes["acme-staging-public"]).toEqual([
      expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: `\${aws_internet_gateway.${igwName}.id}` }),
    ]);
    expect(routeTableOfSubnet(json)).toEqual({
      "acme-staging-public-ap-northeast-1a": "acme-staging-public",
      "acme-staging-public-ap-northeast-1c": "acme-staging-public",
      "acme-staging-private-ap-northeast-1a": "acme-staging-private-ap-northeast-1a",
      "acme-staging-private-ap-northeast-1c": "acme-staging-private-ap-northeast-1c",
    });
  });

  it("creates no NAT gateway, no EIP and no route out of the private subnets", () => {
    expect(listResources(json, "aws_nat_gateway")).toEqual([]);
    expect(listResources(json, "aws_eip")).toEqual([]);
    expect(network.natGateways).toEqual([]);
    const routes = routesByTable(json);
    expect(Object.keys(routes)).toEqual(["acme-staging-public"]);
    expect(listResources(json, "aws_route").filter((r) => r.nat_gateway_id !== undefined)).toEqual([]);
  });

  it("creates the interface endpoints with private DNS in the private subnet of the first AZ only", () => {
    const subnet1a = byName(json, "aws_subnet", "acme-staging-private-ap-northeast-1a")[0];
    const [sgName] = byName(json, "aws_security_group", "acme-staging-vpc-endpoints");
    const interfaces = listResources(json, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    expect(interfaces.map((e) => e.service_name).sort()).toEqual([
      "com.amazonaws.ap-northeast-1.ecr.api",
      "com.amazonaws.ap-northeast-1.ecr.dkr",
      "com.amazonaws.ap-northeast-1.logs",
    ]);
    for (const e of interfaces) {
      expect(e.private_dns_enabled).toBe(true);
      expect(e.subnet_ids).toEqual([`\${aws_subnet.${subnet1a}.id}`]);
      expect(e.security_group_ids).toEqual([`\${aws_security_group.${sgName}.id}`]);
    }
    expect(Object.keys(network.interfaceEndpoints).sort()).toEqual(["ecr.api", "ecr.dkr", "logs"]);
  });

  it("lets only HTTPS from the VPC CIDR into the endpoints, and nothing else", () => {
    const [sgName, sg] = byName(json, "aws_security_group", "acme-staging-vpc-endpoints");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    const rules = listResources(json, "aws_vpc_security_group_ingress_rule");
    expect(rules).toEqual([
      expect.objectContaining({
        security_group_id: `\${aws_security_group.${sgName}.id}`,
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: "10.0.0.0/16",
      }),
    ]);
    expect(rules[0]).not.toHaveProperty("referenced_security_group_id");
    expect(listResources(json, "aws_vpc_security_group_egress_rule")).toEqual([]);
    expect(listResources(json, "aws_security_group_rule")).toEqual([]);
    expect(network.endpointSecurityGroup).toBeDefined();
  });

  it("attaches the S3 gateway endpoint to the private and the public route tables", () => {
    const s3 = listResources(json, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Gateway");
    expect(s3).toHaveLength(1);
    expect(s3[0]!.service_name).toBe("com.amazonaws.ap-northeast-1.s3");
    const tables = resourcesOf(json, "aws_route_table");
    const names = (s3[0]!.route_table_ids as string[]).map((id) => (tables[refName(id, "aws_route_table")]!.tags as Res).Name);
    expect(names.sort()).toEqual(["acme-staging-private-ap-northeast-1a", "acme-staging-private-ap-northeast-1c", "acme-staging-public"]);
  });

  it("adopts the default security group and removes every rule from it", () => {
    const sgs = listResources(json, "aws_default_security_group");
    expect(sgs).toHaveLength(1);
    expect(sgs[0]).toMatchObject({ ingress: [], egress: [], vpc_id: expect.stringMatching(/^\$\{aws_vpc\..+\.id\}$/) });
  });

  it("creates no flow log, log group or IAM role when flow logs are off", () => {
    expect(listResources(json, "aws_flow_log")).toEqual([]);
    expect(listResources(json, "aws_cloudwatch_log_group")).toEqual([]);
    expect(listResources(json, "aws_iam_role")).toEqual([]);
    expect(network.flowLogs).toBeUndefined();
  });

  it("exposes a ref with literal CIDR and AZs and token IDs in AZ order", () => {
    const ref = network.ref;
    expect(ref.vpcCidr).toBe("10.0.0.0/16");
    expect(ref.availabilityZones).toEqual(AZS);
    expect(Token.isUnresolved(ref.vpcId)).toBe(true);
    // What a consumer stack receives: the tokens rendered as outputs.
    const outStack = testStack("network");
    const outNet = new Network(outStack, "network", STAGING_LIKE);
    new TerraformOutput(outStack, "vpc-id", { value: outNet.ref.vpcId });
    new TerraformOutput(outStack, "public", { value: outNet.ref.publicSubnetIds });
    new TerraformOutput(outStack, "private", { value: outNet.ref.privateSubnetIds });
    const out = synth(outStack).output!;
    expect(out["vpc-id"]!.value).toBe(`\${aws_vpc.${byName(json, "aws_vpc", "acme-staging-vpc")[0]}.id}`);
    expect(out.public!.value).toEqual(
      AZS.map((az) => `\${aws_subnet.${byName(json, "aws_subnet", `acme-staging-public-${az}`)[0]}.id}`),
    );
    expect(out.private!.value).toEqual(
      AZS.map((az) => `\${aws_subnet.${byName(json, "aws_subnet", `acme-staging-private-${az}`)[0]}.id}`),
    );
  });
});

describe("Network, prod-like: single NAT, flow logs", () => {
  const { network, json } = build(PROD_LIKE);

  it("creates one NAT gateway with an EIP in the first AZ's public subnet", () => {
    const [natName, nat] = byName(json, "aws_nat_gateway", "acme-prod-nat-ap-northeast-1a");
    const [eipName, eip] = byName(json, "aws_eip", "acme-prod-nat-ap-northeast-1a");
    expect(listResources(json, "aws_nat_gateway")).toHaveLength(1);
    expect(eip.domain).toBe("vpc");
    expect(nat.allocation_id).toBe(`\${aws_eip.${eipName}.allocation_id}`);
    expect(nat.subnet_id).toBe(`\${aws_subnet.${byName(json, "aws_subnet", "acme-prod-public-ap-northeast-1a")[0]}.id}`);
    expect(network.natGateways).toHaveLength(1);
    expect(network.natGateways[0]!.friendlyUniqueId).toBe(natName);
  });

  it("routes every private subnet's default route to that NAT gateway", () => {
    const [natName] = byName(json, "aws_nat_gateway", "acme-prod-nat-ap-northeast-1a");
    const routes = routesByTable(json);
    for (const az of AZS) {
      expect(routes[`acme-prod-private-${az}`]).toEqual([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: `\${aws_nat_gateway.${natName}.id}` }),
      ]);
    }
  });

  it("derives the prod subnets from 10.1.0.0/16", () => {
    expect(network.publicSubnetCidrs).toEqual(["10.1.0.0/24", "10.1.2.0/24"]);
    expect(network.privateSubnetCidrs).toEqual(["10.1.128.0/24", "10.1.130.0/24"]);
  });

  it("spreads interface endpoints over every AZ by default", () => {
    const privateIds = AZS.map((az) => `\${aws_subnet.${byName(json, "aws_subnet", `acme-prod-private-${az}`)[0]}.id}`);
    for (const e of listResources(json, "aws_vpc_endpoint").filter((x) => x.vpc_endpoint_type === "Interface")) {
      expect(e.subnet_ids).toEqual(privateIds);
    }
  });

  it("sends ALL traffic of the VPC to a log group with the requested retention", () => {
    const [groupName, group] = Object.entries(resourcesOf(json, "aws_cloudwatch_log_group"))[0]!;
    expect(group).toMatchObject({ name: "/vpc/acme-prod/flow-logs", retention_in_days: 30 });
    const [roleName] = Object.entries(resourcesOf(json, "aws_iam_role"))[0]!;
    const logs = listResources(json, "aws_flow_log");
    expect(logs).toEqual([
      expect.objectContaining({
        traffic_type: "ALL",
        log_destination_type: "cloud-watch-logs",
        log_destination: `\${aws_cloudwatch_log_group.${groupName}.arn}`,
        iam_role_arn: `\${aws_iam_role.${roleName}.arn}`,
        vpc_id: `\${aws_vpc.${byName(json, "aws_vpc", "acme-prod-vpc")[0]}.id}`,
      }),
    ]);
  });

  it("lets only this account's flow logs assume the role", () => {
    const trustName = Object.keys(json.data!.aws_iam_policy_document!).find((k) => k.includes("assume-role"))!;
    const [statement] = policyStatements(json, trustName);
    expect(statement).toMatchObject({
      actions: ["sts:AssumeRole"],
      principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
    });
    const conditions = statement!.condition as Res[];
    expect(conditions.map((c) => [c.test, c.variable])).toEqual([
      ["StringEquals", "aws:SourceAccount"],
      ["ArnLike", "aws:SourceArn"],
    ]);
    // Account and partition come from the environment config, not from the VPC's ARN.
    expect(conditions.map((c) => c.values)).toEqual([["123456789012"], ["arn:aws:ec2:ap-northeast-1:123456789012:vpc-flow-log/*"]]);
  });

  it("grants the role writes to its own log group only, never Resource *", () => {
    const [groupName] = Object.entries(resourcesOf(json, "aws_cloudwatch_log_group"))[0]!;
    const permName = Object.keys(json.data!.aws_iam_policy_document!).find((k) => k.includes("permissions"))!;
    const statements = policyStatements(json, permName);
    expect(statements[0]).toMatchObject({
      actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [`\${aws_cloudwatch_log_group.${groupName}.arn}`, `\${aws_cloudwatch_log_group.${groupName}.arn}:*`],
    });
    expect(statements[1]).toMatchObject({ actions: ["logs:DescribeLogGroups"] });
    expect(statements[1]!.resources).toEqual(["arn:aws:logs:ap-northeast-1:123456789012:log-group:*"]);
    for (const s of statements) expect(s.resources).not.toContain("*");
    const policy = listResources(json, "aws_iam_role_policy")[0]!;
    expect(policy.policy).toBe(`\${data.aws_iam_policy_document.${permName}.json}`);
  });
});

describe("Network, NAT per AZ", () => {
  const { network, json } = build({
    ...PROD_LIKE,
    natMode: "perAz",
    s3GatewayEndpoint: "privateRouteTables",
    flowLogs: { trafficType: "REJECT", logRetentionDays: 7 },
  });

  it("creates one NAT gateway per AZ, each in its own AZ's public subnet", () => {
    expect(network.natGateways).toHaveLength(2);
    for (const az of AZS) {
      const [, nat] = byName(json, "aws_nat_gateway", `acme-prod-nat-${az}`);
      expect(nat.subnet_id).toBe(`\${aws_subnet.${byName(json, "aws_subnet", `acme-prod-public-${az}`)[0]}.id}`);
    }
  });

  it("routes each private subnet to the NAT gateway of its own AZ", () => {
    const routes = routesByTable(json);
    for (const az of AZS) {
      const [natName] = byName(json, "aws_nat_gateway", `acme-prod-nat-${az}`);
      expect(routes[`acme-prod-private-${az}`]).toEqual([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: `\${aws_nat_gateway.${natName}.id}` }),
      ]);
    }
  });

  it("keeps the S3 gateway endpoint off the public route table when asked", () => {
    const s3 = listResources(json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Gateway")!;
    const tables = resourcesOf(json, "aws_route_table");
    const names = (s3.route_table_ids as string[]).map((id) => (tables[refName(id, "aws_route_table")]!.tags as Res).Name);
    expect(names.sort()).toEqual(["acme-prod-private-ap-northeast-1a", "acme-prod-private-ap-northeast-1c"]);
  });

  it("honours flow log traffic type and retention", () => {
    expect(listResources(json, "aws_flow_log")[0]!.traffic_type).toBe("REJECT");
    expect(listResources(json, "aws_cloudwatch_log_group")[0]!.retention_in_days).toBe(7);
  });
});

describe("Network with IPv6: dual-stack public subnets for the ALB", () => {
  const { network, json } = build({ ...PROD_LIKE, ipv6: true });
  const [vpcName, vpc] = byName(json, "aws_vpc", "acme-prod-vpc");

  it("asks for an Amazon-provided IPv6 block on the VPC", () => {
    expect(vpc.assign_generated_ipv6_cidr_block).toBe(true);
    expect(vpc.cidr_block).toBe("10.1.0.0/16");
  });

  it("gives each public subnet the /64 at its AZ letter's slot, without auto-assigning addresses", () => {
    expect(byName(json, "aws_subnet", "acme-prod-public-ap-northeast-1a")[1]).toMatchObject({
      cidr_block: "10.1.0.0/24",
      ipv6_cidr_block: `\${cidrsubnet(aws_vpc.${vpcName}.ipv6_cidr_block, 8, 0)}`,
      assign_ipv6_address_on_creation: false,
      map_public_ip_on_launch: false,
    });
    expect(byName(json, "aws_subnet", "acme-prod-public-ap-northeast-1c")[1]).toMatchObject({
      ipv6_cidr_block: `\${cidrsubnet(aws_vpc.${vpcName}.ipv6_cidr_block, 8, 2)}`,
      assign_ipv6_address_on_creation: false,
    });
  });

  it("keeps private subnets IPv4-only", () => {
    for (const az of AZS) {
      const [, subnet] = byName(json, "aws_subnet", `acme-prod-private-${az}`);
      expect(subnet.ipv6_cidr_block).toBeUndefined();
      expect(subnet.assign_ipv6_address_on_creation).toBeUndefined();
    }
  });

  it("routes ::/0 of the public table to the internet gateway, and nothing private over IPv6", () => {
    const [igwName] = byName(json, "aws_internet_gateway", "acme-prod-igw");
    const routes = routesByTable(json);
    expect(routes["acme-prod-public"]).toHaveLength(2);
    expect(routes["acme-prod-public"]).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: `\${aws_internet_gateway.${igwName}.id}` }),
        expect.objectContaining({ destination_ipv6_cidr_block: "::/0", gateway_id: `\${aws_internet_gateway.${igwName}.id}` }),
      ]),
    );
    for (const az of AZS) {
      expect(routes[`acme-prod-private-${az}`]!.map((r) => r.destination_ipv6_cidr_block)).toEqual([undefined]);
    }
    expect(listResources(json, "aws_egress_only_internet_gateway")).toEqual([]);
  });

  it("says so in its ref", () => {
    expect(network.ref.ipv6Enabled).toBe(true);
  });

  it("adds only IPv6 attributes and one route to the IPv4-only network, at the same addresses", () => {
    const { network: v4, json: v4json } = build(PROD_LIKE);
    expect(v4.ref.ipv6Enabled).toBe(false);
    const v4vpc = byName(v4json, "aws_vpc", "acme-prod-vpc")[1];
    expect(v4vpc.assign_generated_ipv6_cidr_block).toBeUndefined();
    for (const s of listResources(v4json, "aws_subnet")) expect(s.ipv6_cidr_block).toBeUndefined();
    const added = resourceAddresses(json).filter((a) => !resourceAddresses(v4json).includes(a));
    expect(added).toEqual([expect.stringMatching(/^aws_route\.network_public-internet-route-ipv6_[0-9A-F]{8}$/)]);
    expect(resourceAddresses(v4json).every((a) => resourceAddresses(json).includes(a))).toBe(true);
  });
});

describe("Network without public subnets", () => {
  const { network, json } = build({
    namePrefix: "acme-iso",
    region: "ap-northeast-1",
    availabilityZones: AZS,
    vpcCidr: "10.2.0.0/16",
    natMode: "none",
    publicSubnetsEnabled: false,
  });

  it("creates no internet gateway, public subnet or public route table", () => {
    expect(listResources(json, "aws_internet_gateway")).toEqual([]);
    expect(listResources(json, "aws_route")).toEqual([]);
    expect(listResources(json, "aws_subnet").map((s) => (s.tags as Res).Name).sort()).toEqual([
      "acme-iso-private-ap-northeast-1a",
      "acme-iso-private-ap-northeast-1c",
    ]);
    expect(network.ref.publicSubnetIds).toEqual([]);
  });

  it("attaches the S3 gateway endpoint to the private route tables and creates no endpoint security group", () => {
    const s3 = listResources(json, "aws_vpc_endpoint");
    expect(s3).toHaveLength(1);
    expect(s3[0]!.route_table_ids).toHaveLength(2);
    expect(listResources(json, "aws_security_group")).toEqual([]);
    expect(network.endpointSecurityGroup).toBeUndefined();
  });
});

describe("Network with explicit subnet CIDRs", () => {
  it("uses the given CIDRs per AZ, in order", () => {
    const { json } = build({
      ...STAGING_LIKE,
      publicSubnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
      privateSubnetCidrs: ["10.0.11.0/24", "10.0.12.0/24"],
      s3GatewayEndpoint: "none",
      interfaceEndpoints: [],
    });
    expect(byName(json, "aws_subnet", "acme-staging-public-ap-northeast-1c")[1].cidr_block).toBe("10.0.2.0/24");
    expect(byName(json, "aws_subnet", "acme-staging-private-ap-northeast-1a")[1].cidr_block).toBe("10.0.11.0/24");
    expect(listResources(json, "aws_vpc_endpoint")).toEqual([]);
  });
});

describe("Network derivation stability", () => {
  it("keeps existing subnets when an AZ is added, and their Terraform addresses too", () => {
    const two = build(PROD_LIKE).json;
    const three = build({ ...PROD_LIKE, availabilityZones: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"] }).json;
    for (const [name, subnet] of Object.entries(resourcesOf(two, "aws_subnet"))) {
      expect(resourcesOf(three, "aws_subnet")[name]?.cidr_block).toBe(subnet.cidr_block);
    }
    expect(byName(three, "aws_subnet", "acme-prod-public-ap-northeast-1d")[1].cidr_block).toBe("10.1.3.0/24");
    expect(byName(three, "aws_subnet", "acme-prod-private-ap-northeast-1d")[1].cidr_block).toBe("10.1.131.0/24");
  });
});
