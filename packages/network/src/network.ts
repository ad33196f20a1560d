import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { NetworkRef } from "./network-ref";
import { resolveNetworkLayout } from "./network-layout";
import type { NetworkProps } from "./network-props";
import { IPV6_SUBNET_NEW_BITS, ipv6SubnetIndex } from "./subnet-layout";
import { VpcEndpoints, type InterfaceEndpointService } from "./vpc-endpoints";
import { VpcFlowLogs } from "./vpc-flow-logs";

/**
 * A VPC across N AZs: public subnets behind an internet gateway (optionally dual-stack), private
 * subnets behind optional NAT gateways, VPC endpoints, the default security group emptied,
 * optional flow logs.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  /** Undefined when `publicSubnetsEnabled` is false. */
  readonly internetGateway?: InternetGateway;
  /** One per AZ, in the order of `availabilityZones`; empty without public subnets. */
  readonly publicSubnets: Subnet[] = [];
  /** One per AZ, in the order of `availabilityZones`. */
  readonly privateSubnets: Subnet[] = [];
  /** CIDRs of `publicSubnets`, literal. */
  readonly publicSubnetCidrs: string[];
  /** CIDRs of `privateSubnets`, literal. */
  readonly privateSubnetCidrs: string[];
  /** Shared by every public subnet; undefined without public subnets. */
  readonly publicRouteTable?: RouteTable;
  /** One per AZ, so `perAz` NAT and AZ-local routes never need a table swap. */
  readonly privateRouteTables: RouteTable[] = [];
  /** Zero, one, or one per AZ depending on `natMode`. */
  readonly natGateways: NatGateway[] = [];
  /** Elastic IPs of `natGateways`, same order. */
  readonly natEips: Eip[] = [];
  /** The VPC's default security group, adopted with every rule removed so nothing can use it by accident. */
  readonly defaultSecurityGroup: DefaultSecurityGroup;
  /** Security group of the interface endpoints; undefined without them. */
  readonly endpointSecurityGroup?: SecurityGroup;
  readonly interfaceEndpoints: Partial<Record<InterfaceEndpointService, VpcEndpoint>>;
  readonly s3GatewayEndpoint?: VpcEndpoint;
  /** Undefined unless `flowLogs` is set. */
  readonly flowLogs?: VpcFlowLogs;
  readonly availabilityZones: string[];
  readonly ref: NetworkRef;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const layout = resolveNetworkLayout(this.node.path, props);
    const { namePrefix, region } = props;
    const azs = layout.availabilityZones;
    this.availabilityZones = azs;
    this.publicSubnetCidrs = layout.publicSubnetCidrs;
    this.privateSubnetCidrs = layout.privateSubnetCidrs;

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      // Both are needed for interface endpoints' private DNS and for RDS/ALB hostnames.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      // An Amazon-provided /56; its address is known only after apply, so subnets derive theirs in Terraform.
      ...(layout.ipv6 ? { assignGeneratedIpv6CidrBlock: true } : {}),
      tags: { Name: `${namePrefix}-vpc` },
    });

    // Explicitly empty rule lists: Terraform strips every rule when it adopts the group and
    // removes any added by hand later. Everything we create gets a group of its own.
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${namePrefix}-default-do-not-use` },
    });

    if (layout.publicSubnetsEnabled) {
      const igw = new InternetGateway(this, "internet-gateway", {
        vpcId: this.vpc.id,
        tags: { Name: `${namePrefix}-igw` },
      });
      this.internetGateway = igw;
      const table = new RouteTable(this, "public-route-table", {
        vpcId: this.vpc.id,
        tags: { Name: `${namePrefix}-public` },
      });
      this.publicRouteTable = table;
      new Route(this, "public-internet-route", {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: igw.id,
      });
      if (layout.ipv6) {
        new Route(this, "public-internet-route-ipv6", {
          routeTableId: table.id,
          destinationIpv6CidrBlock: "::/0",
          gatewayId: igw.id,
        });
      }
      azs.forEach((az, i) => {
        // No automatic public IPs: ECS asks for one per service (assignPublicIp) and the
        // ALB and NAT bring their own, so a stray instance never lands on the internet.
        const subnet = new Subnet(this, `public-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: layout.publicSubnetCidrs[i],
          mapPublicIpOnLaunch: false,
          // A /64 for the dual-stack ALB; instances still get no IPv6 address unless they ask.
          ...(layout.ipv6
            ? {
                ipv6CidrBlock: Fn.cidrsubnet(this.vpc.ipv6CidrBlock, IPV6_SUBNET_NEW_BITS, ipv6SubnetIndex(az, "public")),
                assignIpv6AddressOnCreation: false,
              }
            : {}),
          tags: { Name: `${namePrefix}-public-${az}` },
        });
        this.publicSubnets.push(subnet);
        new RouteTableAssociation(this, `public-${az}-route-table`, {
          subnetId: subnet.id,
          routeTableId: table.id,
        });
      });
    }

    // NAT gateways sit in public subnets; `single` keeps the first AZ's so switching to
    // `perAz` later only adds gateways.
    const natAzs = props.natMode === "perAz" ? azs : props.natMode === "single" ? azs.slice(0, 1) : [];
    const natByAz = new Map<string, NatGateway>();
    for (const az of natAzs) {
      const subnet = this.publicSubnets[azs.indexOf(az)]!;
      const eip = new Eip(this, `nat-eip-${az}`, {
        domain: "vpc",
        tags: { Name: `${namePrefix}-nat-${az}` },
        dependsOn: [this.internetGateway!],
      });
      const nat = new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${namePrefix}-nat-${az}` },
        dependsOn: [this.internetGateway!],
      });
      this.natEips.push(eip);
      this.natGateways.push(nat);
      natByAz.set(az, nat);
    }

    // Private subnets stay IPv4-only even with `ipv6`: nothing in them speaks IPv6, so there is
    // no egress-only internet gateway either.
    azs.forEach((az, i) => {
      const subnet = new Subnet(this, `private-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: layout.privateSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${namePrefix}-private-${az}` },
      });
      this.privateSubnets.push(subnet);
      const table = new RouteTable(this, `private-route-table-${az}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${namePrefix}-private-${az}` },
      });
      this.privateRouteTables.push(table);
      new RouteTableAssociation(this, `private-${az}-route-table`, {
        subnetId: subnet.id,
        routeTableId: table.id,
      });
      const nat = natByAz.get(az) ?? this.natGateways[0];
      if (nat) {
        new Route(this, `private-nat-route-${az}`, {
          routeTableId: table.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      }
    });

    const s3RouteTables =
      layout.s3GatewayEndpoint === "none"
        ? []
        : [
            ...this.privateRouteTables.map((t) => t.id),
            ...(layout.s3GatewayEndpoint === "allRouteTables" && this.publicRouteTable ? [this.publicRouteTable.id] : []),
          ];
    const endpoints = new VpcEndpoints(this, "endpoints", {
      namePrefix,
      region,
      vpcId: this.vpc.id,
      vpcCidr: props.vpcCidr,
      interfaceServices: layout.interfaceEndpoints,
      interfaceSubnetIds: this.privateSubnets.slice(0, layout.interfaceEndpointAzCount).map((s) => s.id),
      s3RouteTableIds: s3RouteTables,
    });
    this.endpointSecurityGroup = endpoints.securityGroup;
    this.interfaceEndpoints = endpoints.interfaceEndpoints;
    this.s3GatewayEndpoint = endpoints.s3GatewayEndpoint;

    if (props.flowLogs) {
      this.flowLogs = new VpcFlowLogs(this, "flow-logs", {
        namePrefix,
        region,
        vpcId: this.vpc.id,
        options: props.flowLogs,
      });
    }

    this.ref = {
      vpcId: this.vpc.id,
      vpcCidr: props.vpcCidr,
      publicSubnetIds: this.publicSubnets.map((s) => s.id),
      privateSubnetIds: this.privateSubnets.map((s) => s.id),
      availabilityZones: [...azs],
      ipv6Enabled: layout.ipv6,
    };
  }
}

