/**
 * Terraform error text made safe to show in a pull-request comment or an artifact: the first
 * lines of the error, with quoted values and long opaque tokens masked (Terraform's messages
 * may quote a variable's or an attribute's value).
 */
const MASK = "(masked)";

/** Quoted strings, and long runs of token-like characters outside quotes (keys, passwords). */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const OPAQUE = /\b[A-Za-z0-9+/=_-]{32,}\b/g;

/** Masks one line: quoted values and opaque tokens; keeps addresses, attribute names and words. */
export function maskErrorLine(line: string): string {
  return line.replace(QUOTED, `"${MASK}"`).replace(OPAQUE, MASK);
}

/**
 * The first `max` non-empty lines from the first `Error:` on (or from the start when there is
 * none), masked, ANSI colour codes removed.
 */
export function maskedErrorLines(text: string, max = 12): string[] {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd());
  const start = Math.max(0, lines.findIndex((l) => l.startsWith("Error:")));
  return lines.slice(start).filter((l) => l.trim() !== "").slice(0, max).map(maskErrorLine);
}
