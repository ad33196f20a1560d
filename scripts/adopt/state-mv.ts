/**
 * The second mode: what `terraform state mv` across state files does. Each new stack gets a
 * state (format 4) holding its matched resources at their new addresses, attributes as the
 * old state recorded them; each old unit's state loses what moved. The caller backs up the old
 * states before writing (see `backupFolder`).
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { Adoption } from "./match";

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';

/** New state text per stack. */
export function newStackStates(a: Adoption, terraformVersion = "1.11.4"): Map<string, string> {
  const byStack = new Map<string, Adoption["matched"][number][]>();
  for (const m of a.matched) byStack.set(m.ours.stack, [...(byStack.get(m.ours.stack) ?? []), m]);
  const out = new Map<string, string>();
  for (const [stack, matches] of [...byStack].sort(([x], [y]) => x.localeCompare(y))) {
    const resources = matches.map((m) => ({
      mode: "managed",
      type: m.ours.type,
      name: m.ours.name,
      // Our stacks configure one default AWS provider; the resource keeps no alias of the old unit.
      provider: AWS,
      instances: [
        {
          schema_version: m.live.schemaVersion,
          attributes: m.live.attributes,
          sensitive_attributes: m.live.sensitiveAttributes,
          dependencies: [],
        },
      ],
    }));
    out.set(
      stack,
      `${JSON.stringify({ version: 4, terraform_version: terraformVersion, serial: 1, lineage: randomUUID(), outputs: {}, resources, check_results: null }, null, 2)}\n`,
    );
  }
  return out;
}

interface RawState {
  serial?: number;
  resources?: Array<{ module?: string; mode?: string; type?: string; name?: string; instances?: Array<{ index_key?: string | number }> }>;
}

/** Each old unit's state without the resources that moved (serial bumped), per file. */
export function remainingOldStates(a: Adoption): Map<string, string> {
  const moved = new Map<string, Set<string>>();
  for (const m of a.matched) moved.set(m.live.file, (moved.get(m.live.file) ?? new Set()).add(m.live.address));
  const out = new Map<string, string>();
  for (const [file, addresses] of moved) {
    const state = JSON.parse(readFileSync(file, "utf8")) as RawState;
    state.resources = (state.resources ?? [])
      .map((r) => ({
        ...r,
        instances: (r.instances ?? []).filter((i) => {
          const k = i.index_key === undefined ? "" : typeof i.index_key === "number" ? `[${i.index_key}]` : `["${i.index_key}"]`;
          return r.mode !== "managed" || !addresses.has(`${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${k}`);
        }),
      }))
      .filter((r) => r.instances.length > 0);
    state.serial = (state.serial ?? 0) + 1;
    out.set(file, `${JSON.stringify(state, null, 2)}\n`);
  }
  return out;
}

/** Copies `from` to `<from>.backup-<stamp>` (never overwriting) and returns the backup's path. */
export function backupFolder(from: string, stamp: string): string {
  const target = `${from.replace(/\/$/, "")}.backup-${stamp}`;
  if (existsSync(target)) throw new Error(`${target} exists already; refusing to overwrite a backup`);
  cpSync(from, target, { recursive: true });
  return target;
}
