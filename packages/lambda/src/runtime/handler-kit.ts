/**
 * Plumbing shared by the Lambda handlers that `BundledFunction` bundles. Import it from
 * `@platform/lambda/runtime`: it has no cdktf or provider imports, so bundles stay small.
 */

/** One structured log line. With the function's JSON log format it lands under `message`. */
export type LogRecord = Record<string, unknown>;

export interface JsonLogger {
  info(record: LogRecord): void;
  error(record: LogRecord): void;
}

/** Writes each record as one object, so Lambda's JSON log format nests it under `message`. */
export const consoleLogger: JsonLogger = {
  info: (record) => console.info(record),
  error: (record) => console.error(record),
};

/** The name and message of anything thrown. */
export function errorInfo(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: "Error", message: String(e) };
}

/** An Error with a given name (e.g. `AccessDeniedException`), so logs keep AWS's error type. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Prefixes an AWS error with the API call that failed, keeping its name. */
export async function awsStep<T>(call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const info = errorInfo(e);
    throw namedError(info.name, `${call}: ${info.message}`);
  }
}
