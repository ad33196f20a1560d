import type { ResourceRef } from "./model";
import type { StackJson } from "./types";

/** One IAM statement, normalised from `aws_iam_policy_document` data or a JSON policy string. */
export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly conditions: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

const DOCUMENT_REF = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/;

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Statements of a policy attribute: a reference to a policy document in `stack`, or inline JSON. */
export function statements(stack: StackJson, policy: unknown): Statement[] {
  if (typeof policy !== "string") return [];
  const ref = DOCUMENT_REF.exec(policy);
  if (ref) return documentStatements(stack.data?.aws_iam_policy_document?.[ref[1]!]);
  try {
    return jsonStatements(JSON.parse(policy));
  } catch {
    return [];
  }
}

/** Statements of an `aws_iam_policy_document` data source. */
function documentStatements(doc: Record<string, unknown> | undefined): Statement[] {
  const raw = doc?.statement;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).map((s: Record<string, unknown>) => ({
    sid: s.sid as string | undefined,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.actions),
    notActions: list(s.not_actions),
    resources: list(s.resources),
    notResources: list(s.not_resources),
    principals: (Array.isArray(s.principals) ? s.principals : []).map((p: Record<string, unknown>) => ({
      type: String(p.type),
      identifiers: list(p.identifiers),
    })),
    conditions: (Array.isArray(s.condition) ? s.condition : []).map((c: Record<string, unknown>) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: list(c.values),
    })),
  }));
}

/** Statements of a JSON policy (`{"Statement": [...]}`). */
function jsonStatements(policy: { Statement?: unknown }): Statement[] {
  const raw = policy?.Statement;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).map((s: Record<string, unknown>) => {
    const principal = s.Principal;
    const principals =
      principal === "*"
        ? [{ type: "*", identifiers: ["*"] }]
        : Object.entries((principal as Record<string, unknown>) ?? {}).map(([type, ids]) => ({ type, identifiers: list(ids) }));
    const conditions = Object.entries((s.Condition as Record<string, Record<string, unknown>>) ?? {}).flatMap(([test, vars]) =>
      Object.entries(vars).map(([variable, values]) => ({ test, variable, values: list(values) })),
    );
    return {
      sid: s.Sid as string | undefined,
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: list(s.Action),
      notActions: list(s.NotAction),
      resources: list(s.Resource),
      notResources: list(s.NotResource),
      principals,
      conditions,
    } satisfies Statement;
  });
}

/** Whether an IAM action pattern (with `*`) covers `action`, e.g. `ssm:Get*` covers `ssm:GetParameter`. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return re.test(action);
}

/** Whether a statement names (or covers) `action`. */
export function coversAction(s: Statement, action: string): boolean {
  return s.actions.some((a) => actionMatches(a, action));
}

/** Condition keys a statement tests, lower-cased. */
export function conditionKeys(s: Statement): string[] {
  return s.conditions.map((c) => c.variable.toLowerCase());
}

/** A role's trust statements. */
export function trustStatements(stack: StackJson, role: ResourceRef): Statement[] {
  return statements(stack, role.values.assume_role_policy);
}
