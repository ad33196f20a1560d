import { listResources, resourceAt, synth, testStack } from "@platform/core/testing";
import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { DEFAULT_SSL_POLICY, LoadBalancer, type LoadBalancerProps } from "../src/load-balancer";
import { CERTIFICATE_ARN, NETWORK, SECURITY_GROUPS, errorOf } from "./fixtures";

const WEB = { targetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/acme-web/0123456789abcdef" };
const API = { targetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/acme-api/0123456789abcdef" };

function props(overrides: Partial<LoadBalancerProps> = {}): LoadBalancerProps {
  return {
    namePrefix: "acme-prod",
    subnetIds: NETWORK.publicSubnetIds,
    securityGroupIds: [SECURITY_GROUPS.albSecurityGroupId],
    defaultTarget: WEB,
    routes: { api: { priority: 10, pathPatterns: ["/api/*"], target: API } },
    ...overrides,
  };
}

describe("LoadBalancer with a certificate (seed 003: HTTPS, TLS 1.3 policy, HTTP→HTTPS redirect)", () => {
  const stack = testStack("compute");
  const lb = new LoadBalancer(stack, "lb", props({
    certificateArn: CERTIFICATE_ARN,
    accessLogs: { bucketName: "acme-prod-alb-logs", prefix: "alb" },
    idleTimeoutSeconds: 120,
  }));
  new TerraformOutput(stack, "lb-ref", { value: lb.ref });
  const json = synth(stack);
  const alb = resourceAt(json, "aws_lb", "lb/alb");
  const https = resourceAt(json, "aws_lb_listener", "lb/https");
  const http = resourceAt(json, "aws_lb_listener", "lb/http");

  it("is an internet-facing ALB in the public subnets behind the given security group", () => {
    expect(alb).toMatchObject({
      name: "acme-prod-alb",
      load_balancer_type: "application",
      internal: false,
      subnets: NETWORK.publicSubnetIds,
      security_groups: [SECURITY_GROUPS.albSecurityGroupId],
    });
  });

  it("listens on IPv4 only by default", () => {
    expect(alb.ip_address_type).toBe("ipv4");
  });

  it("drops invalid headers, keeps deletion protection on by default, logs access to S3", () => {
    expect(alb.drop_invalid_header_fields).toBe(true);
    expect(alb.enable_deletion_protection).toBe(true);
    expect(alb.idle_timeout).toBe(120);
    expect(alb.access_logs).toEqual({ bucket: "acme-prod-alb-logs", prefix: "alb", enabled: true });
  });

  it("terminates TLS on 443 with the TLS 1.3 policy and forwards by default to web", () => {
    expect(https).toMatchObject({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn: CERTIFICATE_ARN });
    expect(https.default_action).toEqual([{ type: "forward", target_group_arn: WEB.targetGroupArn }]);
    expect(DEFAULT_SSL_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
  });

  it("answers port 80 only with a 301 to HTTPS", () => {
    expect(http).toMatchObject({ port: 80, protocol: "HTTP" });
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
  });

  it("routes /api/* to the api target on the HTTPS listener", () => {
    const rule = resourceAt(json, "aws_lb_listener_rule", "lb/routes/api");
    expect(rule.listener_arn).toMatch(/lb_https_[0-9A-F]{8}\.arn\}$/);
    expect(rule.priority).toBe(10);
    expect(rule.condition).toEqual([{ path_pattern: { values: ["/api/*"] } }]);
    expect(rule.action).toEqual([{ type: "forward", target_group_arn: API.targetGroupArn }]);
  });

  it("exposes ARN, ARN suffix, DNS name, zone and both listeners", () => {
    const albAttribute = (attribute: string) => expect.stringMatching(new RegExp(`^\\$\\{aws_lb\\.lb_alb_[0-9A-F]{8}\\.${attribute}\\}$`));
    expect(json.output!["lb-ref"]!.value).toEqual({
      albArn: albAttribute("arn"),
      albArnSuffix: albAttribute("arn_suffix"),
      albDnsName: albAttribute("dns_name"),
      albZoneId: albAttribute("zone_id"),
      listenerArns: [expect.stringMatching(/lb_http_[0-9A-F]{8}\.arn\}$/), expect.stringMatching(/lb_https_[0-9A-F]{8}\.arn\}$/)],
      ipAddressType: "ipv4",
    });
  });
});

describe("LoadBalancer without a certificate (seed 002: HTTP only, IP allowlist in the security group)", () => {
  const stack = testStack("compute");
  const lb = new LoadBalancer(stack, "lb", props({ deletionProtection: false }));
  const json = synth(stack);

  it("serves HTTP on 80, forwarding to web by default and /api/* to api", () => {
    const listeners = listResources(json, "aws_lb_listener");
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({ port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: WEB.targetGroupArn }] });
    expect(resourceAt(json, "aws_lb_listener_rule", "lb/routes/api").listener_arn).toMatch(/lb_http_[0-9A-F]{8}\.arn\}$/);
    expect(lb.ref.listenerArns).toHaveLength(1);
  });

  it("lets staging turn deletion protection off explicitly", () => {
    expect(resourceAt(json, "aws_lb", "lb/alb").enable_deletion_protection).toBe(false);
  });
});

describe("LoadBalancer, dual-stack", () => {
  const stack = testStack("compute");
  const lb = new LoadBalancer(stack, "lb", props({ certificateArn: CERTIFICATE_ARN, ipAddressType: "dualstack" }));
  const json = synth(stack);

  it("listens on IPv4 and IPv6 and says so in its ref", () => {
    expect(resourceAt(json, "aws_lb", "lb/alb")).toMatchObject({ ip_address_type: "dualstack", internal: false });
    expect(lb.ref.ipAddressType).toBe("dualstack");
  });
});

describe("LoadBalancer routing", () => {
  it("answers 404 for unmatched requests when there is no default target", () => {
    const stack = testStack();
    new LoadBalancer(stack, "lb", props({ defaultTarget: undefined }));
    expect(resourceAt(synth(stack), "aws_lb_listener", "lb/http").default_action).toEqual([
      { type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "Not Found", status_code: "404" } },
    ]);
  });

  it("combines path and host conditions and writes rules in priority order", () => {
    const stack = testStack();
    new LoadBalancer(stack, "lb", props({
      routes: {
        docs: { priority: 30, pathPatterns: ["/docs/*"], target: WEB },
        api: { priority: 10, hostHeaders: ["api.example.com"], pathPatterns: ["/v1/*"], target: API },
      },
    }));
    const rules = Object.values(synth(stack).resource!.aws_lb_listener_rule!);
    expect(rules.map((r) => r.priority)).toEqual([10, 30]);
    expect(rules[0]!.condition).toEqual([{ path_pattern: { values: ["/v1/*"] } }, { host_header: { values: ["api.example.com"] } }]);
  });

  it("tells each target which listener and rule attach it", () => {
    const seen: Record<string, number> = {};
    const spy = (key: string) => ({ ...WEB, attachedVia: (deps: readonly unknown[]) => void (seen[key] = deps.length) });
    new LoadBalancer(testStack(), "lb", props({ defaultTarget: spy("default"), routes: { api: { priority: 1, pathPatterns: ["/api/*"], target: spy("api") } } }));
    expect(seen).toEqual({ default: 1, api: 2 });
  });
});

describe("LoadBalancer validation", () => {
  const build = (overrides: Partial<LoadBalancerProps>) => () => new LoadBalancer(testStack(), "lb", props(overrides));

  it("fails when two routes share a priority", () => {
    expect(errorOf(build({
      routes: { api: { priority: 10, pathPatterns: ["/api/*"], target: API }, admin: { priority: 10, pathPatterns: ["/admin/*"], target: WEB } },
    }))).toContain('lb.routes.admin.priority: 10 is already used by route "api"; every route needs its own priority.');
  });

  it("fails when a priority is outside 1–50000", () => {
    const message = errorOf(build({ routes: { api: { priority: 0, pathPatterns: ["/api/*"], target: API }, b: { priority: 50001, pathPatterns: ["/b"], target: API } } }));
    expect(message).toContain("lb.routes.api.priority: 0 must be a whole number between 1 and 50000");
    expect(message).toContain("lb.routes.b.priority: 50001 must be a whole number between 1 and 50000");
  });

  it("fails when a route has no condition or a path pattern without a leading slash", () => {
    const message = errorOf(build({ routes: { any: { priority: 1, target: API }, bad: { priority: 2, pathPatterns: ["api/*"], target: API } } }));
    expect(message).toContain("lb.routes.any: ");
    expect(message).toContain("needs pathPatterns or hostHeaders");
    expect(message).toContain('lb.routes.bad.pathPatterns[0]: "api/*" must start with "/"');
  });

  it("fails when ipAddressType is not ipv4 or dualstack", () => {
    expect(errorOf(build({ ipAddressType: "ipv6" as never }))).toContain(
      'lb.ipAddressType: "ipv6" must be one of "ipv4", "dualstack" ("dualstack" needs subnets with IPv6 blocks).',
    );
  });

  it("fails when the ALB would sit in a single subnet", () => {
    expect(errorOf(build({ subnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] }))).toContain("lb.subnetIds: [\"subnet-0aaaaaaaaaaaaaaa1\"] an ALB needs subnets in at least two availability zones");
  });

  it("fails when the SSL policy still allows TLS 1.0/1.1, or is set without a certificate", () => {
    expect(errorOf(build({ certificateArn: CERTIFICATE_ARN, sslPolicy: "ELBSecurityPolicy-2016-08" }))).toContain(
      'lb.sslPolicy: "ELBSecurityPolicy-2016-08" allows TLS 1.0/1.1 or is not an ALB policy; use "ELBSecurityPolicy-TLS13-1-2-2021-06"',
    );
    expect(errorOf(build({ sslPolicy: DEFAULT_SSL_POLICY }))).toContain("lb.sslPolicy");
    expect(errorOf(build({ certificateArn: CERTIFICATE_ARN, sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }))).toContain("allows TLS 1.0/1.1");
    expect(() => build({ certificateArn: CERTIFICATE_ARN, sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" })()).not.toThrow();
  });

  it("fails when the certificate is not an ACM ARN, the idle timeout is out of range or the log prefix has slashes", () => {
    const message = errorOf(build({ certificateArn: "my-cert", idleTimeoutSeconds: 5000, accessLogs: { bucketName: "logs", prefix: "/alb/" } }));
    expect(message).toContain('lb.certificateArn: "my-cert" must be an ACM certificate ARN');
    expect(message).toContain("lb.idleTimeoutSeconds: 5000 must be a whole number of seconds between 1 and 4000");
    expect(message).toContain('lb.accessLogs.prefix: "/alb/" must not start or end with \'/\'');
  });
});
