import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NAME_LIMITS, boundedName } from "@platform/core";
import { Construct } from "constructs";

/**
 * AWS services reachable through an interface endpoint (`com.amazonaws.<region>.<service>`).
 * ECS Fargate in subnets without internet access needs `ecr.api`, `ecr.dkr` (plus the S3
 * gateway endpoint for image layers) and `logs`; `ssm`/`secretsmanager`/`kms` for secrets;
 * `ssm`, `ssmmessages`, `ec2messages` for Session Manager; `sts` for web identity.
 */
export type InterfaceEndpointService =
  | "ecr.api"
  | "ecr.dkr"
  | "logs"
  | "ssm"
  | "ssmmessages"
  | "ec2messages"
  | "secretsmanager"
  | "kms"
  | "sts";

export const INTERFACE_ENDPOINT_SERVICES: readonly InterfaceEndpointService[] = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "secretsmanager",
  "kms",
  "sts",
];

/** Which route tables the free S3 gateway endpoint is attached to. */
export type S3GatewayEndpointMode = "none" | "privateRouteTables" | "allRouteTables";

/** Endpoint service name, e.g. `com.amazonaws.ap-northeast-1.ecr.dkr`. */
export function endpointServiceName(region: string, service: string): string {
  return `com.amazonaws.${region}.${service}`;
}

/** Construct ID for a service: `ecr.api` → `ecr-api`. Literal per service, so order never matters. */
export function endpointConstructId(service: InterfaceEndpointService): string {
  return service.replace(/\./g, "-");
}

/** Internal to Network, which validates every prop before creating this. */
export interface VpcEndpointsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly interfaceServices: readonly InterfaceEndpointService[];
  /** Subnets for the interface endpoints' network interfaces (one per AZ). */
  readonly interfaceSubnetIds: string[];
  /** Route tables for the S3 gateway endpoint; empty for no S3 endpoint. */
  readonly s3RouteTableIds: string[];
}

/** Interface endpoints with their own security group, and the S3 gateway endpoint. */
export class VpcEndpoints extends Construct {
  /** Guards the interface endpoints: HTTPS from the VPC CIDR, nothing else. Undefined without interface endpoints. */
  readonly securityGroup?: SecurityGroup;
  readonly interfaceEndpoints: Partial<Record<InterfaceEndpointService, VpcEndpoint>> = {};
  readonly s3GatewayEndpoint?: VpcEndpoint;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);

    if (props.interfaceServices.length > 0) {
      const sgName = boundedName([props.namePrefix, "vpc-endpoints"], NAME_LIMITS.securityGroupName);
      // Rules live in their own resources; with no egress rule declared Terraform removes
      // AWS's default allow-all egress, which endpoints never need (they only answer).
      const sg = new SecurityGroup(this, "security-group", {
        name: sgName,
        description: "Interface VPC endpoints: HTTPS from inside the VPC only",
        vpcId: props.vpcId,
        tags: { Name: sgName },
      });
      new VpcSecurityGroupIngressRule(this, "https-from-vpc", {
        securityGroupId: sg.id,
        description: "HTTPS from the VPC CIDR",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: props.vpcCidr,
        tags: { Name: `${sgName}-https-from-vpc` },
      });
      this.securityGroup = sg;

      for (const service of props.interfaceServices) {
        this.interfaceEndpoints[service] = new VpcEndpoint(this, endpointConstructId(service), {
          vpcId: props.vpcId,
          serviceName: endpointServiceName(props.region, service),
          vpcEndpointType: "Interface",
          // Private DNS makes the service's public hostname resolve to the endpoint for the
          // whole VPC, public subnets included, so SDKs need no endpoint configuration.
          privateDnsEnabled: true,
          subnetIds: props.interfaceSubnetIds,
          securityGroupIds: [sg.id],
          tags: { Name: `${props.namePrefix}-${service}` },
        });
      }
    }

    if (props.s3RouteTableIds.length > 0) {
      this.s3GatewayEndpoint = new VpcEndpoint(this, "s3", {
        vpcId: props.vpcId,
        serviceName: endpointServiceName(props.region, "s3"),
        vpcEndpointType: "Gateway",
        routeTableIds: props.s3RouteTableIds,
        tags: { Name: `${props.namePrefix}-s3` },
      });
    }
  }
}
