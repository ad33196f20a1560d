import { EnvironmentStack, type Environment } from "@platform/core";
import type { NetworkRef } from "@platform/network";
import { databaseUrlPublisherName } from "@platform/database";
import { AllowlistVariable, type EgressDestination, SecretsKey, SecurityGroups, type AlbIngress, type SecurityGroupsRef, type SecretsKeyRef } from "@platform/security";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { SecurityConfig } from "./environment-config";

/** Terraform variable holding the ALB allowlist (fed from a git-ignored tfvars file). */
export const ALB_ALLOWLIST_VARIABLE = "alb_allowed_cidrs";

/**
 * `<env>-security`: the security groups of the ALB, the tasks, the database and the bastion, and
 * the KMS key of the environment's secrets (DATABASE_URL, the RDS master secret).
 */
export class SecurityStack extends EnvironmentStack {
  readonly groups: SecurityGroups;
  readonly ref: SecurityGroupsRef;
  readonly secretsKey: SecretsKey;
  readonly secretsKeyRef: SecretsKeyRef;

  constructor(
    scope: Construct,
    environment: Environment,
    config: SecurityConfig,
    deps: {
      readonly network: NetworkRef;
      readonly servicePorts: readonly number[];
      readonly bastion: boolean;
      /** Destinations every service task may reach besides HTTPS and the database (`compute.egress`). */
      readonly serviceEgress?: Readonly<Record<string, EgressDestination>>;
      /** `teardown: "allowed"`: the secrets key may be deleted (7-day window, no prevent_destroy). */
      readonly teardownAllowed?: boolean;
    },
  ) {
    super(scope, { environment, layer: "security" });
    this.groups = new SecurityGroups(this, "groups", {
      namePrefix: `${environment.project}-${environment.name}`,
      vpcId: deps.network.vpcId,
      vpcCidr: deps.network.vpcCidr,
      albIngress: this.albIngress(config),
      servicePorts: [...new Set(deps.servicePorts)].sort((a, b) => a - b),
      bastion: deps.bastion,
      // The ALB is dual-stack exactly when the network is (ComputeStack); no `::/0` rules otherwise.
      ipv6: deps.network.ipv6Enabled ?? false,
      serviceEgress: deps.serviceEgress,
    });
    this.ref = this.groups.ref;

    const namePrefix = `${environment.project}-${environment.name}`;
    this.secretsKey = new SecretsKey(this, "secrets-key", {
      namePrefix,
      // The compute stack's task execution roles (TaskExecutionRole names them <prefix>-<service>-execution)
      // inject the secrets; matched by name so this earlier stack needs no reference to them.
      // Task roles (<prefix>-<service>-task) too, for parameters and secrets granted to the application
      // (grants); the key policy only lets a role decrypt that its own IAM policy also allows.
      decrypterRoleNames: [`${namePrefix}-*-execution`, `${namePrefix}-*-task`],
      // The database stack's DATABASE_URL publisher writes the parameter and reads the master secret.
      writerRoleNames: [databaseUrlPublisherName(namePrefix)],
      // Teardown-allowed environments delete the key with everything else: KMS waits the shortest
      // window (7 days, cancellable with `aws kms cancel-key-deletion`) before the key is gone. Their
      // databases' storage and snapshots use the AWS managed aws/rds key, so final snapshots stay
      // restorable; only the master secret (deleted with the database) and DATABASE_URL use this key.
      ...(deps.teardownAllowed ? { preventDestroy: false, deletionWindowDays: 7 } : {}),
    });
    this.secretsKeyRef = this.secretsKey.ref;
    new TerraformOutput(this, "secrets_key_alias", {
      value: this.secretsKey.alias.name,
      description: "KMS key for the environment's secrets: aws ssm put-parameter --type SecureString --key-id <alias> …",
    });
  }

  private albIngress(config: SecurityConfig): AlbIngress {
    if (config.albIngress === "public") return { public: true };
    if (config.albIngress === "allowlist-variable") {
      const allowlist = new AllowlistVariable(this, "alb-allowlist", {
        name: ALB_ALLOWLIST_VARIABLE,
        description: "CIDRs allowed to reach the load balancer (offices, VPN). Set in a git-ignored *.auto.tfvars file.",
      });
      return { allowedCidrs: allowlist.cidrs };
    }
    return { allowedCidrs: [...config.albIngress.allowedCidrs] };
  }
}
