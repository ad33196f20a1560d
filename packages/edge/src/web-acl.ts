import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import {
  Wafv2WebAclLoggingConfiguration,
  type Wafv2WebAclLoggingConfigurationLoggingFilter,
} from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { ARN_SHAPES, NAME_LIMITS, Validator, boundedName, checkArn, checkKmsKeyArn, checkNamePrefix, isKnown, checkLogRetention } from "@platform/core";
import { Construct } from "constructs";

/** The AWS managed rule groups every web ACL runs, in evaluation order after the rate limit. */
export const MANAGED_RULE_GROUPS = [
  // Cheapest first (25 WCU): drops known-bad IPs before the heavier inspections.
  { group: "AWSManagedRulesAmazonIpReputationList", ruleName: "ip-reputation" },
  // OWASP-style core rule set (700 WCU), includes the cross-site scripting rules.
  { group: "AWSManagedRulesCommonRuleSet", ruleName: "common" },
  { group: "AWSManagedRulesKnownBadInputsRuleSet", ruleName: "known-bad-inputs" },
  { group: "AWSManagedRulesSQLiRuleSet", ruleName: "sqli" },
] as const;

export type ManagedRuleGroupName = (typeof MANAGED_RULE_GROUPS)[number]["group"];

/** Rule actions a managed rule can be overridden to. `count` is how a rule is "excluded". */
export type RuleOverrideAction = "count" | "block" | "allow" | "captcha" | "challenge";

/** Changes the action of one rule inside a managed rule group. */
export interface RuleActionOverride {
  /** The managed rule group holding the rule. */
  readonly group: ManagedRuleGroupName;
  /** The rule's name in that group, e.g. `SizeRestrictions_BODY` (see the AWS WAF managed rules docs). */
  readonly rule: string;
  /** The action to use instead of the rule's own. `count` only records matches. */
  readonly action: RuleOverrideAction;
}

/** AWS's bounds for a rate-based rule's `limit` (requests per evaluation window per key). */
export const RATE_LIMIT_MIN = 10;
export const RATE_LIMIT_MAX = 2_000_000_000;
/** Evaluation windows (seconds) a rate-based rule accepts. */
export const RATE_LIMIT_WINDOWS_SECONDS = [60, 120, 300, 600] as const;

/** AWS WAF only delivers logs to CloudWatch log groups whose names start with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

/** Headers never written to WAF logs: they carry session tokens and credentials. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

export interface WebAclProps {
  /** Prefix for every name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** ARN of the Application Load Balancer to protect. */
  readonly loadBalancerArn: string;
  /**
   * Requests one client IP may make per evaluation window before it is blocked.
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
  /**
   * Length of the window the rate limit counts over, in seconds: 60, 120, 300 or 600.
   * @default 300
   */
  readonly rateLimitWindowSeconds?: (typeof RATE_LIMIT_WINDOWS_SECONDS)[number];
  /**
   * Per-rule action changes inside the managed groups, e.g.
   * `{ group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", action: "count" }`
   * to allow request bodies over 8 KB (uploads).
   * @default none
   */
  readonly ruleActionOverrides?: readonly RuleActionOverride[];
  /**
   * Groups that only count matches instead of acting on them, for a trial period after
   * adding a group or while chasing a false positive. Their matches still appear in the
   * metrics and logs.
   * @default none: every group blocks
   */
  readonly countOnlyRuleGroups?: readonly ManagedRuleGroupName[];
  /** Days WAF logs are kept; a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /**
   * Log group for WAF logs; must start with `aws-waf-logs-`.
   * @default `aws-waf-logs-<namePrefix>`
   */
  readonly logGroupName?: string;
  /**
   * Log only requests a rule blocked or counted, instead of every request. Cuts log volume
   * (and cost) by orders of magnitude; allowed requests are still in the ALB access logs.
   * @default false
   */
  readonly logOnlyMatchedRequests?: boolean;
  /**
   * KMS key ARN to encrypt the log group with.
   * @default CloudWatch Logs' own encryption at rest
   */
  readonly logKmsKeyArn?: string;
}

const RULE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const LOG_GROUP_NAME = /^[A-Za-z0-9._\-/#]{1,512}$/;

/**
 * A regional WAFv2 web ACL for an ALB: a per-IP rate limit, then the AWS managed IP
 * reputation, core, known-bad-inputs and SQL injection groups; everything else allowed.
 * Every rule reports CloudWatch metrics and sampled requests, and full logs go to a
 * CloudWatch log group with the `authorization` and `cookie` headers redacted.
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly association: Wafv2WebAclAssociation;
  readonly logGroup: CloudwatchLogGroup;
  readonly loggingConfiguration: Wafv2WebAclLoggingConfiguration;
  readonly webAclArn: string;
  /** The web ACL's name, which is also its CloudWatch metric name (`WebACL` dimension). */
  readonly webAclName: string;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    validate(this.node.path, props);

    // `<prefix>-waf`, the name the seed's runbook queries metrics by (`WebACL` dimension).
    const name = boundedName([props.namePrefix, "waf"], NAME_LIMITS.wafName);
    this.webAclName = name;
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });

    const countOnly = new Set(props.countOnlyRuleGroups ?? []);
    const overrides = props.ruleActionOverrides ?? [];
    const rules: Wafv2WebAclRule[] = [
      {
        name: "rate-limit",
        priority: 0,
        action: { block: {} },
        // The provider types `statement` as raw Terraform JSON (snake_case).
        statement: {
          rate_based_statement: {
            limit: props.rateLimitPerIp ?? 2000,
            evaluation_window_sec: props.rateLimitWindowSeconds ?? 300,
            aggregate_key_type: "IP",
          },
        },
        visibilityConfig: visibility(`${name}-rate-limit`),
      },
      ...MANAGED_RULE_GROUPS.map(({ group, ruleName }, i): Wafv2WebAclRule => {
        const groupOverrides = overrides.filter((o) => o.group === group);
        return {
          name: ruleName,
          priority: (i + 1) * 10,
          overrideAction: countOnly.has(group) ? { count: {} } : { none: {} },
          statement: {
            managed_rule_group_statement: {
              vendor_name: "AWS",
              name: group,
              ...(groupOverrides.length > 0
                ? {
                    rule_action_override: groupOverrides.map((o) => ({
                      name: o.rule,
                      action_to_use: { [o.action]: {} },
                    })),
                  }
                : {}),
            },
          },
          visibilityConfig: visibility(`${name}-${ruleName}`),
        };
      }),
    ];

    this.webAcl = new Wafv2WebAcl(this, "acl", {
      name,
      description: `Rate limit and AWS managed rules for ${props.namePrefix}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(name),
      tags: { Name: name },
    });
    this.webAclArn = this.webAcl.arn;

    this.association = new Wafv2WebAclAssociation(this, "association", {
      resourceArn: props.loadBalancerArn,
      webAclArn: this.webAcl.arn,
    });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: props.logGroupName ?? `${WAF_LOG_GROUP_PREFIX}${props.namePrefix}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });

    const loggingFilter: Wafv2WebAclLoggingConfigurationLoggingFilter | undefined = props.logOnlyMatchedRequests
      ? {
          defaultBehavior: "DROP",
          filter: [
            {
              behavior: "KEEP",
              requirement: "MEETS_ANY",
              condition: [{ actionCondition: { action: "BLOCK" } }, { actionCondition: { action: "COUNT" } }],
            },
          ],
        }
      : undefined;

    // WAF adds the log group to an account-wide CloudWatch Logs resource policy itself
    // (it needs logs:PutResourcePolicy at deploy time); the provider's `arn` has no `:*`.
    this.loggingConfiguration = new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
      loggingFilter,
    });
  }
}

function validate(path: string, props: WebAclProps): void {
  const v = new Validator(path);
  checkNamePrefix(v, props.namePrefix);
  checkArn(v, "loadBalancerArn", props.loadBalancerArn, ARN_SHAPES.applicationLoadBalancer, "WAF cannot protect a Network Load Balancer");
  const limit = props.rateLimitPerIp ?? 2000;
  v.check(
    Number.isInteger(limit) && limit >= RATE_LIMIT_MIN && limit <= RATE_LIMIT_MAX,
    "rateLimitPerIp",
    limit,
    `must be a whole number of requests between ${RATE_LIMIT_MIN} and ${RATE_LIMIT_MAX.toLocaleString("en-US")} (e.g. 2000 per 5 minutes).`,
  );
  const window = props.rateLimitWindowSeconds ?? 300;
  v.check(
    (RATE_LIMIT_WINDOWS_SECONDS as readonly number[]).includes(window),
    "rateLimitWindowSeconds",
    window,
    `must be one of ${RATE_LIMIT_WINDOWS_SECONDS.join(", ")} seconds.`,
  );
  checkLogRetention(v, "logRetentionDays", props.logRetentionDays);
  if (props.logGroupName !== undefined && isKnown(props.logGroupName)) {
    v.check(
      props.logGroupName.startsWith(WAF_LOG_GROUP_PREFIX) && LOG_GROUP_NAME.test(props.logGroupName),
      "logGroupName",
      props.logGroupName,
      `must start with "${WAF_LOG_GROUP_PREFIX}" (AWS WAF delivers only to such log groups) and hold at most 512 of A-Z a-z 0-9 . _ - / #, e.g. "${WAF_LOG_GROUP_PREFIX}${props.namePrefix}".`,
    );
  }
  // CloudWatch Logs associates the key itself with the log group: no alias.
  if (props.logKmsKeyArn !== undefined) checkKmsKeyArn(v, "logKmsKeyArn", props.logKmsKeyArn, { aliases: false });
  const seen = new Set<string>();
  (props.ruleActionOverrides ?? []).forEach((o, i) => {
    const field = `ruleActionOverrides[${i}]`;
    v.check(
      MANAGED_RULE_GROUPS.some((g) => g.group === o.group),
      `${field}.group`,
      o.group,
      `is not a rule group of this web ACL; use one of ${MANAGED_RULE_GROUPS.map((g) => g.group).join(", ")}.`,
    );
    v.check(
      RULE_NAME.test(o.rule),
      `${field}.rule`,
      o.rule,
      "must be the managed rule's name (1-128 letters, digits, _ or -), e.g. \"SizeRestrictions_BODY\".",
    );
    const key = `${o.group}/${o.rule}`;
    v.check(!seen.has(key), `${field}.rule`, o.rule, `is overridden twice in ${o.group}; keep one entry.`);
    seen.add(key);
  });
  (props.countOnlyRuleGroups ?? []).forEach((group, i) =>
    v.check(
      MANAGED_RULE_GROUPS.some((g) => g.group === group),
      `countOnlyRuleGroups[${i}]`,
      group,
      `is not a rule group of this web ACL; use one of ${MANAGED_RULE_GROUPS.map((g) => g.group).join(", ")}.`,
    ),
  );
  v.throwIfAny();
}
