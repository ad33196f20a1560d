import { describe, expect, it } from "vitest";
import { onlyResource, synth, testStack } from "@platform/core/testing";
import { MANAGED_RULE_GROUPS, WebAcl, type WebAclProps } from "../src/index";

const ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/acme-prod-web/50dc6c495c0c9188";
const base: WebAclProps = { namePrefix: "acme-prod", loadBalancerArn: ALB_ARN, logRetentionDays: 30 };

type Rule = {
  name: string;
  priority: number;
  action?: unknown;
  override_action?: unknown;
  statement: {
    rate_based_statement?: Record<string, unknown>;
    managed_rule_group_statement?: { name: string; vendor_name: string; rule_action_override?: unknown[] };
  };
  visibility_config: Record<string, unknown>;
};

describe("WebAcl with defaults", () => {
  const stack = testStack("edge");
  new WebAcl(stack, "waf", base);
  const json = synth(stack);
  const acl = onlyResource(json, "aws_wafv2_web_acl");
  const rules = acl.rule as Rule[];

  it("is a regional ACL that allows by default with metrics and sampling on", () => {
    expect(acl).toMatchObject({
      name: "acme-prod-waf",
      scope: "REGIONAL",
      default_action: { allow: {} },
      visibility_config: { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: "acme-prod-waf" },
    });
  });

  it("blocks an IP after 2000 requests in 5 minutes, before any managed group", () => {
    const rate = rules.find((r) => r.name === "rate-limit")!;
    expect(rate.priority).toBe(Math.min(...rules.map((r) => r.priority)));
    expect(rate.action).toEqual({ block: {} });
    expect(rate.statement.rate_based_statement).toEqual({ limit: 2000, evaluation_window_sec: 300, aggregate_key_type: "IP" });
  });

  it("runs the four AWS managed groups with their own actions, in a fixed priority order", () => {
    const managed = rules.filter((r) => r.statement.managed_rule_group_statement);
    expect(managed.map((r) => [r.priority, r.statement.managed_rule_group_statement!.name])).toEqual([
      [10, "AWSManagedRulesAmazonIpReputationList"],
      [20, "AWSManagedRulesCommonRuleSet"],
      [30, "AWSManagedRulesKnownBadInputsRuleSet"],
      [40, "AWSManagedRulesSQLiRuleSet"],
    ]);
    for (const rule of managed) {
      expect(rule.override_action).toEqual({ none: {} });
      expect(rule.action).toBeUndefined();
      expect(rule.statement.managed_rule_group_statement!.vendor_name).toBe("AWS");
      expect(rule.statement.managed_rule_group_statement!.rule_action_override).toBeUndefined();
    }
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
  });

  it("turns on metrics and sampling for every rule under a distinct metric name", () => {
    for (const rule of rules) {
      expect(rule.visibility_config).toEqual({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: `acme-prod-waf-${rule.name}`,
      });
    }
  });

  it("is associated with the load balancer", () => {
    const association = onlyResource(json, "aws_wafv2_web_acl_association");
    expect(association.resource_arn).toBe(ALB_ARN);
    expect(association.web_acl_arn).toMatch(/^\$\{aws_wafv2_web_acl\.waf_acl_[0-9A-F]{8}\.arn\}$/);
  });

  it("logs every request to an aws-waf-logs- group with retention, redacting credentials", () => {
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "aws-waf-logs-acme-prod", retention_in_days: 30 });
    const logging = onlyResource(json, "aws_wafv2_web_acl_logging_configuration");
    expect(logging.resource_arn).toMatch(/^\$\{aws_wafv2_web_acl\.waf_acl_[0-9A-F]{8}\.arn\}$/);
    expect(logging.log_destination_configs).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.waf_logs_[0-9A-F]{8}\.arn\}$/)]);
    expect(logging.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
    expect(logging.logging_filter).toBeUndefined();
  });
});

describe("WebAcl with options", () => {
  const stack = testStack("edge");
  new WebAcl(stack, "waf", {
    ...base,
    rateLimitPerIp: 500,
    rateLimitWindowSeconds: 60,
    ruleActionOverrides: [
      { group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", action: "count" },
      { group: "AWSManagedRulesCommonRuleSet", rule: "NoUserAgent_HEADER", action: "challenge" },
    ],
    countOnlyRuleGroups: ["AWSManagedRulesSQLiRuleSet"],
    logGroupName: "aws-waf-logs-acme-prod-alb",
    logOnlyMatchedRequests: true,
    logRetentionDays: 90,
  });
  const json = synth(stack);
  const rules = onlyResource(json, "aws_wafv2_web_acl").rule as Rule[];

  it("uses the given rate limit and window", () => {
    expect(rules[0]!.statement.rate_based_statement).toMatchObject({ limit: 500, evaluation_window_sec: 60 });
  });

  it("overrides single rules of a managed group (e.g. allows large upload bodies)", () => {
    const common = rules.find((r) => r.statement.managed_rule_group_statement?.name === "AWSManagedRulesCommonRuleSet")!;
    expect(common.statement.managed_rule_group_statement!.rule_action_override).toEqual([
      { name: "SizeRestrictions_BODY", action_to_use: { count: {} } },
      { name: "NoUserAgent_HEADER", action_to_use: { challenge: {} } },
    ]);
    expect(common.override_action).toEqual({ none: {} });
  });

  it("puts count-only groups in count mode and leaves the others blocking", () => {
    const modes = Object.fromEntries(
      rules.filter((r) => r.override_action).map((r) => [r.statement.managed_rule_group_statement!.name, r.override_action]),
    );
    expect(modes).toEqual({
      AWSManagedRulesAmazonIpReputationList: { none: {} },
      AWSManagedRulesCommonRuleSet: { none: {} },
      AWSManagedRulesKnownBadInputsRuleSet: { none: {} },
      AWSManagedRulesSQLiRuleSet: { count: {} },
    });
  });

  it("logs only blocked and counted requests to the named group", () => {
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "aws-waf-logs-acme-prod-alb", retention_in_days: 90 });
    expect(onlyResource(json, "aws_wafv2_web_acl_logging_configuration").logging_filter).toEqual({
      default_behavior: "DROP",
      filter: [
        {
          behavior: "KEEP",
          requirement: "MEETS_ANY",
          condition: [{ action_condition: { action: "BLOCK" } }, { action_condition: { action: "COUNT" } }],
        },
      ],
    });
  });
});

describe("WebAcl validation", () => {
  const make = (props: Partial<WebAclProps>) => () => new WebAcl(testStack("bad"), "waf", { ...base, ...props });

  it("fails when the log group name lacks the aws-waf-logs- prefix, naming the prop, value and fix", () => {
    expect(make({ logGroupName: "/aws/waf/acme-prod" })).toThrow(
      /waf\.logGroupName: "\/aws\/waf\/acme-prod" must start with "aws-waf-logs-".*e\.g\. "aws-waf-logs-acme-prod"/,
    );
  });

  it("fails when the rate limit is below 10, above 2,000,000,000 or fractional", () => {
    for (const rateLimitPerIp of [9, 2_000_000_001, 100.5]) {
      expect(make({ rateLimitPerIp })).toThrow(
        new RegExp(`waf\\.rateLimitPerIp: ${rateLimitPerIp} must be a whole number of requests between 10 and 2,000,000,000`),
      );
    }
  });

  it("fails when the rate window is not one WAF supports", () => {
    expect(make({ rateLimitWindowSeconds: 30 as never })).toThrow(/rateLimitWindowSeconds: 30 must be one of 60, 120, 300, 600/);
  });

  it("fails when the log retention is not one CloudWatch accepts", () => {
    expect(make({ logRetentionDays: 10 })).toThrow(/waf\.logRetentionDays: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7/);
  });

  it("fails when the ARN is not an Application Load Balancer's", () => {
    expect(make({ loadBalancerArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/x/50dc6c495c0c9188" })).toThrow(
      /waf\.loadBalancerArn: .* must be an Application Load Balancer ARN/,
    );
  });

  it("fails when an override names an unknown group, a malformed rule or the same rule twice", () => {
    const o = { group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", action: "count" } as const;
    expect(make({ ruleActionOverrides: [{ ...o, group: "AWSManagedRulesLinuxRuleSet" as never }] })).toThrow(
      /ruleActionOverrides\[0\]\.group: "AWSManagedRulesLinuxRuleSet" is not a rule group of this web ACL/,
    );
    expect(make({ ruleActionOverrides: [{ ...o, rule: "Size Restrictions" }] })).toThrow(/ruleActionOverrides\[0\]\.rule: "Size Restrictions" must be the managed rule's name/);
    expect(make({ ruleActionOverrides: [o, o] })).toThrow(/ruleActionOverrides\[1\]\.rule: "SizeRestrictions_BODY" is overridden twice/);
  });

  it("fails when the name prefix is not lower-case kebab, listing every problem at once", () => {
    let error: Error | undefined;
    try {
      make({ namePrefix: "Acme_Prod", logRetentionDays: 0 })();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/Invalid configuration \(2 problems\)/);
    expect(error?.message).toMatch(/waf\.namePrefix: "Acme_Prod" must be lower-case letters/);
  });

  it("covers exactly the groups the seed asks for plus IP reputation", () => {
    expect(MANAGED_RULE_GROUPS.map((g) => g.group).sort()).toEqual([
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesSQLiRuleSet",
    ]);
  });
});
