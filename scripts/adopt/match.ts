/**
 * Pairs every resource our stacks would create with the live resource it is, by the rule
 * table: identity keys first (references resolved through resources already paired, so a
 * subnet is found by its VPC's live ID and its CIDR), then the only-one-of-its-type fallback,
 * again until nothing new pairs.
 */
import type { LiveResource, LiveUnit } from "./live-state";
import { AdoptInputError } from "./live-state";
import type { OurResource, OurStack } from "./ours";
import { ADOPT_RULES, identityOf, valueAt, type Attributes } from "./rules";

export interface AttributeChange {
  readonly attribute: string;
  readonly live: unknown;
  readonly ours: unknown;
}

export interface ImmutableChange extends AttributeChange {
  /** The config setting that keeps the live value. */
  readonly setting: string;
}

export interface Match {
  readonly ours: OurResource;
  readonly live: LiveResource;
  /** How it was recognised, e.g. `identifier = myapp-staging-db` or `only aws_vpc`. */
  readonly by: string;
  /** The import ID; undefined when the type has nothing to import (created at the first apply). */
  readonly importId?: string;
  /** Attributes the first plan changes in place. */
  readonly changes: readonly AttributeChange[];
  /** Attributes whose change would replace the resource. */
  readonly immutable: readonly ImmutableChange[];
}

export interface Adoption {
  readonly env: string;
  readonly matched: readonly Match[];
  /** Live resources no resource of ours is: they stay in the old state. */
  readonly unmatched: readonly LiveResource[];
  /** Ours with no live counterpart: the first apply creates them. */
  readonly created: readonly { readonly ours: OurResource; readonly why: string }[];
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z0-9_]+)\}$/;
const REMOTE = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.}]+)\.outputs\.([^.}]+)\}$/;

type Paired = Map<string, LiveResource>;
const key = (stack: string, address: string) => `${stack} ${address}`;

/** A reference's live value (`${aws_vpc.x.id}` → `vpc-0abc`), undefined when not paired yet. */
function resolveString(value: string, stack: string, stacks: ReadonlyMap<string, OurStack>, paired: Paired, depth = 0): unknown {
  const remote = REMOTE.exec(value);
  if (remote && depth < 3) {
    const producer = stacks.get(remote[1]!);
    const expr = producer?.outputs[remote[2]!];
    return typeof expr === "string" ? resolveString(expr, remote[1]!, stacks, paired, depth + 1) : undefined;
  }
  const ref = REFERENCE.exec(value);
  if (ref) {
    const live = paired.get(key(stack, `${ref[1]}.${ref[2]}`));
    return live ? live.attributes[ref[3]!] : value;
  }
  return value;
}

/** Our config with every resolvable reference replaced by the live value. */
export function resolveConfig(ours: OurResource, stacks: ReadonlyMap<string, OurStack>, paired: Paired): Attributes {
  const visit = (v: unknown): unknown => {
    if (typeof v === "string") return v.includes("${") ? resolveString(v, ours.stack, stacks, paired) : v;
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(ours.config) as Attributes;
}

const IGNORED = new Set(["//", "lifecycle", "depends_on", "provider", "for_each", "count", "timeouts", "provisioner", "connection"]);

/** True when a value known in our config is the live one (blocks as one-element lists, numbers as strings, JSON text parsed). */
export function sameValue(ours: unknown, live: unknown): boolean {
  if (typeof ours === "string" && ours.includes("${")) return true; // known only at plan
  if (ours === undefined) return true;
  if (ours !== null && typeof ours === "object" && !Array.isArray(ours) && Array.isArray(live) && live.length === 1) return sameValue(ours, live[0]);
  if (Array.isArray(ours)) {
    if (!Array.isArray(live) || live.length !== ours.length) return false;
    return ours.every((o, i) => sameValue(o, live[i]));
  }
  if (ours !== null && typeof ours === "object") {
    if (!live || typeof live !== "object") return false;
    return Object.entries(ours).every(([k, o]) => sameValue(o, (live as Record<string, unknown>)[k]));
  }
  if (typeof ours === "string" && typeof live === "string" && /^\s*[[{]/.test(ours)) {
    try {
      return JSON.stringify(sortKeys(JSON.parse(ours))) === JSON.stringify(sortKeys(JSON.parse(live)));
    } catch {
      return ours === live;
    }
  }
  if (live === undefined || live === null) return ours === null || ours === false || ours === "";
  return String(ours) === String(live);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

/** Tags are a map the plan makes equal: a live tag we do not set is removed. */
function sameTags(ours: unknown, live: unknown): boolean {
  const o = (ours ?? {}) as Record<string, unknown>;
  const l = (live ?? {}) as Record<string, unknown>;
  if (Object.values(o).some((v) => typeof v === "string" && v.includes("${"))) return true;
  return JSON.stringify(sortKeys(o)) === JSON.stringify(sortKeys(l));
}

/** What the first plan changes on a paired resource, where both sides are known. */
export function compareAttributes(ours: OurResource, resolved: Attributes, live: LiveResource): { changes: AttributeChange[]; immutable: ImmutableChange[] } {
  const rule = ADOPT_RULES[ours.type];
  const changes: AttributeChange[] = [];
  const immutable: ImmutableChange[] = [];
  for (const [attribute, value] of Object.entries(resolved)) {
    if (IGNORED.has(attribute)) continue;
    const liveValue = live.attributes[attribute];
    const same = attribute === "tags" ? sameTags(value, liveValue) : sameValue(value, liveValue);
    if (same) continue;
    const fixed = rule?.immutable?.find((i) => i.attribute === attribute);
    if (fixed) {
      immutable.push({ attribute, live: liveValue, ours: value, setting: fixed.setting({ env: "", stack: ours.stack, path: ours.path }) });
    } else {
      changes.push({ attribute, live: liveValue, ours: value });
    }
  }
  return { changes, immutable };
}

function describeKey(keyPaths: readonly string[], attributes: Attributes): string {
  return keyPaths.map((p) => `${p} = ${String(valueAt(attributes, p))}`).join(", ");
}

/** Pairs the environment's resources with the live units; throws AdoptInputError on an ambiguity. */
export function matchResources(env: string, stacks: readonly OurStack[], units: readonly LiveUnit[]): Adoption {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const live = units.flatMap((u) => u.resources);
  const taken = new Set<LiveResource>();
  const paired: Paired = new Map();
  const how = new Map<string, string>();
  const ours = stacks.flatMap((s) => s.resources);
  const pending = new Set(ours.filter((r) => ADOPT_RULES[r.type] && !r.repeated));
  const ambiguous = new Map<OurResource, string>();

  const pair = (r: OurResource, l: LiveResource, by: string) => {
    paired.set(key(r.stack, r.address), l);
    how.set(key(r.stack, r.address), by);
    taken.add(l);
    pending.delete(r);
    ambiguous.delete(r);
  };

  for (let progress = true; progress; ) {
    progress = false;
    for (const r of [...pending]) {
      const resolved = resolveConfig(r, byName, paired);
      for (const identity of ADOPT_RULES[r.type]!.identity) {
        const wanted = identityOf(resolved, identity);
        if (wanted === undefined) continue;
        const candidates = live.filter((l) => l.type === r.type && !taken.has(l) && identityOf(l.attributes, identity) === wanted);
        if (candidates.length === 1) {
          pair(r, candidates[0]!, describeKey(identity, resolved));
          progress = true;
          break;
        }
        if (candidates.length > 1) {
          ambiguous.set(
            r,
            `${r.stack} ${r.address}: ${candidates.length} live resources match by ${describeKey(identity, resolved)}: ${candidates
              .map((c) => `${c.address} in ${c.file}`)
              .join("; ")}. Remove the extra one from the pulled state, or keep one unit per environment in --from.`,
          );
          break;
        }
      }
    }
    if (progress) continue;
    // Only one of its type on both sides: the environment's VPC, database, cluster, zone.
    for (const r of [...pending]) {
      if (!ADOPT_RULES[r.type]!.singleton || ambiguous.has(r)) continue;
      const ofType = ours.filter((o) => o.type === r.type);
      const candidates = live.filter((l) => l.type === r.type && !taken.has(l));
      if (ofType.length === 1 && candidates.length === 1) {
        pair(r, candidates[0]!, `only ${r.type} on both sides`);
        progress = true;
      }
    }
  }
  if (ambiguous.size > 0) throw new AdoptInputError([...ambiguous.values()]);

  const matched: Match[] = [];
  const created: { ours: OurResource; why: string }[] = [];
  for (const r of ours) {
    const l = paired.get(key(r.stack, r.address));
    if (!l) {
      created.push({
        ours: r,
        why: !ADOPT_RULES[r.type]
          ? `no adopt rule for ${r.type}`
          : r.repeated
            ? "count/for_each: its instances are known only at plan"
            : "no live resource matches",
      });
      continue;
    }
    const resolved = resolveConfig(r, byName, paired);
    const rule = ADOPT_RULES[r.type]!;
    matched.push({
      ours: r,
      live: l,
      by: how.get(key(r.stack, r.address))!,
      importId: rule.importId?.(l.attributes),
      ...compareAttributes(r, resolved, l),
    });
  }
  return { env, matched, unmatched: live.filter((l) => !taken.has(l)), created };
}
