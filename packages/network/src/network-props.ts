import type { InterfaceEndpointService, S3GatewayEndpointMode } from "./vpc-endpoints";
import type { FlowLogsOptions } from "./vpc-flow-logs";

/**
 * How private subnets reach the internet.
 * - `none`: they do not (only VPC endpoints); tasks needing the internet run in public subnets.
 * - `single`: one NAT gateway in the first AZ for every private subnet. Cheapest egress, but
 *   an outage of that AZ cuts egress for all AZs, and other AZs pay cross-AZ transfer.
 * - `perAz`: one NAT gateway per AZ; each private subnet uses its own AZ's.
 */
export type NatMode = "none" | "single" | "perAz";

export const NAT_MODES: readonly NatMode[] = ["none", "single", "perAz"];

export interface NetworkProps {
  /** Prefix of every name and `Name` tag, e.g. `acme-staging`. */
  readonly namePrefix: string;
  /** Region the stack deploys to, e.g. `ap-northeast-1`; used for AZ checks and endpoint service names. */
  readonly region: string;
  /**
   * AZ names to span, e.g. `["ap-northeast-1a", "ap-northeast-1c"]`. Literal names from the
   * app (no `aws_availability_zones` lookup, so plans run offline). Each gets one public
   * and one private subnet. RDS and ALB need at least two.
   */
  readonly availabilityZones: readonly string[];
  /** IPv4 block of the VPC, /16 to /28, e.g. `10.0.0.0/16`. */
  readonly vpcCidr: string;
  /**
   * Public subnet CIDRs, one per AZ in the order of `availabilityZones`.
   * @default derived from `vpcCidr`: the lower half of the VPC, at the slot of the AZ letter
   *   (10.0.0.0/16 → 1a 10.0.0.0/24, 1c 10.0.2.0/24); see `subnet-layout.ts`
   */
  readonly publicSubnetCidrs?: readonly string[];
  /**
   * Private subnet CIDRs, one per AZ in the order of `availabilityZones`.
   * @default derived from `vpcCidr`: the upper half of the VPC, at the slot of the AZ letter
   *   (10.0.0.0/16 → 1a 10.0.128.0/24, 1c 10.0.130.0/24)
   */
  readonly privateSubnetCidrs?: readonly string[];
  /**
   * Prefix length of derived subnets; smaller numbers give bigger subnets (each Fargate
   * task takes one address). Must leave room for AZ letters up to the last one used.
   * @default 24 for a VPC of /16 to /20, else the VPC prefix + 4 (room for AZ letters a–h)
   */
  readonly subnetPrefixLength?: number;
  /**
   * Create public subnets, their route table and the internet gateway.
   * @default true
   */
  readonly publicSubnetsEnabled?: boolean;
  /**
   * Dual-stack public subnets, for a dual-stack (IPv4 + IPv6) load balancer. The VPC gets an
   * Amazon-provided IPv6 /56; each public subnet a /64 of it at the slot of its AZ letter
   * (`cidrsubnet(vpc, 8, slot)`, the IPv4 public scheme, so adding an AZ moves no block); the
   * public route table gets `::/0` to the internet gateway. Instances never get an IPv6 address
   * automatically: only the ALB, which asks for one, uses it. Private subnets stay IPv4-only,
   * so no egress-only internet gateway is created (nothing private speaks IPv6).
   * Needs public subnets.
   * @default false (IPv4 only)
   */
  readonly ipv6?: boolean;
  /** NAT gateways for private subnets. A cost decision (each NAT bills per hour and per GB), so no default. */
  readonly natMode: NatMode;
  /**
   * Interface endpoints, placed in the private subnets with private DNS and their own
   * security group (HTTPS from the VPC CIDR only). Each bills per AZ-hour and per GB.
   * @default none
   */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /**
   * Put interface endpoints in the private subnets of only the first N AZs. Halves their
   * hourly cost with two AZs; tasks in other AZs still reach them (cross-AZ) but lose them
   * if those AZs fail.
   * @default every AZ
   */
  readonly interfaceEndpointAzCount?: number;
  /**
   * Route tables served by the S3 gateway endpoint (free of charge). The default includes
   * public route tables because tasks that run in public subnets (a NAT-less staging) pull
   * ECR image layers from S3; through the endpoint that traffic stays on the AWS network and
   * bucket policies can pin `aws:SourceVpce`. Buckets in other regions still go through the
   * internet gateway, so nothing breaks.
   * @default "allRouteTables" ("privateRouteTables" without public subnets)
   */
  readonly s3GatewayEndpoint?: S3GatewayEndpointMode;
  /**
   * VPC flow logs to a CloudWatch log group; `{}` enables them with every default.
   * @default no flow logs
   */
  readonly flowLogs?: FlowLogsOptions;
}

