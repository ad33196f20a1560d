/**
 * Validates GitHub Actions workflows with GitHub's own parser (see lib/workflow-check.ts).
 *
 *   pnpm exec tsx scripts/workflows/main.ts              every file in .github/workflows
 *   pnpm exec tsx scripts/workflows/main.ts a.yml --json  results as JSON (errors + parsed data)
 *
 * A script rather than an import in tests: the parser imports its schema JSON without an
 * import attribute, which Node's own loader (and so vitest) refuses; tsx's loader accepts it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { checkWorkflow } from "./workflow-check";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: "boolean", default: false } } });
const dir = ".github/workflows";
const files = positionals.length > 0 ? positionals : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
const results: Record<string, { errors: readonly string[]; data?: unknown }> = {};
for (const file of files) {
  const check = await checkWorkflow(basename(file), readFileSync(file, "utf8"));
  results[basename(file)] = { errors: check.errors, data: check.data };
}
if (values.json) {
  console.log(JSON.stringify(results));
} else {
  for (const [file, r] of Object.entries(results)) {
    console.log(r.errors.length === 0 ? `ok   ${file}` : `FAIL ${file}\n${r.errors.map((e) => `  ${e}`).join("\n")}`);
  }
}
process.exit(Object.values(results).some((r) => r.errors.length > 0) ? 1 : 0);
