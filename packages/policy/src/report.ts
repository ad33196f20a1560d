import { unwaived, type PolicyFinding, type PolicyResult } from "./evaluate";
import { RULES } from "./rules";

function waiverText(f: PolicyFinding): string {
  return f.waivedBy ? `${f.waivedBy.reason} (until ${f.waivedBy.expires})` : "";
}

function rows(results: readonly PolicyResult[]): string[][] {
  return results.flatMap((r) => r.findings.map((f) => [r.environment, f.rule, f.severity, f.stack, f.resource, f.message, waiverText(f)]));
}

/** A plain-text table for the terminal: one line per finding, then the totals. */
export function renderPolicyTable(results: readonly PolicyResult[]): string {
  const header = ["env", "rule", "severity", "stack", "resource", "message", "waived-by"];
  const body = rows(results);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...body.map((row) => row[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line), ""];
  for (const r of results) {
    out.push(`${r.environment}: ${r.rulesRun.length} rules, ${r.findings.length} findings, ${unwaived(r).length} unwaived, ${r.waiverErrors.length} waiver errors`);
    for (const e of r.waiverErrors) out.push(`  ${e}`);
    for (const f of unwaived(r)) out.push(`  UNWAIVED ${f.rule} ${f.stack}/${f.resource}: ${f.message}`);
  }
  return out.join("\n");
}

/** Machine-readable results (`pnpm policy --json`). */
export function renderPolicyJson(results: readonly PolicyResult[]): string {
  return JSON.stringify(
    results.map((r) => ({ ...r, unwaived: unwaived(r).length, passed: unwaived(r).length === 0 && r.waiverErrors.length === 0 })),
    null,
    2,
  );
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The policy section of the pull-request review comment (Markdown). */
export function renderPolicyMarkdown(results: readonly PolicyResult[]): string {
  const out = ["### Policy pack", ""];
  for (const r of results) {
    const open = unwaived(r);
    const status = open.length === 0 && r.waiverErrors.length === 0 ? "✅" : "❌";
    out.push(`${status} **${r.environment}**: ${r.rulesRun.length} rules, ${open.length} unwaived finding(s), ${r.findings.length - open.length} waived, ${r.waiverErrors.length} waiver error(s)`);
  }
  const problems = results.flatMap((r) => [
    ...unwaived(r).map((f) => `| ${r.environment} | \`${f.rule}\` | ${f.severity} | ${f.stack} | \`${cell(f.resource)}\` | ${cell(f.message)} |`),
    ...r.waiverErrors.map((e) => `| ${r.environment} | waiver | error | | | ${cell(e)} |`),
  ]);
  if (problems.length > 0) out.push("", "| env | rule | severity | stack | resource | problem |", "| --- | --- | --- | --- | --- | --- |", ...problems);
  const waived = results.flatMap((r) =>
    r.findings.filter((f) => f.waivedBy).map((f) => `| ${r.environment} | \`${f.rule}\` | ${f.stack} | \`${cell(f.resource)}\` | ${cell(f.waivedBy!.reason)} | ${f.waivedBy!.expires} |`),
  );
  if (waived.length > 0) {
    out.push("", `<details><summary>${waived.length} waived finding(s)</summary>`, "", "| env | rule | stack | resource | reason | expires |", "| --- | --- | --- | --- | --- | --- |", ...waived, "", "</details>");
  }
  return out.join("\n");
}

/** The rule table of the README (id, severity, title, anchors). */
export function renderRuleTable(): string {
  const anchors = (r: (typeof RULES)[number]) => [...(r.anchors.checkov ?? []), ...(r.anchors.trivy ?? []), ...(r.anchors.fsbp ?? []).map((c) => `FSBP ${c}`)].join(", ") || "none (platform-specific)";
  return [
    "| id | severity | applies | title | anchors |",
    "| --- | --- | --- | --- | --- |",
    ...RULES.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.productionOnly ? "prod" : "all"} | ${cell(r.title)} | ${anchors(r)} |`),
  ].join("\n");
}
