/** Output of a command run to completion with its output captured. */
export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs programs (no shell). Injected so tests see every call and run nothing. */
export interface CommandRunner {
  /** Runs to completion, capturing stdout and stderr; never throws for a non-zero exit. */
  capture(command: string, args: readonly string[], options?: { readonly cwd?: string }): Promise<CapturedRun>;
  /** Runs with the terminal attached (stdio inherited) and resolves with the exit code. */
  interactive(command: string, args: readonly string[]): Promise<number>;
}

export type Printer = (line: string) => void;

const SAFE_WORD = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

/** POSIX shell quoting, so a printed command can be pasted as is. */
export function shellQuote(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(" ");
}

/** Prints `$ command args…` (inside `(cd dir && …)` when it runs elsewhere). */
export function printCommand(print: Printer, command: string, args: readonly string[], dir?: string): void {
  const line = shellJoin(command, args);
  print(dir ? `$ (cd ${shellQuote(dir)} && ${line})` : `$ ${line}`);
}
