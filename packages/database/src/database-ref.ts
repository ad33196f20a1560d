/** What other stacks need from a database. Plain strings so consumers' props stay typed. */
export interface DatabaseRef {
  /** Host name applications connect to (instance address or cluster writer endpoint), without port. */
  readonly endpoint: string;
  /** Read-only endpoint (Aurora only), balancing across readers. */
  readonly readerEndpoint?: string;
  readonly port: number | string;
  readonly databaseName: string;
  /** ARN of the RDS-managed master secret (username/password JSON). */
  readonly masterSecretArn: string;
  /** SSM SecureString holding `postgresql://...` for the applications. */
  readonly databaseUrlParameterName: string;
  /** Exact ARN of that parameter, for `ssm:GetParameters` in task execution roles. */
  readonly databaseUrlParameterArn: string;
  /** DB instance or cluster identifier (for alarms, dashboards, the tunnel script). */
  readonly identifier: string;
}
