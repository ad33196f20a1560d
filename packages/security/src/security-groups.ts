import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NAME_LIMITS, Validator, boundedName, checkNamePrefix, isKnown, isValidCidr, isValidIpv6Cidr } from "@platform/core";
import { Fn, TerraformCount, TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { type EgressDestination, addEgressRules, validateEgress } from "./egress";
import { ANYWHERE_CIDRS, checkAllowedCidrs, checkPorts, isIpv6Cidr, isValidPort } from "./validation";

/**
 * Who may reach the load balancer's listeners. `{ public: true }` is the only way to open it to
 * the internet, so a reviewer sees the choice; otherwise an allowlist of CIDRs (a literal list,
 * or the token list of an {@link AllowlistVariable}).
 */
export type AlbIngress = { readonly public: true } | { readonly allowedCidrs: string[] };

export interface SecurityGroupsProps {
  /** Prefix of every security group name, e.g. `acme-staging`. */
  readonly namePrefix: string;
  /** VPC the groups belong to. */
  readonly vpcId: string;
  /**
   * The VPC's IPv4 block. Checked for format only: every rule references a security group
   * rather than the VPC range, which is tighter.
   */
  readonly vpcCidr: string;
  /** Who may connect to the load balancer listeners. */
  readonly albIngress: AlbIngress;
  /** Container ports the ALB may reach on tasks (traffic and health checks). */
  readonly servicePorts: number[];
  /**
   * Port the database listens on.
   * @default 5432
   */
  readonly databasePort?: number;
  /**
   * Create a bastion security group (no ingress: reached through SSM Session Manager) that may
   * reach the database, for the DB tunnel path. The ECS Exec tunnel path runs through a task,
   * so the service group already covers it.
   * @default false
   */
  readonly bastion?: boolean;
  /**
   * Listener ports opened on the load balancer.
   * @default [80, 443] (80 only redirects to 443)
   */
  readonly albListenerPorts?: number[];
  /**
   * The load balancer has IPv6 addresses (`dualstack`). With `albIngress: { public: true }` the
   * listeners then open to `::/0` as well as `0.0.0.0/0`; pass false for an IPv4-only ALB, where
   * a `::/0` rule admits nobody and only misleads a reviewer. With false, IPv6 entries in a
   * literal allowlist are rejected for the same reason.
   * @default true (the `::/0` rules are kept, as before this prop existed; a forgotten
   *   `ipv6: true` on a dual-stack ALB would silently refuse every IPv6 client)
   */
  readonly ipv6?: boolean;
  /**
   * Destinations every service task may reach besides HTTPS (443) and the database, keyed by name,
   * e.g. `{ atlas: { cidrs: ["192.0.2.0/24"], port: 27017 } }`.
   * @default none
   */
  readonly serviceEgress?: Readonly<Record<string, EgressDestination>>;
}

/** Plain IDs for other stacks. */
export interface SecurityGroupsRef {
  readonly albSecurityGroupId: string;
  readonly serviceSecurityGroupId: string;
  readonly databaseSecurityGroupId: string;
  /** Present when `bastion: true`. */
  readonly bastionSecurityGroupId?: string;
}

const HTTPS = 443;

/**
 * The security groups of a web stack, chained by group references: internet (or an
 * allowlist) → ALB → service tasks → database, plus an optional bastion → database path.
 * One rule per `aws_vpc_security_group_*_rule` resource, each with a description, so a plan
 * shows exactly which rule changes and no inline rule list fights a separate rule.
 */
export class SecurityGroups extends Construct {
  readonly ref: SecurityGroupsRef;
  readonly alb: SecurityGroup;
  readonly service: SecurityGroup;
  readonly database: SecurityGroup;
  readonly bastion?: SecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const databasePort = props.databasePort ?? 5432;
    const listenerPorts = props.albListenerPorts ?? [80, HTTPS];
    validate(this.node.path, props, databasePort, listenerPorts);

    const group = (groupId: string, suffix: string, description: string): SecurityGroup => {
      const name = boundedName([props.namePrefix, suffix], NAME_LIMITS.securityGroupName);
      return new SecurityGroup(this, groupId, { name, description, vpcId: props.vpcId, tags: { Name: name } });
    };
    this.alb = group("alb", "alb", "Load balancer: listeners from the allowed sources, forwards to service tasks");
    this.service = group("service", "service", "Service tasks: traffic from the load balancer, out to HTTPS and the database");
    this.database = group("database", "database", "Database: connections from service tasks and the bastion only");
    if (props.bastion) {
      this.bastion = group("bastion", "bastion", "Bastion (SSM Session Manager, no ingress): reaches the database");
    }

    // ALB listeners.
    const ipv6 = props.ipv6 ?? true;
    for (const port of listenerPorts) {
      if ("public" in props.albIngress) {
        for (const cidr of ANYWHERE_CIDRS) {
          const family = isIpv6Cidr(cidr) ? "ipv6" : "ipv4";
          if (family === "ipv6" && !ipv6) continue;
          new VpcSecurityGroupIngressRule(this, `alb-ingress-${port}-public-${family}`, {
            securityGroupId: this.alb.id,
            description: `Listener ${port} from the internet (${family.toUpperCase()})`,
            ...tcp(port),
            ...(family === "ipv6" ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
          });
        }
      } else {
        this.allowlistIngress(port, props.albIngress.allowedCidrs);
      }
    }
    for (const port of props.servicePorts) {
      new VpcSecurityGroupEgressRule(this, `alb-egress-service-${port}`, {
        securityGroupId: this.alb.id,
        description: `To service tasks on ${port}`,
        referencedSecurityGroupId: this.service.id,
        ...tcp(port),
      });
      new VpcSecurityGroupIngressRule(this, `service-ingress-alb-${port}`, {
        securityGroupId: this.service.id,
        description: `From the load balancer on ${port}`,
        referencedSecurityGroupId: this.alb.id,
        ...tcp(port),
      });
    }

    // Tasks pull images, ship logs and call AWS APIs over HTTPS (directly or via VPC endpoints).
    new VpcSecurityGroupEgressRule(this, "service-egress-https", {
      securityGroupId: this.service.id,
      description: "HTTPS to AWS APIs (ECR, CloudWatch Logs, SSM, Secrets Manager) and external services",
      cidrIpv4: "0.0.0.0/0",
      ...tcp(HTTPS),
    });
    addEgressRules(this, "service-egress", this.service.id, props.serviceEgress);
    new VpcSecurityGroupEgressRule(this, "service-egress-database", {
      securityGroupId: this.service.id,
      description: `To the database on ${databasePort}`,
      referencedSecurityGroupId: this.database.id,
      ...tcp(databasePort),
    });
    new VpcSecurityGroupIngressRule(this, "database-ingress-service", {
      securityGroupId: this.database.id,
      description: `From service tasks on ${databasePort} (includes the ECS Exec tunnel path)`,
      referencedSecurityGroupId: this.service.id,
      ...tcp(databasePort),
    });
    // The database group has no egress rule: Terraform removes AWS's default allow-all egress.

    if (this.bastion) {
      new VpcSecurityGroupIngressRule(this, "database-ingress-bastion", {
        securityGroupId: this.database.id,
        description: `From the bastion on ${databasePort} (DB tunnel path)`,
        referencedSecurityGroupId: this.bastion.id,
        ...tcp(databasePort),
      });
      new VpcSecurityGroupEgressRule(this, "bastion-egress-database", {
        securityGroupId: this.bastion.id,
        description: `To the database on ${databasePort}`,
        referencedSecurityGroupId: this.database.id,
        ...tcp(databasePort),
      });
      new VpcSecurityGroupEgressRule(this, "bastion-egress-https", {
        securityGroupId: this.bastion.id,
        description: "HTTPS to the SSM endpoints the Session Manager agent needs",
        cidrIpv4: "0.0.0.0/0",
        ...tcp(HTTPS),
      });
    }

    this.ref = {
      albSecurityGroupId: this.alb.id,
      serviceSecurityGroupId: this.service.id,
      databaseSecurityGroupId: this.database.id,
      ...(this.bastion ? { bastionSecurityGroupId: this.bastion.id } : {}),
    };
  }

  /**
   * One rule resource per listener port, repeated per CIDR. A literal list uses `for_each`
   * keyed by the CIDR (reordering changes nothing); a token list (a sensitive variable) uses
   * `count`, because Terraform refuses sensitive values as `for_each` keys and the addresses
   * must not leak into plan output.
   */
  private allowlistIngress(port: number, cidrs: string[]): void {
    const description = `Listener ${port} from the allowlist`;
    if (!isKnown(cidrs)) {
      const count = TerraformCount.of(Fn.lengthOf(cidrs));
      const cidr: string = Fn.element(cidrs, count.index);
      const isV6 = Fn.strcontains(cidr, ":");
      new VpcSecurityGroupIngressRule(this, `alb-ingress-${port}-allowlist`, {
        count,
        securityGroupId: this.alb.id,
        description,
        cidrIpv4: Fn.conditional(isV6, Token.nullValue(), cidr),
        cidrIpv6: Fn.conditional(isV6, cidr, Token.nullValue()),
        ...tcp(port),
      });
      return;
    }
    const byFamily: Array<["ipv4" | "ipv6", string[]]> = [
      ["ipv4", cidrs.filter((c) => !isIpv6Cidr(c))],
      ["ipv6", cidrs.filter(isIpv6Cidr)],
    ];
    for (const [family, list] of byFamily) {
      if (list.length === 0) continue;
      const each = TerraformIterator.fromList(list);
      const cidr = Token.asString(each.value);
      new VpcSecurityGroupIngressRule(this, `alb-ingress-${port}-allowlist-${family}`, {
        forEach: each,
        securityGroupId: this.alb.id,
        description,
        ...(family === "ipv6" ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        ...tcp(port),
      });
    }
  }
}

function tcp(port: number): { ipProtocol: string; fromPort: number; toPort: number } {
  return { ipProtocol: "tcp", fromPort: port, toPort: port };
}

function validate(path: string, props: SecurityGroupsProps, databasePort: number, listenerPorts: number[]): void {
  const v = new Validator(path);
  checkNamePrefix(v, props.namePrefix);
  if (isKnown(props.vpcCidr)) {
    v.check(isValidCidr(props.vpcCidr), "vpcCidr", props.vpcCidr, "is not a valid IPv4 CIDR; pass the VPC's block, e.g. 10.0.0.0/16.");
  }
  v.check(props.ipv6 === undefined || typeof props.ipv6 === "boolean", "ipv6", props.ipv6, "must be true or false.");
  if (!("public" in props.albIngress)) {
    const cidrs = props.albIngress.allowedCidrs;
    checkAllowedCidrs(v, "albIngress.allowedCidrs", cidrs);
    if (props.ipv6 === false && isKnown(cidrs)) {
      for (const cidr of cidrs.filter((c) => isKnown(c) && isValidIpv6Cidr(c))) {
        v.fail(
          "albIngress.allowedCidrs",
          cidr,
          "is an IPv6 network, but ipv6 is false (the load balancer has no IPv6 address), so the rule would admit nobody; " +
            "remove it, or make the load balancer dual-stack and set ipv6: true.",
        );
      }
    }
  } else {
    v.check(props.albIngress.public === true, "albIngress.public", props.albIngress.public, "must be true; to restrict access pass { allowedCidrs: [...] }.");
  }
  checkPorts(v, "servicePorts", props.servicePorts);
  checkPorts(v, "albListenerPorts", listenerPorts);
  v.check(isValidPort(databasePort), "databasePort", databasePort, "is not a port; use an integer between 1 and 65535 (PostgreSQL: 5432).");
  validateEgress(v, "serviceEgress", props.serviceEgress);
  v.throwIfAny();
}
