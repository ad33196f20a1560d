/**
 * Terraform error text made safe to show in a pull-request comment or an artifact: the first
 * lines of the error, with quoted values and long opaque tokens masked (Terraform's messages
 * may quote a variable's or an attribute's value).
 */
const MASK = "(masked)";

/** Quoted strings, and long runs of token-like characters outside quotes (keys, passwords). */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
const OPAQUE = /\b[A-Za-z0-9+/=_-]{32,}\b/g;

/**
 * A quoted name right after the kind of configuration object it names (`variable
 * "alb_allowed_cidrs"`, `output "vpc_id"`): a name from the code, not a value, and the most
 * useful word of the message. Only identifier-shaped names are kept.
 */
const NAMED = /\b(variable|output|resource|module|data|provider|argument|attribute|block type) "([A-Za-z_][A-Za-z0-9_-]{0,63})"/g;

/** Masks one line: quoted values and opaque tokens; keeps addresses, object names, attribute names and words. */
export function maskErrorLine(line: string): string {
  const names: string[] = [];
  // Set the names aside under a placeholder no input can contain, mask, then put them back.
  const kept = line.replace(/\u0000/g, "").replace(NAMED, (_, kind: string, name: string) => `${kind} "\u0000${names.push(name) - 1}\u0000"`);
  return kept
    .replace(QUOTED, (q) => (/^"\u0000\d+\u0000"$/.test(q) ? q : `"${MASK}"`))
    .replace(OPAQUE, MASK)
    .replace(/\u0000(\d+)\u0000/g, (_, i: string) => names[Number(i)]!.replace(OPAQUE, MASK));
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
