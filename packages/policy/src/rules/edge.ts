import { blocks, isTrue, references, resources, setting, violation, type ResourceRef } from "../model";
import type { PolicyInput, Rule } from "../types";

/** ALB security policies that allow TLS below 1.2. */
const LEGACY_TLS = /^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0|TLS-1-1|FS-2018-06|FS-1-1)/;

function publicAlbs(input: PolicyInput): ResourceRef[] {
  return resources(input, "aws_lb").filter((lb) => lb.values.internal !== true && (lb.values.load_balancer_type ?? "application") === "application");
}

function listenersOf(input: PolicyInput, lb: ResourceRef): ResourceRef[] {
  return resources(input, "aws_lb_listener").filter((l) => l.stack === lb.stack && references(l.values.load_balancer_arn, lb));
}

/** Whether a listener's default action sends the client to HTTPS. */
function redirectsToHttps(listener: ResourceRef): boolean {
  return blocks(listener.values.default_action).some((a) => a.type === "redirect" && blocks(a.redirect).some((r) => r.protocol === "HTTPS"));
}

/** Whether the ALB's security group admits the whole internet. */
function openToInternet(input: PolicyInput, lb: ResourceRef): boolean {
  const groups = resources(input, "aws_security_group").filter((g) => references(lb.values.security_groups, g));
  return resources(input, "aws_vpc_security_group_ingress_rule").some(
    (r) => groups.some((g) => references(r.values.security_group_id, g)) && (r.values.cidr_ipv4 === "0.0.0.0/0" || r.values.cidr_ipv6 === "::/0"),
  );
}

export const edgeRules: Rule[] = [
  {
    id: "PLAT-EDGE-001",
    severity: "high",
    category: "edge",
    title: "HTTPS listeners use a TLS 1.2+ security policy",
    rationale: "TLS 1.0/1.1 policies accept ciphers with known attacks and fail PCI and most audits.",
    anchors: { checkov: ["CKV_AWS_103"], trivy: ["AVD-AWS-0047"], fsbp: ["ELB.17"] },
    check: (input) =>
      resources(input, "aws_lb_listener")
        .filter((l) => l.values.protocol === "HTTPS" && (typeof l.values.ssl_policy !== "string" || LEGACY_TLS.test(l.values.ssl_policy)))
        .map((l) => violation(l, `ssl_policy ${JSON.stringify(l.values.ssl_policy ?? "(provider default)")} allows TLS below 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06.`)),
  },
  {
    id: "PLAT-EDGE-002",
    severity: "medium",
    category: "edge",
    title: "Plain-HTTP listeners redirect to HTTPS",
    rationale: "A forwarding HTTP listener serves the application, cookies included, in clear text.",
    anchors: { checkov: ["CKV2_AWS_20"], trivy: ["AVD-AWS-0054"], fsbp: ["ELB.1"] },
    check: (input) =>
      resources(input, "aws_lb_listener")
        .filter((l) => l.values.protocol === "HTTP" && !redirectsToHttps(l))
        .map((l) => violation(l, `the HTTP listener serves traffic instead of redirecting to HTTPS; set ${setting(input, "edge.domain")} so the ALB gets a certificate.`)),
  },
  {
    id: "PLAT-EDGE-003",
    severity: "high",
    category: "edge",
    title: "An internet-open load balancer that serves plain HTTP is not open to the whole internet",
    rationale: "albIngress \"public\" on an ALB without HTTPS publishes the application to everyone in clear text; restrict it to an allowlist or add a certificate.",
    anchors: {},
    check: (input) =>
      publicAlbs(input)
        .filter((lb) => openToInternet(input, lb) && listenersOf(input, lb).some((l) => l.values.protocol === "HTTP" && !redirectsToHttps(l)))
        .map((lb) => violation(lb, `the ALB admits 0.0.0.0/0 and serves plain HTTP; set ${setting(input, "security.albIngress")}: "allowlist-variable" or ${setting(input, "edge.domain")} for HTTPS.`)),
  },
  {
    id: "PLAT-EDGE-004",
    severity: "high",
    category: "edge",
    title: "Internet-facing load balancers are protected by a WAF web ACL",
    rationale: "Without a WAF, rate limiting and the managed rule sets (SQLi, known bad inputs) do not apply.",
    anchors: { checkov: ["CKV2_AWS_28"], fsbp: ["ELB.16"] },
    check: (input) =>
      publicAlbs(input)
        .filter((lb) => !resources(input, "aws_wafv2_web_acl_association").some((a) => references(a.values.resource_arn, lb)))
        .map((lb) => violation(lb, `no aws_wafv2_web_acl_association protects this ALB; configure ${setting(input, "edge")}.`)),
  },
  {
    id: "PLAT-EDGE-005",
    severity: "medium",
    category: "edge",
    title: "Load balancers drop invalid HTTP header fields",
    rationale: "Passing malformed headers to targets enables request smuggling (desync) attacks.",
    anchors: { checkov: ["CKV_AWS_131"], trivy: ["AVD-AWS-0052"], fsbp: ["ELB.4"] },
    check: (input) =>
      resources(input, "aws_lb")
        .filter((lb) => (lb.values.load_balancer_type ?? "application") === "application" && !isTrue(lb.values.drop_invalid_header_fields))
        .map((lb) => violation(lb, "drop_invalid_header_fields is not true.")),
  },
  {
    id: "PLAT-EDGE-006",
    severity: "medium",
    category: "edge",
    title: "Load balancer access logs are enabled",
    rationale: "Access logs are the only per-request record of who called what through the ALB.",
    anchors: { checkov: ["CKV_AWS_91"], fsbp: ["ELB.5"] },
    check: (input) =>
      resources(input, "aws_lb")
        .filter((lb) => !blocks(lb.values.access_logs).some((l) => isTrue(l.enabled)))
        .map((lb) => violation(lb, `access_logs are off; set ${setting(input, "storage.albAccessLogs")}.`)),
  },
  {
    id: "PLAT-EDGE-007",
    severity: "medium",
    category: "edge",
    title: "Load balancers have deletion protection",
    rationale: "Deleting the ALB changes its DNS name and takes the site down until DNS follows.",
    anchors: { checkov: ["CKV_AWS_150"], fsbp: ["ELB.6"] },
    check: (input) =>
      resources(input, "aws_lb")
        .filter((lb) => !isTrue(lb.values.enable_deletion_protection))
        .map((lb) => violation(lb, `enable_deletion_protection is off; set ${setting(input, "compute.albDeletionProtection")}: true.`)),
  },
  {
    id: "PLAT-EDGE-008",
    severity: "low",
    category: "edge",
    title: "WAF web ACLs log their decisions",
    rationale: "Without WAF logs a blocked customer or an attack cannot be traced to a rule.",
    anchors: { checkov: ["CKV2_AWS_31"] },
    check: (input) =>
      resources(input, "aws_wafv2_web_acl")
        .filter((acl) => !resources(input, "aws_wafv2_web_acl_logging_configuration").some((l) => references(l.values.resource_arn, acl)))
        .map((acl) => violation(acl, "no aws_wafv2_web_acl_logging_configuration for this web ACL.")),
  },
];
