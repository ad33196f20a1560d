import type { EnvironmentConfig } from "@platform/core";
import type { FlowLogsOptions, InterfaceEndpointService, NatMode } from "@platform/network";

/** Network choices of one environment. */
export interface NetworkPlan {
  /** VPC block, e.g. `10.0.0.0/16`. */
  readonly vpcCidr: string;
  /** How many AZs of the region to span (from the region's AZ table, in order). ALB and RDS need 2. */
  readonly availabilityZoneCount: number;
  readonly natMode: NatMode;
  /** Explicit public subnet CIDRs, one per AZ. @default derived from `vpcCidr` */
  readonly publicSubnetCidrs?: readonly string[];
  /** Explicit private subnet CIDRs, one per AZ. @default derived from `vpcCidr` */
  readonly privateSubnetCidrs?: readonly string[];
  /** Interface endpoints (each bills per AZ-hour). @default none */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /** Place interface endpoints in the first N AZs only. @default every AZ */
  readonly interfaceEndpointAzCount?: number;
  /** VPC flow logs. @default off */
  readonly flowLogs?: FlowLogsOptions;
}

/**
 * Every choice of one environment. Apps hold exactly one of these; `buildEnvironment`
 * turns it into `<env>-<layer>` stacks joined by typed cross-stack references.
 */
export interface EnvironmentPlan {
  readonly environment: EnvironmentConfig;
  readonly network: NetworkPlan;
}
