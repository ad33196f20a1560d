import { ARN_SHAPES, type Validator, checkArn, isArnOf, isKnown, parseArn } from "@platform/core";

/** A container image in a registry, pinned by tag. `@platform/registry` provides URL and ARN. */
export interface ContainerImage {
  /** Repository URL without tag, e.g. `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/acme-web`. */
  readonly repositoryUrl: string;
  /**
   * Repository ARN; the execution role may pull from exactly this repository.
   * @default none: a public image (e.g. `public.ecr.aws/datadog/agent`), pulled without ECR permissions
   */
  readonly repositoryArn?: string;
  /**
   * Image tag (e.g. a version or commit SHA) or digest (`sha256:…`). Required: a moving tag such as
   * `latest` makes `terraform plan` unable to show what will run, and a task restart can silently
   * pick up a different image.
   */
  readonly tag: string;
}

/** A value injected from SSM Parameter Store (the parameter's ARN). */
export interface ParameterSecret {
  readonly parameterArn: string;
}

/** A value injected from Secrets Manager: the whole secret, or one key of a JSON secret. */
export interface SecretsManagerSecret {
  /** Full secret ARN including its 6-character suffix (`…:secret:name-AbCdEf`). */
  readonly secretArn: string;
  /**
   * Key in the secret's JSON to inject.
   * @default the whole secret string
   */
  readonly jsonKey?: string;
}

/**
 * A value injected from a Secrets Manager secret of this account and region, by name (e.g.
 * `/acme/prod/DATADOG_API_KEY`), for secrets created outside Terraform whose ARN suffix is not
 * known when the config is written. The execution role may read exactly `<name>-??????`.
 */
export interface NamedSecretsManagerSecret {
  readonly secretName: string;
  /**
   * Key in the secret's JSON to inject.
   * @default the whole secret string
   */
  readonly jsonKey?: string;
}

/** Where a secret environment variable comes from. The value never appears in Terraform state. */
export type ContainerSecret = ParameterSecret | SecretsManagerSecret | NamedSecretsManagerSecret;

/** Start ordering of a container after another of the task (ECS `dependsOn`). */
export type ContainerStartCondition = "START" | "HEALTHY" | "COMPLETE" | "SUCCESS";

/** Log routing through a FireLens log router container of the task (`awsfirelens` log driver). */
export interface ContainerLogRouting {
  /** Output plugin options, e.g. `{ Name: "datadog", Host: "http-intake.logs.datadoghq.com", TLS: "on" }`. */
  readonly options: Readonly<Record<string, string>>;
  /**
   * Secret options (e.g. the destination's API key), injected by ECS like container secrets.
   * @default none
   */
  readonly secretOptions?: Readonly<Record<string, ContainerSecret>>;
}

/** A command Docker runs inside the container to decide whether it is healthy. */
export interface ContainerHealthCheckProps {
  /** `["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"]` or `["CMD", "/bin/check"]`. */
  readonly command: readonly string[];
  /**
   * @default 30 (5–300)
   */
  readonly intervalSeconds?: number;
  /**
   * @default 5 (2–60)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the container is unhealthy.
   * @default 3 (1–10)
   */
  readonly retries?: number;
  /**
   * Failures during this time after start do not count.
   * @default 0 (0–300)
   */
  readonly startPeriodSeconds?: number;
}

/** A volume of the service mounted into this container. */
export interface ContainerMountProps {
  /** Absolute path inside the container, e.g. `/app/cache`. */
  readonly containerPath: string;
  /**
   * @default false
   */
  readonly readOnly?: boolean;
}

export interface ContainerProps {
  readonly image: ContainerImage;
  /**
   * Accepts the tag `latest`. Only for throwaway environments: plans stop showing image changes.
   * @default false
   */
  readonly allowLatestTag?: boolean;
  /**
   * Ports the container listens on, keyed by port name (the name Service Connect would use),
   * e.g. `{ ui: 8501, api: 8000 }`. In awsvpc mode containers of a task share one network
   * namespace, so a port number appears once per task.
   * @default none
   */
  readonly ports?: Readonly<Record<string, number>>;
  /**
   * UDP ports the container listens on, keyed by port name, e.g. `{ dogstatsd: 8125 }`. Never
   * behind the load balancer.
   * @default none
   */
  readonly udpPorts?: Readonly<Record<string, number>>;
  /**
   * Plain environment variables. Never secrets: they are visible in the console and in state.
   * @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secret environment variables, injected by ECS at start from Parameter Store or Secrets Manager.
   * The execution role may read exactly these.
   * @default none
   */
  readonly secrets?: Readonly<Record<string, ContainerSecret>>;
  /**
   * Overrides the image's CMD.
   * @default the image's CMD
   */
  readonly command?: readonly string[];
  /**
   * Overrides the image's ENTRYPOINT.
   * @default the image's ENTRYPOINT
   */
  readonly entryPoint?: readonly string[];
  /**
   * Container health check; ECS replaces containers that fail it.
   * @default none (the load balancer's health check still applies)
   */
  readonly healthCheck?: ContainerHealthCheckProps;
  /**
   * Mounts the root filesystem read-only, so an attacker cannot modify the application. Give
   * writable scratch space with `scratchPaths`. ECS Exec needs a writable root filesystem.
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Absolute paths that get an empty, writable directory on the task's ephemeral storage
   * (lost when the task stops), e.g. `["/tmp"]`.
   * @default none
   */
  readonly scratchPaths?: readonly string[];
  /**
   * Volumes of the service (keys of `FargateServiceProps.volumes`) mounted into this container.
   * @default none
   */
  readonly mounts?: Readonly<Record<string, ContainerMountProps>>;
  /**
   * When an essential container stops, the whole task stops.
   * @default true
   */
  readonly essential?: boolean;
  /**
   * Seconds between SIGTERM and SIGKILL on stop, 2–120 on Fargate.
   * @default 30
   */
  readonly stopTimeoutSeconds?: number;
  /**
   * Containers of the task this one waits for, keyed by container name: `START` (started),
   * `HEALTHY` (its healthCheck passes; it must have one), `COMPLETE`/`SUCCESS` (exited, for
   * non-essential init containers). ECS stops them in reverse order.
   * @default starts with the others
   */
  readonly dependsOn?: Readonly<Record<string, ContainerStartCondition>>;
  /**
   * Makes this container the task's FireLens log router (Fluent Bit); other containers send
   * their logs to it with `logRouting`. Its own logs go to the service's log group.
   * @default false
   */
  readonly firelensLogRouter?: boolean;
  /**
   * Sends this container's stdout/stderr through the task's FireLens log router instead of to
   * the service's log group. A container of the task must be `firelensLogRouter`.
   * @default the service's log group (awslogs), shared by every container under its own stream prefix
   */
  readonly logRouting?: ContainerLogRouting;
}

/** Everything about a container that is decided outside the container props. */
export interface ContainerContext {
  readonly logGroupName: string;
  readonly region: string;
  /** ECS Exec enabled on the service: runs an init process so exec sessions do not leave zombies. */
  readonly execEnabled: boolean;
  /** `arn:<partition>:secretsmanager:<region>:<account>:secret:`, the prefix of named secrets' ARNs. */
  readonly secretArnPrefix: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that say "I am a secret"; such values belong in `secrets`. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|SECRET_KEY|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;
const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._\-/]*$/;

export function isParameterSecret(secret: ContainerSecret): secret is ParameterSecret {
  return "parameterArn" in secret;
}

export function isNamedSecret(secret: ContainerSecret): secret is NamedSecretsManagerSecret {
  return "secretName" in secret;
}

/** What the execution role may read for a secret: the exact ARN, or every version suffix of a named secret. */
export function secretPermissionArn(secret: SecretsManagerSecret | NamedSecretsManagerSecret, secretArnPrefix: string): string {
  return isNamedSecret(secret) ? `${secretArnPrefix}${secret.secretName}-??????` : secret.secretArn;
}

/** `repositoryUrl:tag`, or `repositoryUrl@sha256:…` for a digest. */
export function imageReference(image: ContainerImage): string {
  return isKnown(image.tag) && IMAGE_DIGEST.test(image.tag) ? `${image.repositoryUrl}@${image.tag}` : `${image.repositoryUrl}:${image.tag}`;
}

/**
 * The ECS `valueFrom` of a secret: a parameter ARN, a secret ARN, or `secretArn:jsonKey::`. A named
 * secret becomes its partial ARN (without the random suffix), which Secrets Manager resolves.
 */
export function secretValueFrom(secret: ContainerSecret, secretArnPrefix: string): string {
  if (isParameterSecret(secret)) return secret.parameterArn;
  const id = isNamedSecret(secret) ? `${secretArnPrefix}${secret.secretName}` : secret.secretArn;
  return secret.jsonKey === undefined ? id : `${id}:${secret.jsonKey}::`;
}

/** Name of the task volume that backs a scratch path of a container. */
export function scratchVolumeName(containerName: string, path: string): string {
  return `${containerName}-scratch${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;
}

/** Validates one container's props; `field` is e.g. `containers.web`. */
export function validateContainer(v: Validator, field: string, c: ContainerProps, volumeKeys: readonly string[]): void {
  const image = c.image;
  if (v.check(image !== undefined, `${field}.image`, image, "is required: { repositoryUrl, repositoryArn, tag }.")) {
    if (isKnown(image.repositoryUrl)) {
      v.check(
        image.repositoryUrl.length > 0 && !/[:@][^/]*$/.test(image.repositoryUrl),
        `${field}.image.repositoryUrl`,
        image.repositoryUrl,
        "must be the repository URL without a tag or digest; put the tag in image.tag.",
      );
    }
    if (image.tag === undefined || image.tag === null || (isKnown(image.tag) && image.tag.trim() === "")) {
      v.fail(`${field}.image.tag`, image.tag, "is required: pin a version or commit SHA (e.g. \"v1.4.2\" or \"3f9c2e1\") so plans show what will run.");
    } else if (isKnown(image.tag)) {
      if (image.tag === "latest" && !c.allowLatestTag) {
        v.fail(`${field}.image.tag`, image.tag, "is a moving tag: pin a version or commit SHA, or set allowLatestTag: true for a throwaway environment.");
      } else {
        v.check(
          IMAGE_TAG.test(image.tag) || IMAGE_DIGEST.test(image.tag),
          `${field}.image.tag`,
          image.tag,
          "is not a Docker tag (1-128 of letters, digits, _ . -, not starting with . or -) nor a sha256: digest.",
        );
      }
    }
  }

  for (const [kind, ports] of [["ports", c.ports], ["udpPorts", c.udpPorts]] as const) {
    for (const [name, port] of Object.entries(ports ?? {})) {
      v.check(PORT_NAME.test(name), `${field}.${kind}.${name}`, name, "port names must be lower-case letters, digits and hyphens (at most 64), e.g. \"http\".");
      v.check(Number.isInteger(port) && port >= 1 && port <= 65535, `${field}.${kind}.${name}`, port, "must be a port number between 1 and 65535.");
    }
  }

  const envNames = Object.keys(c.environment ?? {});
  for (const name of envNames) {
    v.check(ENV_NAME.test(name), `${field}.environment.${name}`, name, "environment variable names are letters, digits and underscores, not starting with a digit.");
    v.check(
      !SECRET_LIKE_NAME.test(name),
      `${field}.environment.${name}`,
      name,
      "looks like a secret; plain environment values are visible in the console and in Terraform state. Move it to secrets: { parameterArn } or { secretArn, jsonKey }.",
    );
  }
  for (const [name, secret] of Object.entries(c.secrets ?? {})) {
    const f = `${field}.secrets.${name}`;
    v.check(ENV_NAME.test(name), f, name, "environment variable names are letters, digits and underscores, not starting with a digit.");
    v.check(!envNames.includes(name), f, name, "is also a plain environment variable; keep it in secrets only.");
    validateSecret(v, f, secret);
  }
  if (c.logRouting) {
    for (const [name, secret] of Object.entries(c.logRouting.secretOptions ?? {})) validateSecret(v, `${field}.logRouting.secretOptions.${name}`, secret);
  }

  if (c.healthCheck) {
    const h = c.healthCheck;
    const f = `${field}.healthCheck`;
    v.check(
      h.command.length >= 2 && (h.command[0] === "CMD" || h.command[0] === "CMD-SHELL"),
      `${f}.command`,
      h.command,
      'must start with "CMD" or "CMD-SHELL" followed by the command, e.g. ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"].',
    );
    checkRange(v, `${f}.intervalSeconds`, h.intervalSeconds, 5, 300);
    checkRange(v, `${f}.timeoutSeconds`, h.timeoutSeconds, 2, 60);
    checkRange(v, `${f}.retries`, h.retries, 1, 10);
    checkRange(v, `${f}.startPeriodSeconds`, h.startPeriodSeconds, 0, 300);
  }
  checkRange(v, `${field}.stopTimeoutSeconds`, c.stopTimeoutSeconds, 2, 120);

  const paths = new Set<string>();
  for (const path of c.scratchPaths ?? []) {
    v.check(ABSOLUTE_PATH.test(path) && path !== "/", `${field}.scratchPaths`, path, "must be an absolute directory path other than /, e.g. \"/tmp\".");
    v.check(!paths.has(path), `${field}.scratchPaths`, path, "is listed twice.");
    paths.add(path);
  }
  for (const [volume, mount] of Object.entries(c.mounts ?? {})) {
    const f = `${field}.mounts.${volume}`;
    v.check(volumeKeys.includes(volume), f, volume, `is not a volume of the service; declare it in volumes (known: ${volumeKeys.join(", ") || "none"}).`);
    v.check(ABSOLUTE_PATH.test(mount.containerPath) && mount.containerPath !== "/", `${f}.containerPath`, mount.containerPath, "must be an absolute directory path other than /, e.g. \"/app/cache\".");
    v.check(!paths.has(mount.containerPath), `${f}.containerPath`, mount.containerPath, "is already mounted in this container.");
    paths.add(mount.containerPath);
  }
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

function validateSecret(v: Validator, f: string, secret: ContainerSecret): void {
  const kinds = secret && typeof secret === "object" ? ["parameterArn", "secretArn", "secretName"].filter((k) => k in secret) : [];
  if (kinds.length !== 1) {
    v.fail(f, secret, "must be one of { parameterArn } (SSM Parameter Store), { secretArn, jsonKey? } or { secretName, jsonKey? } (Secrets Manager).");
    return;
  }
  if (isParameterSecret(secret)) {
    checkArn(v, `${f}.parameterArn`, secret.parameterArn, ARN_SHAPES.ssmParameter);
    return;
  }
  if (isNamedSecret(secret)) {
    if (isKnown(secret.secretName)) {
      v.check(
        SECRET_NAME.test(secret.secretName) && parseArn(secret.secretName) === undefined,
        `${f}.secretName`,
        secret.secretName,
        "must be a Secrets Manager secret name (letters, digits and /_+=.@-), not an ARN, e.g. \"/acme/prod/SENTRY_DSN\".",
      );
    }
  } else if (isKnown(secret.secretArn)) {
    v.check(
      isArnOf(ARN_SHAPES.secret, secret.secretArn),
      `${f}.secretArn`,
      secret.secretArn,
      "must be the full Secrets Manager ARN with its 6-character suffix (…:secret:<name>-AbCdEf); without the suffix the execution role's permission matches nothing.",
    );
  }
  if (secret.jsonKey !== undefined) {
    v.check(/^[^:\s]+$/.test(secret.jsonKey), `${f}.jsonKey`, secret.jsonKey, "must be a non-empty JSON key without ':' or spaces.");
  }
}

function checkRange(v: Validator, field: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  v.check(Number.isInteger(value) && value >= min && value <= max, field, value, `must be a whole number between ${min} and ${max}.`);
}

/** The ECS container definition (as a plain object, later JSON-encoded by Terraform). */
export function containerDefinition(name: string, c: ContainerProps, ctx: ContainerContext): Record<string, unknown> {
  const sortedEntries = <T>(record: Readonly<Record<string, T>> | undefined) =>
    Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const mountPoints = [
    ...sortedEntries(c.mounts).map(([volume, m]) => ({ sourceVolume: volume, containerPath: m.containerPath, readOnly: m.readOnly ?? false })),
    ...(c.scratchPaths ?? []).map((path) => ({ sourceVolume: scratchVolumeName(name, path), containerPath: path, readOnly: false })),
  ];
  // Empty lists and explicit defaults are written out: ECS returns them, and leaving them out
  // makes the provider report a change to container_definitions on every plan.
  return {
    name,
    image: imageReference(c.image),
    essential: c.essential ?? true,
    readonlyRootFilesystem: c.readonlyRootFilesystem ?? true,
    portMappings: [
      ...sortedEntries(c.ports).map(([portName, port]) => ({ name: portName, containerPort: port, hostPort: port, protocol: "tcp" })),
      ...sortedEntries(c.udpPorts).map(([portName, port]) => ({ name: portName, containerPort: port, hostPort: port, protocol: "udp" })),
    ],
    environment: sortedEntries(c.environment).map(([key, value]) => ({ name: key, value })),
    secrets: sortedEntries(c.secrets).map(([key, secret]) => ({ name: key, valueFrom: secretValueFrom(secret, ctx.secretArnPrefix) })),
    ...(c.dependsOn ? { dependsOn: sortedEntries(c.dependsOn).map(([containerName, condition]) => ({ containerName, condition })) } : {}),
    ...(c.firelensLogRouter ? { firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } }, user: "0" } : {}),
    mountPoints,
    volumesFrom: [],
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.entryPoint ? { entryPoint: [...c.entryPoint] } : {}),
    ...(c.healthCheck
      ? {
          healthCheck: {
            command: [...c.healthCheck.command],
            interval: c.healthCheck.intervalSeconds ?? 30,
            timeout: c.healthCheck.timeoutSeconds ?? 5,
            retries: c.healthCheck.retries ?? 3,
            startPeriod: c.healthCheck.startPeriodSeconds ?? 0,
          },
        }
      : {}),
    stopTimeout: c.stopTimeoutSeconds ?? 30,
    ...(ctx.execEnabled ? { linuxParameters: { initProcessEnabled: true } } : {}),
    logConfiguration: c.logRouting
      ? {
          logDriver: "awsfirelens",
          options: Object.fromEntries(sortedEntries(c.logRouting.options)),
          secretOptions: sortedEntries(c.logRouting.secretOptions).map(([key, secret]) => ({ name: key, valueFrom: secretValueFrom(secret, ctx.secretArnPrefix) })),
        }
      : {
          logDriver: "awslogs",
          options: {
            "awslogs-group": ctx.logGroupName,
            "awslogs-region": ctx.region,
            "awslogs-stream-prefix": "ecs",
            // A slow CloudWatch must not block the application's stdout writes.
            mode: "non-blocking",
            "max-buffer-size": "25m",
          },
        },
  };
}

/**
 * The `container_definitions` JSON. Plain JSON text (not `jsonencode`) so plans and tests read
 * it as JSON; Terraform references (log group, region, ARNs) stay `${…}` interpolations, and a
 * literal `${` or `%{` in a value (an environment value, a command) is escaped so Terraform
 * does not treat it as a template.
 */
export function containerDefinitionsJson(definitions: readonly Record<string, unknown>[]): string {
  return JSON.stringify(definitions.map(escapeLiterals));
}

function escapeLiterals(value: unknown): unknown {
  if (typeof value === "string") return isKnown(value) ? value.replace(/([$%])\{/g, "$1$1{") : value;
  if (Array.isArray(value)) return value.map(escapeLiterals);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeLiterals(v)]));
  return value;
}
