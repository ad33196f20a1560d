import { Validator, isKnown } from "@platform/core";
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";

export interface AllowlistVariableProps {
  /**
   * Terraform variable name, e.g. `alb_allowed_cidrs`. The value comes from a git-ignored
   * `*.tfvars` file (or `TF_VAR_<name>`), so office and home IPs never land in git.
   */
  readonly name: string;
  /**
   * Variable description shown by `terraform plan` when the value is missing.
   * @default "CIDRs allowed to reach the load balancer (from a git-ignored *.tfvars file)"
   */
  readonly description?: string;
}

/**
 * A sensitive `list(string)` variable of source CIDRs, validated by Terraform itself before any
 * plan: non-empty, canonical CIDR network addresses, never `0.0.0.0/0` or `::/0`. Sensitive so the
 * addresses are masked in plan output (PR comments, CI logs); they are still stored in state.
 * Pass {@link cidrs} as `albIngress: { allowedCidrs }` to {@link SecurityGroups}.
 */
export class AllowlistVariable extends Construct {
  readonly variable: TerraformVariable;
  /** The variable's value as a token list. */
  readonly cidrs: string[];

  constructor(scope: Construct, id: string, props: AllowlistVariableProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    v.check(
      isKnown(props.name) && /^[a-z_][a-z0-9_]{0,63}$/.test(props.name),
      "name",
      props.name,
      "must be a literal Terraform variable name of lower-case letters, digits and underscores, e.g. alb_allowed_cidrs.",
    );
    v.throwIfAny();

    const ref = `var.${props.name}`;
    this.variable = new TerraformVariable(this, "variable", {
      type: "list(string)",
      sensitive: true,
      nullable: false,
      description: props.description ?? "CIDRs allowed to reach the load balancer (from a git-ignored *.tfvars file)",
      validation: [
        {
          condition: `\${length(${ref}) > 0}`,
          errorMessage: `${props.name} is empty, so nobody could reach the load balancer: list the office/VPN CIDRs, or make the load balancer public in code ({ public: true }).`,
        },
        {
          condition: `\${alltrue([for c in ${ref} : can(cidrhost(c, 0)) && try(cidrsubnet(c, 0, 0) == c, false)])}`,
          errorMessage: `${props.name} holds a value that is not a CIDR network address: write e.g. "203.0.113.10/32" (no host bits set).`,
        },
        {
          condition: `\${alltrue([for c in ${ref} : !contains(["0.0.0.0/0", "::/0"], c)])}`,
          errorMessage: `${props.name} contains 0.0.0.0/0 or ::/0, which opens the load balancer to the whole internet: use albIngress { public: true } in code instead, so a reviewer sees it.`,
        },
      ],
    });
    // The variable keeps the given name (not a path-derived one), so tfvars files and TF_VAR_ work.
    this.variable.overrideLogicalId(props.name);
    this.cidrs = this.variable.listValue;
  }
}
