import { type AwsContext, arn } from "@platform/core";
import { type ContainerProps, type TaskGrants, DATADOG_AGENT_IMAGE, withDatadog, withSentry } from "@platform/compute";
import type { ServiceConfig } from "./environment-config";

/** What `serviceGrants` reads from the stacks before compute. */
interface GrantDeps {
  readonly assetsBucket?: { readonly bucketName: string; readonly bucketArn: string };
  readonly secretsKmsKeyArn?: string;
}

/**
 * The task's containers: the application `app` (with Sentry's settings when asked), the Datadog
 * agent (and log router) when asked, and the configured sidecars.
 */
export function serviceContainers(app: ContainerProps, service: ServiceConfig, envName: string, serviceKey: string): Record<string, ContainerProps> {
  let main: ContainerProps = { ...app, essential: service.essential ?? true, dependsOn: service.dependsOn };
  if (service.sentry) main = withSentry(main, { dsnSecretName: service.sentry.dsnSecret, environment: envName, release: service.imageTag });
  let containers: Record<string, ContainerProps> = { app: main };
  if (service.datadog) {
    const dd = service.datadog;
    containers = withDatadog(containers, "app", {
      apiKeySecretName: dd.apiKeySecret,
      site: dd.site,
      logs: dd.logs,
      agentImage: dd.agentImageTag ? { ...DATADOG_AGENT_IMAGE, tag: dd.agentImageTag } : undefined,
      // Unified service tags: the key is the service, the image tag the version.
      tags: { env: envName, service: serviceKey, version: service.imageTag },
    });
  }
  for (const [name, sidecar] of Object.entries(service.sidecars ?? {})) {
    const colon = sidecar.image.lastIndexOf(":");
    containers[name] = {
      image: { repositoryUrl: sidecar.image.slice(0, colon), tag: sidecar.image.slice(colon + 1) },
      essential: sidecar.essential ?? false,
      dependsOn: sidecar.dependsOn,
      environment: sidecar.environment,
      secrets: Object.fromEntries(Object.entries(sidecar.secrets ?? {}).map(([env, secretName]) => [env, { secretName }])),
      healthCheck: sidecar.healthCheck ? { command: sidecar.healthCheck } : undefined,
      readonlyRootFilesystem: app.readonlyRootFilesystem,
    };
  }
  return containers;
}

/** The task role grants of a service: the asset bucket and parameters/secrets by name, decryptable with the environment's key. */
export function serviceGrants(service: ServiceConfig, aws: AwsContext, deps: GrantDeps): TaskGrants | undefined {
  const g = service.grants;
  if (!g) return undefined;
  if (g.assets && !deps.assetsBucket) throw new Error("grants.assets needs the storage stack's asset bucket (ComputeDeps.assetsBucket)");
  return {
    bucket: g.assets && deps.assetsBucket ? { ...deps.assetsBucket, access: g.assets } : undefined,
    parameterArns: (g.parameters ?? []).map((name) => arn(aws, { service: "ssm", resource: `parameter${name}` })),
    secretNames: g.secrets,
    kmsKeyArns: deps.secretsKmsKeyArn ? [deps.secretsKmsKeyArn] : undefined,
  };
}
