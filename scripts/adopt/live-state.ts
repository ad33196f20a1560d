/**
 * Reads the legacy live states: `terraform state pull` output (state format 4), one file per
 * Terragrunt unit in a folder, or a single file. Every problem of every file is collected and
 * thrown at once, each naming its file.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { isAccountId, parseArn } from "@platform/core/aws-shapes";
import type { Attributes } from "./rules";

/** One managed resource instance of a legacy state. */
export interface LiveResource {
  /** The unit (file) it comes from, e.g. `database`. */
  readonly unit: string;
  readonly file: string;
  /** Its address in the old state, e.g. `module.rds.aws_db_instance.this[0]`. */
  readonly address: string;
  readonly type: string;
  readonly attributes: Attributes;
  /** As the state holds it, for writing the resource into another state unchanged. */
  readonly schemaVersion: number;
  readonly sensitiveAttributes: readonly unknown[];
  readonly provider: string;
}

export interface LiveUnit {
  readonly unit: string;
  readonly file: string;
  readonly resources: readonly LiveResource[];
  /** Regions and accounts its ARNs name (global ARNs such as IAM's name no region). */
  readonly regions: readonly string[];
  readonly accounts: readonly string[];
}

/** Bad input: every problem found, each naming its file. */
export class AdoptInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`adopt: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AdoptInputError";
  }
}

interface StateInstance {
  index_key?: string | number;
  schema_version?: number;
  attributes?: Record<string, unknown>;
  sensitive_attributes?: unknown[];
}

interface StateResource {
  module?: string;
  mode?: string;
  type?: string;
  name?: string;
  provider?: string;
  instances?: StateInstance[];
}

/** Every state file under `from` (a file, or a folder searched recursively), sorted. */
function stateFiles(from: string): string[] {
  if (statSync(from).isFile()) return [from];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith(".")) continue; // .terragrunt-cache, .terraform
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(tfstate|json)$/.test(entry.name)) found.push(path);
    }
  };
  walk(from);
  return found;
}

/** `network/terraform.tfstate` → `network`; `database.tfstate` → `database`. */
function unitName(root: string, file: string): string {
  const rel = relative(root, file) || basename(file);
  return rel.replace(/\/?terraform\.tfstate$/, "").replace(/\.(tfstate|json)$/, "") || basename(file);
}

function addressOf(r: StateResource, instance: StateInstance): string {
  const key = instance.index_key === undefined ? "" : typeof instance.index_key === "number" ? `[${instance.index_key}]` : `["${instance.index_key}"]`;
  return `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}${key}`;
}

/** Region and account of every ARN among the attributes (top level and one level down). */
function arnParts(attributes: Attributes): { regions: string[]; accounts: string[] } {
  const regions: string[] = [];
  const accounts: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (typeof v === "string") {
      const arn = parseArn(v);
      if (arn) {
        if (arn.region) regions.push(arn.region);
        if (isAccountId(arn.account)) accounts.push(arn.account);
      }
    } else if (depth < 2 && v && typeof v === "object") {
      Object.values(v as Record<string, unknown>).forEach((x) => visit(x, depth + 1));
    }
  };
  visit(attributes.arn, 0);
  visit(attributes.owner_id, 0);
  if (typeof attributes.owner_id === "string" && /^\d{12}$/.test(attributes.owner_id)) accounts.push(attributes.owner_id);
  return { regions, accounts };
}

/** Parses one state file's text; problems are appended to `problems`. */
export function parseState(file: string, unit: string, text: string, problems: string[]): LiveUnit | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`${file}: not a Terraform state file (not JSON). Write it with \`terraform state pull > ${basename(file)}\` in the unit.`);
    return undefined;
  }
  const state = json as { version?: unknown; resources?: unknown; lineage?: unknown };
  const isState = !!state && typeof state === "object" && typeof state.version === "number" && typeof state.lineage === "string";
  if (!isState && !(state && typeof state === "object" && Array.isArray(state.resources) && state.version === 4)) {
    problems.push(`${file}: not a Terraform state file (no "version" and "resources"). Write it with \`terraform state pull\` in the unit.`);
    return undefined;
  }
  if (state.version !== 4 || !Array.isArray(state.resources)) {
    problems.push(
      `${file}: state format version ${JSON.stringify(state.version)}; adopt reads version 4 only (Terraform ≥ 0.12). Run \`terraform state pull\` with Terraform ≥ 1.5, which writes version 4.`,
    );
    return undefined;
  }
  const resources: LiveResource[] = [];
  const regions = new Set<string>();
  const accounts = new Set<string>();
  for (const r of state.resources as StateResource[]) {
    if (r.mode !== "managed" || !r.type) continue;
    for (const instance of r.instances ?? []) {
      const attributes = instance.attributes ?? {};
      resources.push({
        unit,
        file,
        address: addressOf(r, instance),
        type: r.type,
        attributes,
        schemaVersion: instance.schema_version ?? 0,
        sensitiveAttributes: instance.sensitive_attributes ?? [],
        provider: r.provider ?? 'provider["registry.terraform.io/hashicorp/aws"]',
      });
      const parts = arnParts(attributes);
      parts.regions.forEach((x) => regions.add(x));
      parts.accounts.forEach((x) => accounts.add(x));
    }
  }
  return { unit, file, resources, regions: [...regions].sort(), accounts: [...accounts].sort() };
}

/** Where the environment runs, to refuse units of another region or account. */
export interface EnvironmentPlace {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
}

/** Reads every unit under `from`; throws AdoptInputError listing every problem. */
export function readLiveStates(from: string, place: EnvironmentPlace): LiveUnit[] {
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = stateFiles(from);
  } catch {
    throw new AdoptInputError([`${from}: no such file or folder. Pass the folder holding one \`terraform state pull\` file per unit.`]);
  }
  if (files.length === 0) problems.push(`${from}: no state files (*.tfstate or *.json) in it.`);
  const root = statSync(from).isFile() ? "" : from;
  const units: LiveUnit[] = [];
  for (const file of files) {
    const unit = parseState(file, root ? unitName(root, file) : unitName("", basename(file)), readFileSync(file, "utf8"), problems);
    if (!unit) continue;
    const otherRegions = unit.regions.filter((r) => r !== place.region);
    const otherAccounts = unit.accounts.filter((a) => a !== place.accountId);
    if (otherRegions.length > 0 || otherAccounts.length > 0) {
      const what = [
        otherRegions.length ? `region ${otherRegions.join(", ")}` : "",
        otherAccounts.length ? `account ${otherAccounts.join(", ")}` : "",
      ].filter(Boolean);
      problems.push(
        `${file}: unit "${unit.unit}" is from ${what.join(" and ")}, but ${place.name} runs in region ${place.region}, account ${place.accountId} (environment.region / environment.accountId). Pull the states of ${place.name}'s own units.`,
      );
      continue;
    }
    units.push(unit);
  }
  if (problems.length > 0) throw new AdoptInputError(problems);
  return units;
}
