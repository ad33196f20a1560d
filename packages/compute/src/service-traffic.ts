import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { ServiceDiscoveryHttpNamespace } from "@cdktf/provider-aws/lib/service-discovery-http-namespace";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, boundedName } from "@platform/core";
import { type EgressDestination, addEgressRules, validateEgress } from "@platform/security";
import { Construct } from "constructs";
import type { ServiceConnectProps } from "./fargate-service-props";

/** One service's side of the traffic between services. */
export interface ServiceTrafficEntry {
  /** Port the service's container listens on (callers reach it there). */
  readonly port: number;
  /** Name of that port in the container's `ports` (Service Connect publishes it). */
  readonly portName: string;
  /**
   * Services (keys of `services`) this one calls, as `http://<key>:<their port>`. Each call opens
   * exactly caller → callee on the callee's port, nothing wider.
   * @default calls nobody
   */
  readonly calls?: readonly string[];
  /**
   * Destinations only this service may reach besides the environment's own egress, keyed by name.
   * @default none
   */
  readonly egress?: Readonly<Record<string, EgressDestination>>;
}

export interface ServiceTrafficProps {
  /** Prefix of every name, e.g. `acme-prod`; the namespace is `<namePrefix>` and each group `<namePrefix>-<key>-task`. */
  readonly namePrefix: string;
  /** VPC of the services' security groups. */
  readonly vpcId: string;
  /** Every service of the environment, keyed like the services. */
  readonly services: Readonly<Record<string, ServiceTrafficEntry>>;
}

/**
 * Calls between services and per-service egress: one Cloud Map HTTP namespace for ECS Service
 * Connect (only when some service calls another), and one security group per service that calls,
 * is called or has its own egress, with one ingress and one egress rule per declared call.
 * Services outside any call keep only the environment's shared group.
 */
export class ServiceTraffic extends Construct {
  readonly namespace?: ServiceDiscoveryHttpNamespace;
  readonly securityGroups: Readonly<Record<string, SecurityGroup>>;
  private readonly props: ServiceTrafficProps;
  private readonly callees: ReadonlySet<string>;
  private readonly members: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: ServiceTrafficProps) {
    super(scope, id);
    validateServiceTraffic(this.node.path, props);
    this.props = props;
    const entries = Object.entries(props.services);
    this.callees = new Set(entries.flatMap(([, s]) => s.calls ?? []));
    this.members = new Set([...entries.filter(([, s]) => (s.calls ?? []).length > 0).map(([k]) => k), ...this.callees]);

    if (this.members.size > 0) {
      this.namespace = new ServiceDiscoveryHttpNamespace(this, "namespace", {
        name: props.namePrefix,
        description: `Service Connect namespace of ${props.namePrefix}: services call each other as http://<service>:<port>`,
        tags: { Name: props.namePrefix },
      });
    }

    const groups: Record<string, SecurityGroup> = {};
    for (const [key, s] of entries) {
      if (!this.members.has(key) && Object.keys(s.egress ?? {}).length === 0) continue;
      const name = boundedName([props.namePrefix, key, "task"], NAME_LIMITS.securityGroupName);
      groups[key] = new SecurityGroup(this, `${key}-group`, {
        name,
        description: `Tasks of ${key}: declared calls and egress only`,
        vpcId: props.vpcId,
        tags: { Name: name },
      });
      addEgressRules(this, `${key}-egress`, groups[key].id, s.egress);
    }
    for (const [caller, s] of entries) {
      for (const callee of s.calls ?? []) {
        const port = props.services[callee]!.port;
        new VpcSecurityGroupEgressRule(this, `${caller}-calls-${callee}`, {
          securityGroupId: groups[caller]!.id,
          description: `${caller} calls ${callee} on ${port}`,
          referencedSecurityGroupId: groups[callee]!.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
        });
        new VpcSecurityGroupIngressRule(this, `${callee}-called-by-${caller}`, {
          securityGroupId: groups[callee]!.id,
          description: `${callee} called by ${caller} on ${port}`,
          referencedSecurityGroupId: groups[caller]!.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
        });
      }
    }
    this.securityGroups = groups;
  }

  /** The service's own security group, to attach next to the shared one; empty when it has none. */
  securityGroupIdsOf(key: string): string[] {
    const group = this.securityGroups[key];
    return group ? [group.id] : [];
  }

  /** The service's Service Connect settings (published when it is called); undefined outside any call. */
  serviceConnectOf(key: string): ServiceConnectProps | undefined {
    if (!this.namespace || !this.members.has(key)) return undefined;
    const s = this.props.services[key]!;
    return {
      namespaceArn: this.namespace.arn,
      publish: this.callees.has(key) ? { portName: s.portName, discoveryName: key, port: s.port } : undefined,
    };
  }
}

/** Every call names another declared service, once; egress destinations are valid. */
export function validateServiceTraffic(path: string, props: ServiceTrafficProps): void {
  const v = new Validator(path);
  const keys = Object.keys(props.services);
  for (const [key, s] of Object.entries(props.services)) {
    const f = `services.${key}`;
    v.check(CONSTRUCT_KEY_PATTERN.test(key), f, key, 'service keys are host names callers use: 1-31 lower-case letters, digits and hyphens, starting with a letter.');
    v.check(Number.isInteger(s.port) && s.port >= 1 && s.port <= 65535, `${f}.port`, s.port, "must be a port number between 1 and 65535.");
    const calls = s.calls ?? [];
    calls.forEach((callee, i) => {
      v.check(
        keys.includes(callee) && callee !== key,
        `${f}.calls[${i}]`,
        callee,
        callee === key ? "is the service itself; a service reaches itself without Service Connect." : `is not a service of this environment; call one of ${keys.filter((k) => k !== key).join(", ") || "(none)"}, or declare the service first.`,
      );
    });
    v.check(new Set(calls).size === calls.length, `${f}.calls`, calls, "lists a service twice; list each once.");
    validateEgress(v, `${f}.egress`, s.egress);
  }
  v.throwIfAny();
}
