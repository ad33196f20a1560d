/**
 * Validates GitHub Actions workflows with GitHub's own parser (see lib/workflow-check.ts).
 *
 *   pnpm exec tsx scripts/workflows/main.ts              every file in .github/workflows
 *   pnpm exec tsx scripts/workflows/main.ts a.yml --json  results as JSON (errors + parsed data)
 *
 * The parser imports its schema JSON without an import attribute, which Node's own loader
 * refuses; tsx's loader accepts it (and vitest's once the parser is pre-bundled: vitest.config.ts).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkWorkflowFiles } from "./workflow-check";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: "boolean", default: false } } });
const dir = ".github/workflows";
const files = positionals.length > 0 ? positionals : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
const { status, results } = await checkWorkflowFiles(files);
if (values.json) {
  console.log(JSON.stringify(results));
} else {
  for (const [file, r] of Object.entries(results)) {
    console.log(r.errors.length === 0 ? `ok   ${file}` : `FAIL ${file}\n${r.errors.map((e) => `  ${e}`).join("\n")}`);
  }
}
process.exit(status);
