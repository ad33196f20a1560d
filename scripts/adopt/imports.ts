/**
 * Imports as code: one file per stack, `apps/<env>/imports/<stack>.json`, a list of
 * `{ to, id }` that synth turns into the stack's top-level Terraform `import` blocks (see
 * `withImports` in apps/adopt-imports.ts). The first plan of each stack then imports and updates
 * in place; once applied, the file can be deleted (an import block of a resource already in
 * the state is a no-op).
 */
import type { Adoption } from "./match";

export interface ImportEntry {
  /** The address in our stack, e.g. `aws_vpc.network_vpc_4E8F0223`. */
  readonly to: string;
  /** The provider's import ID for the live resource. */
  readonly id: string;
}

/** Import entries per stack (stacks with nothing to import left out). */
export function importsByStack(a: Adoption): Map<string, ImportEntry[]> {
  const out = new Map<string, ImportEntry[]>();
  for (const m of a.matched) {
    if (!m.importId) continue;
    const list = out.get(m.ours.stack) ?? [];
    list.push({ to: m.ours.address, id: m.importId });
    out.set(m.ours.stack, list);
  }
  for (const list of out.values()) list.sort((x, y) => x.to.localeCompare(y.to));
  return out;
}
