/** The SSM document that forwards a local port through the target to a host it can reach. */
export const PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSessionToRemoteHost";

/** `--region <r>` when the stack names its region, so a shell's default region cannot send us elsewhere. */
const regionArgs = (region: string | undefined): string[] => (region ? ["--region", region] : []);

export function listTasksArgs(cluster: string, service: string, region?: string): string[] {
  return ["ecs", "list-tasks", "--cluster", cluster, "--service-name", service, "--desired-status", "RUNNING", "--output", "json", ...regionArgs(region)];
}

export function describeTasksArgs(cluster: string, taskArns: readonly string[], region?: string): string[] {
  return ["ecs", "describe-tasks", "--cluster", cluster, "--tasks", ...taskArns, "--output", "json", ...regionArgs(region)];
}

/** The `--parameters` JSON of the port-forwarding document (every value is a list of strings). */
export function portForwardingParameters(host: string, remotePort: number, localPort: number): string {
  return JSON.stringify({ host: [host], portNumber: [String(remotePort)], localPortNumber: [String(localPort)] });
}

export function startSessionArgs(options: {
  readonly target: string;
  readonly host: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly region?: string;
}): string[] {
  return [
    "ssm",
    "start-session",
    "--target",
    options.target,
    "--document-name",
    PORT_FORWARDING_DOCUMENT,
    "--parameters",
    portForwardingParameters(options.host, options.remotePort, options.localPort),
    ...regionArgs(options.region),
  ];
}

/** The task ID is the last segment of the task ARN (`arn:…:task/<cluster>/<id>`). */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf("/") + 1);
}

/** SSM target of a container reached through ECS Exec: `ecs:<cluster>_<taskId>_<runtimeId>`. */
export function ecsExecTarget(cluster: string, taskId: string, runtimeId: string): string {
  return `ecs:${cluster}_${taskId}_${runtimeId}`;
}

/** Reads the RDS-managed master secret (JSON with username and password); the user runs it, we never do. */
export function secretValueArgs(secretArn: string, region?: string): string[] {
  return ["secretsmanager", "get-secret-value", "--secret-id", secretArn, "--query", "SecretString", "--output", "text", ...regionArgs(region)];
}

export function databaseUrlArgs(parameterName: string, region?: string): string[] {
  return ["ssm", "get-parameter", "--name", parameterName, "--with-decryption", "--query", "Parameter.Value", "--output", "text", ...regionArgs(region)];
}

/**
 * The URL to give psql: no password (psql prompts, or reads PGPASSWORD). `sslmode=require`
 * because RDS PostgreSQL 15+ refuses unencrypted connections by default (`rds.force_ssl`);
 * `verify-full` cannot work through a tunnel, where the host is localhost.
 */
export function psqlUrl(username: string, localPort: number, databaseName: string): string {
  return `postgresql://${encodeURIComponent(username)}@localhost:${localPort}/${encodeURIComponent(databaseName)}?sslmode=require`;
}
