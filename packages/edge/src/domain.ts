/** DNS limits (RFC 1035): a label is 1–63 octets, a name at most 253 characters in text form. */
export const DNS_LABEL_MAX = 63;
export const DNS_NAME_MAX = 253;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Why `name` is not a valid public DNS name for a hosted zone or certificate, or undefined
 * when it is. Names must be written the way Route53 and ACM return them (lower case, no
 * trailing dot) so that plans never show a spurious diff.
 */
export function domainNameProblem(name: string): string | undefined {
  if (typeof name !== "string" || name.length === 0) return "is empty";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return "contains a URL scheme; write only the host name";
  if (name.includes("/")) return "contains a path; write only the host name";
  if (name.endsWith(".")) return "ends with a dot; drop the trailing dot";
  if (name !== name.toLowerCase()) return "has upper-case letters; write it in lower case";
  if (name.length > DNS_NAME_MAX) return `is longer than ${DNS_NAME_MAX} characters`;
  const labels = name.split(".");
  if (labels.length < 2) return "has a single label; use a registered domain such as example.com";
  for (const label of labels) {
    if (label.length === 0) return "has an empty label (two dots in a row or a leading dot)";
    if (label.length > DNS_LABEL_MAX) return `has a label longer than ${DNS_LABEL_MAX} characters`;
    if (!LABEL.test(label)) {
      return `has the label "${label}"; labels are letters, digits and inner hyphens`;
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return "ends in a numeric label; top-level domains are not numeric";
  return undefined;
}

/**
 * Why `name` is not valid as a certificate name: a DNS name, optionally with one leading
 * `*.` wildcard label (ACM allows the wildcard only as the leftmost label).
 */
export function certificateNameProblem(name: string): string | undefined {
  if (typeof name === "string" && name.startsWith("*.")) {
    if (name.slice(2).includes("*")) return "may hold only one wildcard, as the leftmost label";
    return domainNameProblem(name.slice(2));
  }
  if (typeof name === "string" && name.includes("*")) return "may hold a wildcard only as the leftmost label (\"*.example.com\")";
  return domainNameProblem(name);
}

/** True when `name` is `zone` or lies below it (`www.example.com` in `example.com`). */
export function isWithinZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * The name ACM validates for a certificate name: a wildcard and its base domain share one
 * validation record, so `*.example.com` and `example.com` both map to `example.com`.
 */
export function validationDomain(name: string): string {
  return name.startsWith("*.") ? name.slice(2) : name;
}
