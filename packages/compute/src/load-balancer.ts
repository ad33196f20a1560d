import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { ARN_SHAPES, NAME_LIMITS, Validator, boundedName, checkArn, checkBucketName, isKnown } from "@platform/core";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** SSL policies that offer TLS 1.3 and refuse TLS 1.0/1.1. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** `ipv4`: IPv4 addresses only. `dualstack`: IPv4 and IPv6 (its subnets need IPv6 blocks). */
export type LoadBalancerIpAddressType = "ipv4" | "dualstack";

export const LOAD_BALANCER_IP_ADDRESS_TYPES: readonly LoadBalancerIpAddressType[] = ["ipv4", "dualstack"];

/**
 * Something the load balancer forwards to. `FargateService.target` implements it; a plain
 * `{ targetGroupArn }` works for target groups made elsewhere.
 */
export interface LoadBalancerTarget {
  readonly targetGroupArn: string;
  /**
   * Called with the listener (and rule) that forward to the target group. ECS refuses to create
   * a service whose target group is not yet attached to a load balancer, so the service uses
   * this to wait for them.
   */
  readonly attachedVia?: (dependables: readonly ITerraformDependable[]) => void;
}

/** One listener rule: requests matching every given condition go to `target`. */
export interface LoadBalancerRoute {
  /** Rule priority, 1–50000, unique per load balancer; lower numbers are evaluated first. */
  readonly priority: number;
  /**
   * Path patterns (`/api/*`); case-sensitive, `*` and `?` wildcards.
   * @default any path
   */
  readonly pathPatterns?: readonly string[];
  /**
   * Host headers (`api.example.com`, `*.example.com`).
   * @default any host
   */
  readonly hostHeaders?: readonly string[];
  readonly target: LoadBalancerTarget;
}

export interface LoadBalancerAccessLogsProps {
  /** Bucket name (not ARN). Its policy must allow ELB log delivery for the region. */
  readonly bucketName: string;
  /**
   * Key prefix, without leading or trailing slash.
   * @default no prefix
   */
  readonly prefix?: string;
}

export interface LoadBalancerProps {
  /** Prefix of every name, e.g. `acme-staging`. */
  readonly namePrefix: string;
  /**
   * Name part after the prefix; the ALB is `<namePrefix>-<name>` (at most 32 characters, shortened with a hash).
   * @default "alb"
   */
  readonly name?: string;
  /** Public subnets in at least two AZs (the ALB is internet-facing). */
  readonly subnetIds: readonly string[];
  /**
   * Addresses the ALB listens on. `dualstack` also answers IPv6 clients (Route 53 AAAA aliases
   * resolve only then); every subnet in `subnetIds` must have an IPv6 block (a network with
   * `ipv6: true`), or AWS rejects the change. Targets are still reached over IPv4.
   * @default "ipv4"
   */
  readonly ipAddressType?: LoadBalancerIpAddressType;
  /** Security groups of the ALB; they decide who may connect (e.g. an office IP allowlist). */
  readonly securityGroupIds: readonly string[];
  /**
   * ACM certificate for an HTTPS listener on 443. With it, port 80 only answers 301 redirects to HTTPS.
   * @default no HTTPS: port 80 serves traffic
   */
  readonly certificateArn?: string;
  /**
   * TLS negotiation policy of the HTTPS listener.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2 only)
   */
  readonly sslPolicy?: string;
  /**
   * Where requests go that match no route.
   * @default a fixed 404 response
   */
  readonly defaultTarget?: LoadBalancerTarget;
  /**
   * Listener rules, keyed (the key names the rule resource). Example:
   * `{ api: { priority: 10, pathPatterns: ["/api/*"], target: services.api.target } }`.
   * @default none
   */
  readonly routes?: Readonly<Record<string, LoadBalancerRoute>>;
  /**
   * Refuses deletion through the API until turned off; a cheap, often-rebuilt staging turns it off explicitly.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Seconds an idle connection stays open, 1–4000. Raise it for long-polling or uploads.
   * @default 60
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * Writes access logs to S3.
   * @default no access logs
   */
  readonly accessLogs?: LoadBalancerAccessLogsProps;
}

/** What other stacks (edge, monitoring) need to know about the load balancer. */
export interface LoadBalancerRef {
  readonly albArn: string;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of CloudWatch metrics. */
  readonly albArnSuffix: string;
  readonly albDnsName: string;
  /** Hosted zone of the ALB's DNS name, for Route 53 alias records. */
  readonly albZoneId: string;
  /** Every listener (HTTP, and HTTPS when a certificate is set). */
  readonly listenerArns: string[];
  /** A literal, not an output: whether AAAA records for the ALB can resolve (`dualstack`). */
  readonly ipAddressType: LoadBalancerIpAddressType;
}

const ROUTE_PRIORITY_MAX = 50000;
/** ALB limit: a rule carries at most five condition values in total. */
const MAX_CONDITION_VALUES = 5;

/**
 * An internet-facing Application Load Balancer with an HTTP listener, an HTTPS listener when a
 * certificate is given (then HTTP only redirects), and path/host routes to targets.
 * Invalid HTTP headers are dropped rather than forwarded (request-smuggling defence).
 */
export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly httpListener: LbListener;
  readonly httpsListener?: LbListener;
  /** The listener that carries the routes: HTTPS when there is a certificate, else HTTP. */
  readonly routingListener: LbListener;
  readonly rules: Readonly<Record<string, LbListenerRule>>;
  readonly ref: LoadBalancerRef;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    validate(this.node.path, props);

    const name = boundedName([props.namePrefix, props.name ?? "alb"], NAME_LIMITS.albName);
    const ipAddressType = props.ipAddressType ?? "ipv4";
    this.alb = new Lb(this, "alb", {
      name,
      loadBalancerType: "application",
      internal: false,
      ipAddressType,
      subnets: [...props.subnetIds],
      securityGroups: [...props.securityGroupIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection ?? true,
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      accessLogs: props.accessLogs
        ? { bucket: props.accessLogs.bucketName, prefix: props.accessLogs.prefix, enabled: true }
        : undefined,
      tags: { Name: name },
    });

    const forward: LbListenerDefaultAction = props.defaultTarget
      ? { type: "forward", targetGroupArn: props.defaultTarget.targetGroupArn }
      : { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" } };

    if (props.certificateArn !== undefined) {
      this.httpsListener = new LbListener(this, "https", {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: props.sslPolicy ?? DEFAULT_SSL_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [forward],
      });
      this.httpListener = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      });
      this.routingListener = this.httpsListener;
    } else {
      this.httpListener = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [forward],
      });
      this.routingListener = this.httpListener;
    }
    props.defaultTarget?.attachedVia?.([this.routingListener]);

    const routes = new Construct(this, "routes");
    const rules: Record<string, LbListenerRule> = {};
    for (const [key, route] of sortedRoutes(props.routes ?? {})) {
      rules[key] = new LbListenerRule(routes, key, {
        listenerArn: this.routingListener.arn,
        priority: route.priority,
        action: [{ type: "forward", targetGroupArn: route.target.targetGroupArn }],
        condition: [
          ...(route.pathPatterns?.length ? [{ pathPattern: { values: [...route.pathPatterns] } }] : []),
          ...(route.hostHeaders?.length ? [{ hostHeader: { values: [...route.hostHeaders] } }] : []),
        ],
        tags: { Name: `${name}-${key}` },
      });
      route.target.attachedVia?.([this.routingListener, rules[key]!]);
    }
    this.rules = rules;

    this.ref = {
      albArn: this.alb.arn,
      albArnSuffix: this.alb.arnSuffix,
      albDnsName: this.alb.dnsName,
      albZoneId: this.alb.zoneId,
      listenerArns: [this.httpListener.arn, ...(this.httpsListener ? [this.httpsListener.arn] : [])],
      ipAddressType,
    };
  }
}

/** Routes in evaluation order, so the synthesized JSON reads like the listener's rule list. */
function sortedRoutes(routes: Readonly<Record<string, LoadBalancerRoute>>): [string, LoadBalancerRoute][] {
  return Object.entries(routes).sort(([, a], [, b]) => a.priority - b.priority);
}

function validate(path: string, props: LoadBalancerProps): void {
  const v = new Validator(path);
  if (isKnown(props.subnetIds)) {
    v.check(
      props.subnetIds.length >= 2,
      "subnetIds",
      props.subnetIds,
      "an ALB needs subnets in at least two availability zones; pass the public subnets of two or more AZs.",
    );
  }
  if (props.ipAddressType !== undefined) {
    v.check(
      LOAD_BALANCER_IP_ADDRESS_TYPES.includes(props.ipAddressType),
      "ipAddressType",
      props.ipAddressType,
      `must be one of ${LOAD_BALANCER_IP_ADDRESS_TYPES.map((t) => `"${t}"`).join(", ")} ("dualstack" needs subnets with IPv6 blocks).`,
    );
  }
  if (isKnown(props.securityGroupIds)) {
    v.check(props.securityGroupIds.length >= 1, "securityGroupIds", props.securityGroupIds, "pass at least one security group (e.g. securityGroups.albSecurityGroupId).");
  }
  if (props.certificateArn !== undefined) checkArn(v, "certificateArn", props.certificateArn, ARN_SHAPES.acmCertificate, "in the ALB's region");
  if (props.certificateArn === undefined) {
    v.check(props.sslPolicy === undefined, "sslPolicy", props.sslPolicy, "only applies to the HTTPS listener; set certificateArn or remove sslPolicy.");
  }
  if (props.sslPolicy !== undefined && isKnown(props.sslPolicy)) {
    v.check(
      // TLS 1.2+ families only: TLS13-1-0/1-1, FS-2018-06 and the 2016 policies still accept TLS 1.0.
      /^ELBSecurityPolicy-(TLS13-1-[23]-|FS-1-2-|TLS-1-2-)/.test(props.sslPolicy),
      "sslPolicy",
      props.sslPolicy,
      `allows TLS 1.0/1.1 or is not an ALB policy; use "${DEFAULT_SSL_POLICY}" or another ELBSecurityPolicy-TLS13-* policy.`,
    );
  }
  const idle = props.idleTimeoutSeconds ?? 60;
  v.check(Number.isInteger(idle) && idle >= 1 && idle <= 4000, "idleTimeoutSeconds", idle, "must be a whole number of seconds between 1 and 4000.");
  if (props.accessLogs) {
    checkBucketName(v, "accessLogs.bucketName", props.accessLogs.bucketName);
    const prefix = props.accessLogs.prefix;
    if (prefix !== undefined && isKnown(prefix)) {
      v.check(
        !prefix.startsWith("/") && !prefix.endsWith("/") && !/AWSLogs/.test(prefix),
        "accessLogs.prefix",
        prefix,
        "must not start or end with '/' nor contain 'AWSLogs' (ELB appends /AWSLogs/<account>/ itself).",
      );
    }
  }

  const byPriority = new Map<number, string>();
  for (const [key, route] of Object.entries(props.routes ?? {})) {
    const field = `routes.${key}`;
    v.check(/^[a-z][a-z0-9-]{0,30}$/.test(key), field, key, "route keys become resource names: use lower-case letters, digits and hyphens, starting with a letter.");
    const p = route.priority;
    if (v.check(Number.isInteger(p) && p >= 1 && p <= ROUTE_PRIORITY_MAX, `${field}.priority`, p, `must be a whole number between 1 and ${ROUTE_PRIORITY_MAX}.`)) {
      const other = byPriority.get(p);
      v.check(other === undefined, `${field}.priority`, p, `is already used by route "${other}"; every route needs its own priority.`);
      byPriority.set(p, key);
    }
    const paths = route.pathPatterns ?? [];
    const hosts = route.hostHeaders ?? [];
    const values = paths.length + hosts.length;
    v.check(values >= 1, field, route, "needs pathPatterns or hostHeaders; a route without a condition would shadow the default target.");
    v.check(values <= MAX_CONDITION_VALUES, field, [...paths, ...hosts], `has ${values} condition values; an ALB rule allows at most ${MAX_CONDITION_VALUES} in total. Split it into two routes.`);
    paths.forEach((pattern, i) => {
      if (!isKnown(pattern)) return;
      v.check(
        pattern.startsWith("/") && pattern.length <= 128 && /^[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?]+$/.test(pattern),
        `${field}.pathPatterns[${i}]`,
        pattern,
        'must start with "/", be at most 128 characters and use only URL path characters with * and ? wildcards (e.g. "/api/*").',
      );
    });
    hosts.forEach((host, i) => {
      if (!isKnown(host)) return;
      v.check(
        host.length <= 128 && /^[A-Za-z0-9*?.-]+$/.test(host),
        `${field}.hostHeaders[${i}]`,
        host,
        'must be a host name of at most 128 characters with optional * and ? wildcards (e.g. "api.example.com").',
      );
    });
  }
  v.throwIfAny();
}
