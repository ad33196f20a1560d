/** Where the database is; nothing here is secret (it is also in the Lambda environment and in state). */
export interface DatabaseLocation {
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
}

/** The fields of an RDS-managed master secret (`SecretString` JSON) this module reads. */
export interface MasterCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * `postgresql://user:pass@host:port/db?sslmode=require`, with user, password and database
 * name percent-encoded: RDS-generated passwords contain characters such as `:`, `/`, `@`, `#`,
 * `?` and `%` that would otherwise break the URL.
 */
export function databaseUrl(location: DatabaseLocation, credentials: MasterCredentials): string {
  const user = encodeURIComponent(credentials.username);
  const password = encodeURIComponent(credentials.password);
  const database = encodeURIComponent(location.databaseName);
  return `postgresql://${user}:${password}@${location.host}:${location.port}/${database}?sslmode=require`;
}

/** Parses a managed secret's `SecretString`; the error never includes the string itself. */
export function parseMasterCredentials(secretString: string | undefined): MasterCredentials {
  if (!secretString) throw new Error("the secret has no SecretString");
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error("the secret's SecretString is not JSON");
  }
  const { username, password } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof username !== "string" || username === "" || typeof password !== "string" || password === "") {
    throw new Error("the secret's SecretString lacks a username or password");
  }
  return { username, password };
}
