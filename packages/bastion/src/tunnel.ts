/** SSM document that forwards a local port through an instance to a host it can reach. */
export const PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSessionToRemoteHost";

export interface PortForwardingOptions {
  /** The bastion's instance ID (a literal or a Terraform reference). */
  readonly instanceId: string;
  /** Host the bastion connects to, e.g. the database endpoint. */
  readonly remoteHost: string;
  /**
   * Port on the remote host.
   * @default 5432 (PostgreSQL)
   */
  readonly remotePort?: number;
  /**
   * Port to listen on locally. Not 5432, so a PostgreSQL running on the laptop never
   * answers in the database's place.
   * @default 15432
   */
  readonly localPort?: number;
}

/**
 * The `aws ssm start-session` command that opens a tunnel to a private host through the
 * bastion (needs the Session Manager plugin). Works with Terraform references, so an
 * output can hand people the exact command.
 */
export function portForwardingCommand(options: PortForwardingOptions): string {
  const remotePort = options.remotePort ?? 5432;
  const localPort = options.localPort ?? 15432;
  return [
    "aws ssm start-session",
    `--target ${options.instanceId}`,
    `--document-name ${PORT_FORWARDING_DOCUMENT}`,
    `--parameters host=${options.remoteHost},portNumber=${remotePort},localPortNumber=${localPort}`,
  ].join(" ");
}
