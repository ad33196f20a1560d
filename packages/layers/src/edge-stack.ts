import type { LoadBalancerRef } from "@platform/compute";
import { EnvironmentStack, type Environment } from "@platform/core";
import { AliasRecords, WebAcl, type EdgeRef } from "@platform/edge";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { EdgeConfig } from "./environment-config";

/** `<env>-edge`: apex and www alias records to the ALB, and the regional WAF in front of it. */
export class EdgeStack extends EnvironmentStack {
  readonly aliases: AliasRecords;
  readonly webAcl: WebAcl;

  constructor(
    scope: Construct,
    environment: Environment,
    config: EdgeConfig,
    deps: { readonly dns: EdgeRef; readonly loadBalancer: LoadBalancerRef },
  ) {
    super(scope, { environment, layer: "edge" });
    this.aliases = new AliasRecords(this, "aliases", {
      zone: { zoneId: deps.dns.zoneId, zoneName: deps.dns.zoneName },
      target: { dnsName: deps.loadBalancer.albDnsName, zoneId: deps.loadBalancer.albZoneId },
      hosts: { apex: "", www: "www" },
      // AAAA answers only through a dual-stack ALB; for an IPv4-only one it would be an empty record.
      ipv6: deps.loadBalancer.ipAddressType === "dualstack",
    });
    this.webAcl = new WebAcl(this, "waf", {
      namePrefix: `${environment.project}-${environment.name}`,
      loadBalancerArn: deps.loadBalancer.albArn,
      rateLimitPerIp: config.wafRateLimitPer5Minutes,
      logRetentionDays: config.wafLogRetentionDays,
    });
    new TerraformOutput(this, "website_url", { value: this.aliases.urls.apex, description: "The site" });
  }
}
