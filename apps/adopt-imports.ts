/**
 * Carries `pnpm adopt`'s import files into the synthesized stacks: for every stack with an
 * `apps/<env>/imports/<stack>.json` (a list of `{ "to": address, "id": import ID }`), the
 * stack's cdk.tf.json gets top-level Terraform `import` blocks. Without such files nothing
 * changes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TerraformStack, type App } from "cdktf";

const APPS_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The import file of a stack: `apps/<env>/imports/<stack>.json`. */
export function importFileOf(stack: string, appsDir: string = APPS_DIR): string {
  return join(appsDir, stack.split("-")[0]!, "imports", `${stack}.json`);
}

/** Adds the import blocks of every stack of `app` that has an import file. */
export function withImports(app: App, appsDir: string = APPS_DIR): void {
  for (const child of app.node.children) {
    if (!(child instanceof TerraformStack)) continue;
    const file = importFileOf(child.node.id, appsDir);
    if (!existsSync(file)) continue;
    const entries = JSON.parse(readFileSync(file, "utf8")) as Array<{ to?: unknown; id?: unknown }>;
    const bad = Array.isArray(entries) ? entries.filter((e) => typeof e?.to !== "string" || typeof e?.id !== "string") : [entries];
    if (!Array.isArray(entries) || bad.length > 0) {
      throw new Error(`${file}: expected a list of { "to": "<type>.<name>", "id": "<import ID>" }; regenerate it with pnpm adopt`);
    }
    child.addOverride("import", entries.map((e) => ({ to: e.to, id: e.id })));
  }
}
