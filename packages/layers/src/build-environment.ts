import { ConfigError, defineEnvironment, type ConfigIssue, type Environment } from "@platform/core";
import { databaseUrlPublisherName } from "@platform/database";
import type { Construct } from "constructs";
import { BastionStack } from "./bastion-stack";
import { CertificateStack } from "./certificate-stack";
import { onConfigPath } from "./config/construct-paths";
import { environmentConfigIssues } from "./config/validate";
import { ComputeStack } from "./compute-stack";
import { DatabaseStack } from "./database-stack";
import { DnsStack } from "./dns-stack";
import { EdgeStack } from "./edge-stack";
import { MonitoringStack } from "./monitoring-stack";
import { NetworkStack } from "./network-stack";
import type { EnvironmentLayersConfig } from "./environment-config";
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
  readonly certificate?: CertificateStack;
  readonly security: SecurityStack;
  readonly database: DatabaseStack;
  readonly compute: ComputeStack;
  readonly edge?: EdgeStack;
  readonly bastion?: BastionStack;
  readonly monitoring?: MonitoringStack;
}

/**
 * Builds every stack of one environment from its config. Producers are built before
 * consumers and hand them typed refs; cdktf turns each ref into an output of the producer
 * and a `terraform_remote_state` lookup in the consumer (Terragrunt's `dependency` blocks).
 */
export function buildEnvironment(scope: Construct, config: EnvironmentLayersConfig): EnvironmentStacks {
  // The whole config first, in one pass: nothing is built from a config with a mistake.
  const configIssues = environmentConfigIssues(config);
  const name = config.environment.name;
  if (configIssues.length === 0 && scope.node.tryFindChild(`${name}-network`) !== undefined) {
    configIssues.push({ field: `${name}.environment.name`, value: name, fix: "is already used by another environment of this app; give every environment its own name." });
  }
  if (configIssues.length > 0) throw new ConfigError(configIssues);

  const environment = defineEnvironment(config.environment);
  const layers = new LayerErrors((issue) => onConfigPath(issue, name, Object.keys(config.compute.services)));
  const teardownAllowed = config.teardown === "allowed";

  // Stacks of one tier do not depend on each other: build them all and report every failure together.
  const network = layers.build(() => new NetworkStack(scope, environment, config.network));
  const registry = layers.build(() => new RegistryStack(scope, environment, config.registry, { teardownAllowed }));
  const storage = layers.build(() => new StorageStack(scope, environment, config.storage, { teardownAllowed }));
  const dns = config.edge ? layers.build(() => new DnsStack(scope, environment, config.edge!)) : undefined;
  layers.throwIfAny();

  // Its own wave: the zone's apply has ended (name servers printed) before anything waits on DNS.
  const certificate = dns ? layers.build(() => new CertificateStack(scope, environment, { dns: dns.ref })) : undefined;
  const security = layers.build(
    () =>
      new SecurityStack(scope, environment, config.security, {
        network: network!.ref,
        servicePorts: Object.values(config.compute.services).map((s) => s.port),
        serviceEgress: config.compute.egress,
        bastion: config.bastion !== undefined,
        teardownAllowed,
      }),
  )!;
  layers.throwIfAny();
  const database = layers.build(() => new DatabaseStack(scope, environment, config.database, { network: network!.ref, security: security.ref, secretsKmsKeyArn: security.secretsKeyRef.keyArn, teardownAllowed }))!;
  layers.throwIfAny();

  const compute = layers.build(
    () =>
      new ComputeStack(
        scope,
        environment,
        config.compute,
        {
          network: network!.ref,
          security: security.ref,
          registry: registry!.ref,
          databaseUrlParameterArn: database.ref.databaseUrlParameterArn,
          databaseUrlParameterName: database.ref.databaseUrlParameterName,
          secretsKmsKeyArn: security.secretsKeyRef.keyArn,
          databaseInstance: database.instance,
          certificateArn: certificate?.ref.certificateArn,
          albAccessLogs: storage!.ref.albLogs,
          // Only when a service is granted access: otherwise the compute stack reads nothing new from storage.
          assetsBucket: Object.values(config.compute.services).some((s) => s.grants?.assets) ? storage!.ref.assets : undefined,
        },
        config.scheduler,
      ),
  )!;
  layers.throwIfAny();
  if (Object.values(config.compute.services).some((s) => s.databaseUrl !== false)) {
    // Nothing the compute stack reads is an output of the database stack (the parameter's name
    // and ARN are known at synth), but tasks read DATABASE_URL when they start, and the
    // database stack's Lambda writes it: deploy the database first.
    compute.declareDependency(database, "tasks read the DATABASE_URL parameter, which the database stack writes, when they start");
  }

  const edge =
    config.edge && dns
      ? layers.build(() => new EdgeStack(scope, environment, config.edge!, { dns: dns.ref, loadBalancer: compute.ref.loadBalancer }))
      : undefined;
  const bastion = config.bastion
    ? layers.build(
        () =>
          new BastionStack(scope, environment, config.bastion!, {
            network: network!.ref,
            securityGroupId: security.ref.bastionSecurityGroupId!,
            databaseEndpoint: database.ref.endpoint,
          }),
      )
    : undefined;
  const monitoring = config.monitoring
    ? layers.build(
        () =>
          new MonitoringStack(scope, environment, config.monitoring!, {
            containerInsights: config.compute.containerInsights,
            loadBalancer: compute.ref.loadBalancer,
            services: compute.ref.services,
            autoScaling: Object.fromEntries(Object.entries(config.compute.services).map(([n, s]) => [n, s.autoScaling])),
            functions: platformFunctions(environment, compute),
            // An output of the network stack: NAT gateway IDs are known only after it applied.
            natGatewayIds: network!.network.natGateways.map((nat) => nat.id),
            database:
              config.database.kind === "rds-postgres"
                ? { kind: "rds-instance", instanceIdentifier: database.ref.identifier }
                : {
                    kind: "aurora-cluster",
                    clusterIdentifier: database.ref.identifier,
                    serverlessMaxCapacityAcu: config.database.maxAcu,
                    instanceIdentifiers: auroraInstanceIdentifiers(database),
                  },
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
    certificate,
    security,
    database,
    compute,
    edge,
    bastion,
    monitoring,
  };
}

/**
 * The Lambda functions this environment deploys, by the names the stacks already use (plain
 * strings known at synth: the monitoring stack reads no output of the compute or database stack).
 */
function platformFunctions(environment: Environment, compute: ComputeStack): Record<string, { functionName: string; purpose: string }> {
  const functions: Record<string, { functionName: string; purpose: string }> = {
    "database-url": { functionName: databaseUrlPublisherName(`${environment.project}-${environment.name}`), purpose: "writes DATABASE_URL" },
  };
  if (compute.redeployOnDatabaseUrlChange) {
    functions.redeploy = { functionName: compute.redeployOnDatabaseUrlChange.functionName, purpose: "redeploys services after DATABASE_URL changes" };
  }
  if (compute.scheduler) {
    functions.scheduler = { functionName: compute.scheduler.functionName, purpose: "starts and stops the services" };
  }
  return functions;
}

/**
 * The Aurora instances' identifiers as configured (literals known at synth, so the monitoring
 * stack reads no output for them); empty for an RDS instance.
 */
function auroraInstanceIdentifiers(database: DatabaseStack): string[] {
  const db = database.database;
  if (!("instances" in db)) return [];
  return Object.values(db.instances).flatMap((instance) => (instance.identifierInput ? [instance.identifierInput] : []));
}

/** Collects the ConfigErrors of stacks built side by side, so one synth reports them all. */
class LayerErrors {
  private readonly issues: ConfigIssue[] = [];

  /** @param onConfigPath moves a construct's issue to the config path the value came from. */
  constructor(private readonly onConfigPath: (issue: ConfigIssue) => ConfigIssue) {}

  build<T>(make: () => T): T | undefined {
    try {
      return make();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.issues.push(...error.issues.map(this.onConfigPath));
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}
