/**
 * A Terraform state (format 4) that looks as if a create plan had been applied: every managed
 * resource with its planned values, the values known only after apply filled with plausible
 * mocks. Planning the same configuration against it with `-refresh=false` shows (close to) no
 * changes; changing a force-new attribute then shows a real replace, with no AWS account.
 */
import { attributeType, fillUnknown, mockScalar, typeOfValue, type ProviderSchema } from "../../scripts/shared/mock-outputs";

interface PlannedResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  index?: string | number;
  schema_version?: number;
  values?: Record<string, unknown>;
  sensitive_values?: unknown;
}

interface PlannedModule {
  resources?: PlannedResource[];
  child_modules?: PlannedModule[];
}

interface CreatePlan {
  planned_values?: { root_module?: PlannedModule };
  resource_changes?: Array<{ address: string; change: { after_unknown?: unknown } }>;
  output_changes?: Record<string, { after?: unknown; after_unknown?: unknown; after_sensitive?: unknown }>;
  configuration?: {
    root_module?: {
      resources?: Array<{
        address: string;
        provider_config_key?: string;
        expressions?: Record<string, { references?: string[] }>;
      }>;
    };
  };
}

interface SchemaWithBlocks {
  readonly resources: Record<string, { block: { block_types?: Record<string, { nesting_mode: string }> } }>;
}

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';

type StatePathStep = { type: "get_attr"; value: string } | { type: "index"; value: { value: number; type: "number" } };

/**
 * The state's `sensitive_attributes` from a plan's `sensitive_values` mask. Without them a
 * plan sees the schema's sensitive attributes change their marks, and shows an update.
 */
function sensitivePaths(mask: unknown, path: StatePathStep[]): StatePathStep[][] {
  if (mask === true) return [path];
  if (Array.isArray(mask)) {
    return mask.flatMap((m, i) => sensitivePaths(m, [...path, { type: "index", value: { value: i, type: "number" } }]));
  }
  if (mask && typeof mask === "object") {
    return Object.entries(mask).flatMap(([k, m]) => sensitivePaths(m, [...path, { type: "get_attr", value: k }]));
  }
  return [];
}

function allResources(module: PlannedModule | undefined): PlannedResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(allResources)];
}

/** The state file text (`plan` is `terraform show -json` output); `region` shapes mock ARNs. */
export function stateFromCreatePlan(planJson: object, schema: ProviderSchema, region: string): string {
  const plan = planJson as CreatePlan;
  const unknownOf = new Map((plan.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown]));
  const providerOf = new Map(
    (plan.configuration?.root_module?.resources ?? []).map((r) => {
      const alias = r.provider_config_key?.split(".")[1];
      return [r.address, alias ? `${AWS}.${alias}` : AWS];
    }),
  );
  const expressionsOf = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.expressions ?? {}]));
  const filled = new Map<string, Record<string, unknown>>();
  // Unknown attributes set from another resource's attribute (`role = aws_iam_role.x.arn`) take
  // that attribute's filled value, so the next plan sees the same value in config and state.
  const pending: Array<{ values: Record<string, unknown>; key: string; ref: string }> = [];
  const grouped = new Map<string, { mode: string; type: string; name: string; provider: string; instances: unknown[] }>();
  for (const r of allResources(plan.planned_values?.root_module)) {
    if (r.mode !== "managed") continue;
    const base = r.address.replace(/\[[^\]]*\]$/, "");
    const unknown = (unknownOf.get(r.address) ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> = { ...(r.values ?? {}) };
    for (const [key, mask] of Object.entries(unknown)) {
      const nesting = (schema as unknown as SchemaWithBlocks).resources[r.type]?.block.block_types?.[key]?.nesting_mode;
      if (nesting !== undefined) {
        // A nested block known only after apply: none of it.
        if (mask === true) values[key] = nesting === "single" || nesting === "group" ? null : nesting === "map" ? {} : [];
        continue;
      }
      let n = 0;
      const make = () => mockScalar(r.type, key, `${r.name}${key}${n++ || ""}`, region);
      values[key] = fillUnknown(values[key], mask, attributeType(schema, r.type, [key]), make);
    }
    filled.set(base, values);
    for (const [key, mask] of Object.entries(unknown)) {
      const ref = expressionsOf.get(base)?.[key]?.references?.[0];
      if (mask === true && ref && ref.split(".").length === 3) pending.push({ values, key, ref });
    }
    const entry = grouped.get(base) ?? { mode: "managed", type: r.type, name: r.name, provider: providerOf.get(base) ?? AWS, instances: [] };
    entry.instances.push({
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version: r.schema_version ?? 0,
      attributes: values,
      sensitive_attributes: sensitivePaths(r.sensitive_values, []),
      dependencies: [],
    });
    grouped.set(base, entry);
  }
  for (let pass = 0; pass < 3; pass++) {
    for (const { values, key, ref } of pending) {
      const [type, name, attribute] = ref.split(".");
      const source = filled.get(`${type}.${name}`)?.[attribute!];
      // Only a single reference of the same shape: a list of references (`route_table_ids = [a.id, b.id]`)
      // keeps its filled list rather than becoming its first element.
      if (source !== undefined && source !== null && Array.isArray(source) === Array.isArray(values[key])) values[key] = source;
    }
  }
  return JSON.stringify(
    {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "00000000-0000-4000-8000-00000000c0de",
      // Outputs as applied, where the plan knows them (after a round or two, all of them).
      outputs: Object.fromEntries(
        Object.entries(plan.output_changes ?? {})
          .filter(([, o]) => o.after_unknown !== true && o.after !== undefined && o.after !== null)
          .map(([name, o]) => [name, { value: o.after, type: typeOfValue(o.after), ...(o.after_sensitive === true ? { sensitive: true } : {}) }]),
      ),
      resources: [...grouped.values()],
      check_results: null,
    },
    null,
    2,
  );
}
