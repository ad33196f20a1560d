import type { ContainerImage, ContainerProps, NamedSecretsManagerSecret } from "./container";

/** Datadog's agent image on ECR Public, pinned (a moving tag hides agent upgrades from plans). */
export const DATADOG_AGENT_IMAGE: ContainerImage = { repositoryUrl: "public.ecr.aws/datadog/agent", tag: "7.60.1" };
/** AWS's Fluent Bit image for FireLens on ECR Public, pinned. */
export const FLUENT_BIT_IMAGE: ContainerImage = { repositoryUrl: "public.ecr.aws/aws-observability/aws-for-fluent-bit", tag: "2.32.4" };

/** Names of the containers `withDatadog` adds. */
export const DATADOG_AGENT_CONTAINER = "datadog-agent";
export const LOG_ROUTER_CONTAINER = "log-router";

/** Datadog APM (traces) and DogStatsD (metrics) ports of the agent, reached by the application on localhost. */
export const DATADOG_APM_PORT = 8126;
export const DATADOG_DOGSTATSD_PORT = 8125;

export interface DatadogSidecarProps {
  /** Secrets Manager secret (name, in this account and region) holding the Datadog API key. */
  readonly apiKeySecretName: string;
  /**
   * Datadog site of the organisation.
   * @default "datadoghq.com"
   */
  readonly site?: string;
  /** Unified service tags: `env`, `service` and `version` (the image tag) on traces, metrics and logs. */
  readonly tags: { readonly env: string; readonly service: string; readonly version: string };
  /**
   * The agent image.
   * @default DATADOG_AGENT_IMAGE
   */
  readonly agentImage?: ContainerImage;
  /**
   * Route the application's logs to Datadog through a FireLens (Fluent Bit) log router instead of
   * CloudWatch Logs. The router's own logs stay in the service's log group.
   * @default false (application logs go to CloudWatch Logs)
   */
  readonly logs?: boolean;
  /**
   * The log router image (with `logs`).
   * @default FLUENT_BIT_IMAGE
   */
  readonly logRouterImage?: ContainerImage;
}

/**
 * Adds a Datadog agent sidecar for Fargate to a task (ECS_FARGATE=true, APM on 8126/tcp,
 * DogStatsD on 8125/udp, API key from Secrets Manager) and points the application container at it.
 * The agent is not essential: when it stops, the application keeps serving and only telemetry pauses.
 * With `logs`, a FireLens log router (essential, as AWS advises, so logs are never silently lost)
 * forwards the application's stdout to Datadog's intake.
 */
export function withDatadog(
  containers: Readonly<Record<string, ContainerProps>>,
  appName: string,
  props: DatadogSidecarProps,
): Record<string, ContainerProps> {
  const app = containers[appName];
  if (!app) throw new Error(`withDatadog: no container "${appName}" (have: ${Object.keys(containers).join(", ")})`);
  const site = props.site ?? "datadoghq.com";
  const apiKey: NamedSecretsManagerSecret = { secretName: props.apiKeySecretName };
  const agent: ContainerProps = {
    image: props.agentImage ?? DATADOG_AGENT_IMAGE,
    essential: false,
    // The agent writes its run files and checks' state under its root filesystem.
    readonlyRootFilesystem: false,
    ports: { "dd-apm": DATADOG_APM_PORT },
    udpPorts: { "dd-dogstatsd": DATADOG_DOGSTATSD_PORT },
    environment: {
      ECS_FARGATE: "true",
      DD_SITE: site,
      DD_APM_ENABLED: "true",
      DD_APM_NON_LOCAL_TRAFFIC: "true",
      DD_DOGSTATSD_NON_LOCAL_TRAFFIC: "true",
      DD_ENV: props.tags.env,
    },
    secrets: { DD_API_KEY: apiKey },
    healthCheck: { command: ["CMD-SHELL", "agent health"], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 15 },
  };
  const out: Record<string, ContainerProps> = { ...containers };
  out[DATADOG_AGENT_CONTAINER] = agent;
  const dependsOn: Record<string, "START"> = { ...app.dependsOn, [DATADOG_AGENT_CONTAINER]: "START" };
  if (props.logs) {
    out[LOG_ROUTER_CONTAINER] = { image: props.logRouterImage ?? FLUENT_BIT_IMAGE, essential: true, readonlyRootFilesystem: false, firelensLogRouter: true };
    dependsOn[LOG_ROUTER_CONTAINER] = "START";
  }
  out[appName] = {
    ...app,
    environment: {
      ...app.environment,
      DD_AGENT_HOST: "localhost",
      DD_TRACE_AGENT_PORT: String(DATADOG_APM_PORT),
      DD_DOGSTATSD_PORT: String(DATADOG_DOGSTATSD_PORT),
      DD_ENV: props.tags.env,
      DD_SERVICE: props.tags.service,
      DD_VERSION: props.tags.version,
    },
    dependsOn,
    logRouting: props.logs
      ? {
          options: {
            Name: "datadog",
            Host: `http-intake.logs.${site}`,
            TLS: "on",
            provider: "ecs",
            dd_service: props.tags.service,
            dd_source: "ecs",
            dd_tags: `env:${props.tags.env},version:${props.tags.version}`,
          },
          secretOptions: { apikey: apiKey },
        }
      : app.logRouting,
  };
  return out;
}

export interface SentryProps {
  /** Secrets Manager secret (name, in this account and region) holding the DSN, injected as `SENTRY_DSN`. */
  readonly dsnSecretName: string;
  /** `SENTRY_ENVIRONMENT`, e.g. `prod`. */
  readonly environment: string;
  /** `SENTRY_RELEASE`, e.g. the image tag. */
  readonly release: string;
}

/** The application container with Sentry's settings: the DSN from Secrets Manager, environment and release tags. */
export function withSentry(app: ContainerProps, props: SentryProps): ContainerProps {
  return {
    ...app,
    environment: { ...app.environment, SENTRY_ENVIRONMENT: props.environment, SENTRY_RELEASE: props.release },
    secrets: { ...app.secrets, SENTRY_DSN: { secretName: props.dsnSecretName } },
  };
}
