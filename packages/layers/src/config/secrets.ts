/**
 * Detection of secrets in plain environment variables. Plain values are stored in the task
 * definition, visible in the console and in Terraform state, so a credential there leaks.
 */

/** Variable names that announce a credential. `PUBLIC`/`PUBLISHABLE` names are browser config and pass. */
const SECRET_NAME = /(^|_)(TOKEN|KEY|DSN|PASSWORD|PASSWD|PWD|SECRET|CREDENTIALS?|ACCESS_KEY_ID|AUTH|PRIVATE_KEY|API_KEY|APIKEY|SALT|SIGNING_KEY)$/i;
const PUBLIC_NAME = /(^|_)(PUBLIC|PUBLISHABLE)(_|$)/i;

/** Known credential formats, by the vendor that issues them. */
const TOKEN_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ["a Stripe secret or restricted key", /\b[sr]k_(live|test)_[A-Za-z0-9]{8,}/],
  ["an AWS access key ID", /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/],
  ["a GitHub token", /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/],
  ["a Slack token", /\bxox[abposre]-[A-Za-z0-9-]{8,}/],
  ["a Google API key", /\bAIza[0-9A-Za-z_-]{35}\b/],
  ["an OpenAI or Anthropic API key", /\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}/],
  ["a SendGrid API key", /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/],
  ["an npm token", /\bnpm_[A-Za-z0-9]{30,}/],
  ["a GitLab token", /\bglpat-[A-Za-z0-9_-]{20,}/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a JSON Web Token", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ["a URL with a password", /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * A long random-looking string: 32+ characters without spaces, at least three character classes
 * (so hex digests such as git SHAs and UUIDs pass), and at least 4.5 bits of entropy per character.
 */
function looksRandom(value: string): boolean {
  if (value.length < 32 || /\s/.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((c) => c.test(value)).length;
  return classes >= 3 && entropy(value) >= 4.5;
}

/** What kind of credential a plain variable holds, judging by its value, or undefined. */
export function credentialInValue(value: string): string | undefined {
  const known = TOKEN_PATTERNS.find(([, pattern]) => pattern.test(value));
  if (known) return known[0];
  return looksRandom(value) ? "a long random string (a key or token)" : undefined;
}

/** True when a variable's name says it holds a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PUBLIC_NAME.test(name);
}
