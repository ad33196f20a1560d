import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * One rule, one place: ARNs are built (`arn`, `awsManagedPolicyArn`, `accountResourceArnPattern`)
 * and checked (`ARN_SHAPES`, `checkArn`, `parseArn`) only in packages/core/src/aws-shapes.ts.
 * This scans the sources of packages/, apps/ and scripts/ and fails on an ARN regex or an
 * ARN-prefix literal anywhere else. Comments are not code and are ignored; tests are not
 * scanned (their fixtures are literal ARNs on purpose).
 */
const ROOT = join(import.meta.dirname, "../../..");
const SCANNED = ["packages", "apps", "scripts"];
const SKIPPED_DIRS = new Set(["node_modules", "test", "__snapshots__", "cdktf.out", "dist"]);

/** Files allowed to spell ARNs out, each with the reason. Keep it short. */
const ALLOWLIST: Readonly<Record<string, string>> = {
  "packages/core/src/aws-shapes.ts": "the validation module itself",
};

/** An ARN regex, or a literal that hard-codes a partition (`arn:aws…`) or builds one by hand (`arn:${…}`, `arn:*:`). */
const ARN_LITERAL = /arn:(?:aws|\$\{|\*)/;

export function adHocArns(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push(`${fileName}:${line}: ${what}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node) && node.text.includes("arn:")) report(node, `ARN regex ${node.text}`);
    else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && ARN_LITERAL.test(node.text)) {
      report(node, `ARN literal "${node.text}"`);
    } else if (ts.isTemplateExpression(node)) {
      const shape = node.head.text + node.templateSpans.map((s) => "${}" + s.literal.text).join("");
      if (ARN_LITERAL.test(shape)) report(node, `ARN template \`${shape}\``);
      node.templateSpans.forEach((s) => visit(s.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|mts|cts)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe("ARNs are built and checked only in packages/core/src/aws-shapes.ts", () => {
  it("finds no ARN regex or ARN-prefix literal outside it", () => {
    const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).map((f) => relative(ROOT, f));
    expect(files.length).toBeGreaterThan(100);
    const violations = files
      .filter((f) => !(f in ALLOWLIST))
      .map((f) => [f, readFileSync(join(ROOT, f), "utf8")] as const)
      .filter(([, text]) => text.includes("arn:")) // parse only what could hold one
      .flatMap(([f, text]) => adHocArns(f, text));
    expect(violations, "use arn()/ARN_SHAPES/checkArn from @platform/core instead").toEqual([]);
  });

  it("catches each form of an ad-hoc ARN and ignores comments and other text", () => {
    const text = [
      "const a = /^arn:aws[a-z-]*:kms:/;",
      'const b = "must be arn:aws:kms:<region>";',
      "const c = `arn:${partition}:iam::${account}:root`;",
      "const d = `arn:*:ecs:*:${account}:*`;",
      "const e = new RegExp(`^arn:aws:${service}:`);",
      "// arn:aws:in-a-comment is fine",
      'const f = text.startsWith("arn:");',
      "const g = `${prefix}-arn:x`;",
    ].join("\n");
    expect(adHocArns("x.ts", text).map((v) => v.split(":")[1])).toEqual(["1", "2", "3", "4", "5"]);
  });
});
