import { ConfigError, defineEnvironment, type ConfigIssue, type Environment } from "@platform/core";
import type { Construct } from "constructs";
import { BastionStack } from "./bastion-stack";
import { environmentPlanIssues } from "./config/validate";
import { ComputeStack } from "./compute-stack";
import { DatabaseStack } from "./database-stack";
import { DnsStack } from "./dns-stack";
import { EdgeStack } from "./edge-stack";
import { MonitoringStack } from "./monitoring-stack";
import { NetworkStack } from "./network-stack";
import type { EnvironmentPlan } from "./plan";
import { RegistryStack } from "./registry-stack";
import { SecurityStack } from "./security-stack";
import { StorageStack } from "./storage-stack";

/** The stacks of one environment, by layer. */
export interface EnvironmentStacks {
  readonly environment: Environment;
  readonly network: NetworkStack;
  readonly registry: RegistryStack;
  readonly storage: StorageStack;
  readonly dns?: DnsStack;
  readonly security: SecurityStack;
  readonly database: DatabaseStack;
  readonly compute: ComputeStack;
  readonly edge?: EdgeStack;
  readonly bastion?: BastionStack;
  readonly monitoring?: MonitoringStack;
}

/**
 * Builds every stack of one environment from its plan. Producers are built before
 * consumers and hand them typed refs; cdktf turns each ref into an output of the producer
 * and a `terraform_remote_state` lookup in the consumer (Terragrunt's `dependency` blocks).
 */
export function buildEnvironment(scope: Construct, plan: EnvironmentPlan): EnvironmentStacks {
  // The whole config first, in one pass: nothing is built from a config with a mistake.
  const configIssues = environmentPlanIssues(plan);
  const name = plan.environment.name;
  if (configIssues.length === 0 && scope.node.tryFindChild(`${name}-network`) !== undefined) {
    configIssues.push({ field: `${name}.environment.name`, value: name, fix: "is already used by another environment of this app; give every environment its own name." });
  }
  if (configIssues.length > 0) throw new ConfigError(configIssues);

  const environment = defineEnvironment(plan.environment);
  const layers = new LayerErrors();
  const teardownAllowed = plan.teardown === "allowed";

  // Stacks of one tier do not depend on each other: build them all and report every failure together.
  const network = layers.build(() => new NetworkStack(scope, environment, plan.network));
  const registry = layers.build(() => new RegistryStack(scope, environment, plan.registry, { teardownAllowed }));
  const storage = layers.build(() => new StorageStack(scope, environment, plan.storage, { teardownAllowed }));
  const dns = plan.edge ? layers.build(() => new DnsStack(scope, environment, plan.edge!)) : undefined;
  layers.throwIfAny();

  const security = layers.build(
    () =>
      new SecurityStack(scope, environment, plan.security, {
        network: network!.ref,
        servicePorts: Object.values(plan.compute.services).map((s) => s.port),
        bastion: plan.bastion !== undefined,
        teardownAllowed,
      }),
  )!;
  layers.throwIfAny();
  const database = layers.build(() => new DatabaseStack(scope, environment, plan.database, { network: network!.ref, security: security.ref, secretsKmsKeyArn: security.secretsKeyRef.keyArn, teardownAllowed }))!;
  layers.throwIfAny();

  const compute = layers.build(
    () =>
      new ComputeStack(
        scope,
        environment,
        plan.compute,
        {
          network: network!.ref,
          security: security.ref,
          registry: registry!.ref,
          databaseUrlParameterArn: database.ref.databaseUrlParameterArn,
          databaseUrlParameterName: database.ref.databaseUrlParameterName,
          secretsKmsKeyArn: security.secretsKeyRef.keyArn,
          databaseInstance: database.instance,
          certificateArn: dns?.ref.certificateArn,
          albAccessLogs: storage!.ref.albLogs,
        },
        plan.scheduler,
      ),
  )!;
  layers.throwIfAny();
  if (Object.values(plan.compute.services).some((s) => s.databaseUrl !== false)) {
    // Nothing the compute stack reads is an output of the database stack (the parameter's name
    // and ARN are known at synth), but tasks read DATABASE_URL when they start, and the
    // database stack's Lambda writes it: deploy the database first.
    compute.declareDependency(database, "tasks read the DATABASE_URL parameter, which the database stack writes, when they start");
  }

  const edge =
    plan.edge && dns
      ? layers.build(() => new EdgeStack(scope, environment, plan.edge!, { dns: dns.ref, loadBalancer: compute.ref.loadBalancer }))
      : undefined;
  const bastion = plan.bastion
    ? layers.build(
        () =>
          new BastionStack(scope, environment, plan.bastion!, {
            network: network!.ref,
            securityGroupId: security.ref.bastionSecurityGroupId!,
            databaseEndpoint: database.ref.endpoint,
          }),
      )
    : undefined;
  const monitoring = plan.monitoring
    ? layers.build(
        () =>
          new MonitoringStack(scope, environment, plan.monitoring!, {
            containerInsights: plan.compute.containerInsights,
            loadBalancer: compute.ref.loadBalancer,
            services: compute.ref.services,
            database:
              plan.database.kind === "rds-postgres"
                ? { kind: "rds-instance", instanceIdentifier: database.ref.identifier }
                : { kind: "aurora-cluster", clusterIdentifier: database.ref.identifier, serverlessMaxCapacityAcu: plan.database.maxAcu },
          }),
      )
    : undefined;
  layers.throwIfAny();

  return {
    environment,
    network: network!,
    registry: registry!,
    storage: storage!,
    dns,
    security,
    database,
    compute,
    edge,
    bastion,
    monitoring,
  };
}

/** Collects the ConfigErrors of stacks built side by side, so one synth reports them all. */
class LayerErrors {
  private readonly issues: ConfigIssue[] = [];

  build<T>(make: () => T): T | undefined {
    try {
      return make();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.issues.push(...error.issues);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}
