import { defineEnvironment, type Environment } from "@platform/core";
import type { Construct } from "constructs";
import { BastionStack } from "./bastion-stack";
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
  const environment = defineEnvironment(plan.environment);

  const network = new NetworkStack(scope, environment, plan.network);
  const registry = new RegistryStack(scope, environment, plan.registry);
  const storage = new StorageStack(scope, environment, plan.storage);
  const dns = plan.edge ? new DnsStack(scope, environment, plan.edge) : undefined;

  const security = new SecurityStack(scope, environment, plan.security, {
    network: network.ref,
    servicePorts: Object.values(plan.compute.services).map((s) => s.port),
    bastion: plan.bastion !== undefined,
  });
  const database = new DatabaseStack(scope, environment, plan.database, {
    network: network.ref,
    security: security.ref,
    secretsKmsKeyArn: security.secretsKeyRef.keyArn,
  });

  const compute = new ComputeStack(
    scope,
    environment,
    plan.compute,
    {
      network: network.ref,
      security: security.ref,
      registry: registry.ref,
      databaseUrlParameterArn: database.ref.databaseUrlParameterArn,
      databaseUrlParameterName: database.ref.databaseUrlParameterName,
      secretsKmsKeyArn: security.secretsKeyRef.keyArn,
      databaseInstance: database.instance,
      certificateArn: dns?.ref.certificateArn,
      albAccessLogs: storage.ref.albLogs,
    },
    plan.scheduler,
  );

  const edge =
    plan.edge && dns
      ? new EdgeStack(scope, environment, plan.edge, { dns: dns.ref, loadBalancer: compute.ref.loadBalancer })
      : undefined;
  const bastion = plan.bastion
    ? new BastionStack(scope, environment, plan.bastion, {
        network: network.ref,
        securityGroupId: security.ref.bastionSecurityGroupId!,
        databaseEndpoint: database.ref.endpoint,
      })
    : undefined;
  const monitoring = plan.monitoring
    ? new MonitoringStack(scope, environment, plan.monitoring, {
        containerInsights: plan.compute.containerInsights,
        loadBalancer: compute.ref.loadBalancer,
        services: compute.ref.services,
        database:
          plan.database.kind === "rds-postgres"
            ? { kind: "rds-instance", instanceIdentifier: database.ref.identifier }
            : { kind: "aurora-cluster", clusterIdentifier: database.ref.identifier, serverlessMaxCapacityAcu: plan.database.maxAcu },
      })
    : undefined;

  return { environment, network, registry, storage, dns, security, database, compute, edge, bastion, monitoring };
}
