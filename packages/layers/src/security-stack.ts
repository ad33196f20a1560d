import { EnvironmentStack, type Environment } from "@platform/core";
import type { NetworkRef } from "@platform/network";
import { AllowlistVariable, SecurityGroups, type AlbIngress, type SecurityGroupsRef } from "@platform/security";
import type { Construct } from "constructs";
import type { SecurityPlan } from "./plan";

/** Terraform variable holding the ALB allowlist (fed from a git-ignored tfvars file). */
export const ALB_ALLOWLIST_VARIABLE = "alb_allowed_cidrs";

/** `<env>-security`: the security groups of the ALB, the tasks, the database and the bastion. */
export class SecurityStack extends EnvironmentStack {
  readonly groups: SecurityGroups;
  readonly ref: SecurityGroupsRef;

  constructor(
    scope: Construct,
    environment: Environment,
    plan: SecurityPlan,
    deps: { readonly network: NetworkRef; readonly servicePorts: readonly number[]; readonly bastion: boolean },
  ) {
    super(scope, { environment, layer: "security" });
    this.groups = new SecurityGroups(this, "groups", {
      namePrefix: `${environment.project}-${environment.name}`,
      vpcId: deps.network.vpcId,
      vpcCidr: deps.network.vpcCidr,
      albIngress: this.albIngress(plan),
      servicePorts: [...new Set(deps.servicePorts)].sort((a, b) => a - b),
      bastion: deps.bastion,
      // The ALB is dual-stack exactly when the network is (ComputeStack); no `::/0` rules otherwise.
      ipv6: deps.network.ipv6Enabled ?? false,
    });
    this.ref = this.groups.ref;
  }

  private albIngress(plan: SecurityPlan): AlbIngress {
    if (plan.albIngress === "public") return { public: true };
    if (plan.albIngress === "allowlist-variable") {
      const allowlist = new AllowlistVariable(this, "alb-allowlist", {
        name: ALB_ALLOWLIST_VARIABLE,
        description: "CIDRs allowed to reach the load balancer (offices, VPN). Set in a git-ignored *.auto.tfvars file.",
      });
      return { allowedCidrs: allowlist.cidrs };
    }
    return { allowedCidrs: [...plan.albIngress.allowedCidrs] };
  }
}
