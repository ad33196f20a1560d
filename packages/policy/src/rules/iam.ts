import { conditionKeys, coversAction, statements, trustStatements, type Statement } from "../iam";
import { references, resources, stackOf, violation, type ResourceRef } from "../model";
import type { PolicyInput, Rule, Violation } from "../types";

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/** Every policy document of the environment: data sources and inline JSON policies. */
function documents(input: PolicyInput): { ref: ResourceRef; statements: Statement[] }[] {
  const data = input.stacks.flatMap((s) =>
    Object.keys(s.json.data?.aws_iam_policy_document ?? {}).map((name) => ({
      ref: { stack: s.name, type: "data.aws_iam_policy_document", name, address: `data.aws_iam_policy_document.${name}`, values: {} },
      statements: statements(s.json, `\${data.aws_iam_policy_document.${name}.json}`),
    })),
  );
  const inline = ["aws_iam_role_policy", "aws_iam_policy", "aws_s3_bucket_policy", "aws_sns_topic_policy", "aws_kms_key"].flatMap((type) =>
    resources(input, type)
      .filter((r) => typeof r.values.policy === "string" && !String(r.values.policy).startsWith("${"))
      .map((ref) => ({ ref, statements: statements(stackOf(input, ref), ref.values.policy) })),
  );
  return [...data, ...inline];
}

/** Statements of the inline policies attached to `role`. */
function roleStatements(input: PolicyInput, role: ResourceRef): Statement[] {
  return resources(input, "aws_iam_role_policy")
    .filter((p) => p.stack === role.stack && references(p.values.role, role))
    .flatMap((p) => statements(stackOf(input, p), p.values.policy));
}

/** Roles GitHub Actions assumes through OIDC, with the `sub` values their trust allows. */
function githubRoles(input: PolicyInput): { role: ResourceRef; subjects: string[] }[] {
  return resources(input, "aws_iam_role").flatMap((role) => {
    const trust = trustStatements(stackOf(input, role), role).filter((s) =>
      s.principals.some((p) => p.type === "Federated" && p.identifiers.some((id) => id.includes(GITHUB_OIDC) || id.includes("aws_iam_openid_connect_provider"))),
    );
    if (trust.length === 0) return [];
    const subjects = trust.flatMap((s) => s.conditions.filter((c) => c.variable === `${GITHUB_OIDC}:sub`).flatMap((c) => c.values));
    return [{ role, subjects }];
  });
}

/** One repository's subject; a `*` only at the end of a branch or tag name with a literal prefix. */
const SCOPED_SUBJECT = /^repo:[^*/:]+\/[^*/:]+:(?:[^*]+|ref:refs\/(?:heads|tags)\/[^*:]+\*)$/;

const SECRET_READS = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue", "kms:Decrypt"];
const LOCK_WRITES = ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"];

function sharesAccount(input: PolicyInput): string[] {
  return Object.entries(input.environment.otherAccounts)
    .filter(([, account]) => account === input.environment.accountId)
    .map(([name]) => name);
}

export const iamRules: Rule[] = [
  {
    id: "PLAT-IAM-001",
    severity: "critical",
    category: "iam",
    title: "No policy allows every action on every resource",
    rationale: "\"*\" on \"*\" is administrator access; whoever holds it can undo every other control.",
    anchors: { checkov: ["CKV_AWS_1", "CKV_AWS_49"], trivy: ["AVD-AWS-0057"], fsbp: ["IAM.1"] },
    check: (input) => {
      // A permissions boundary allows everything it does not deny: it caps a role, it grants nothing.
      const boundaries = resources(input, "aws_iam_policy").filter((p) => resources(input, "aws_iam_role").some((r) => references(r.values.permissions_boundary, p)));
      const isBoundary = (d: { ref: ResourceRef }) =>
        boundaries.some((b) => b.address === d.ref.address || (b.stack === d.ref.stack && references(b.values.policy, { type: "data.aws_iam_policy_document", name: d.ref.name })));
      return documents(input)
        .filter((d) => !isBoundary(d))
        .filter((d) => d.statements.some((s) => s.effect === "Allow" && s.actions.includes("*") && s.resources.includes("*")))
        .map((d) => violation(d.ref, "a statement allows \"*\" on \"*\"."));
    },
  },
  {
    id: "PLAT-IAM-002",
    severity: "critical",
    category: "iam",
    title: "No resource policy allows an unconditioned wildcard principal",
    rationale: "Principal \"*\" without a condition grants the action to every AWS account and anonymous caller.",
    anchors: { checkov: ["CKV_AWS_283", "CKV_AWS_70", "CKV_AWS_33"] },
    check: (input) =>
      documents(input)
        .filter((d) =>
          d.statements.some(
            (s) => s.effect === "Allow" && s.conditions.length === 0 && s.principals.some((p) => (p.type === "*" || p.type === "AWS") && p.identifiers.includes("*")),
          ),
        )
        .map((d) => violation(d.ref, "an Allow statement names principal \"*\" without a condition.")),
  },
  {
    id: "PLAT-IAM-003",
    severity: "medium",
    category: "iam",
    title: "Service trust policies carry aws:SourceAccount",
    rationale:
      "Without aws:SourceAccount (or aws:SourceArn), a service acting for another account can be tricked into using the role (confused deputy). EC2 instance profiles are exempt: EC2 sends neither key when it assumes the role, so the condition would lock the instance out (iam:PassRole guards that trust).",
    anchors: {},
    check: (input) =>
      resources(input, "aws_iam_role").flatMap((role) =>
        trustStatements(stackOf(input, role), role)
          .filter((s) => s.effect === "Allow" && s.principals.some((p) => p.type === "Service"))
          .filter((s) => !s.principals.every((p) => p.type === "Service" && p.identifiers.every((id) => id === "ec2.amazonaws.com")))
          .filter((s) => !conditionKeys(s).includes("aws:sourceaccount"))
          .map((s) => violation(role, `the trust for ${s.principals.flatMap((p) => p.identifiers).join(", ")} has no aws:SourceAccount condition.`)),
      ),
  },
  {
    id: "PLAT-IAM-004",
    severity: "critical",
    category: "iam",
    title: "GitHub OIDC trusts are scoped to one repository",
    rationale:
      "A trust without a repository-specific `sub` lets any GitHub repository's workflow assume the role. The one wildcard allowed is a trailing one in a branch or tag name after a literal prefix (`ref:refs/tags/v*`, an application's release tags): it stays within the named repository.",
    anchors: { checkov: ["CKV_AWS_358"] },
    check: (input) =>
      githubRoles(input)
        .filter(({ subjects }) => subjects.length === 0 || subjects.some((sub) => !SCOPED_SUBJECT.test(sub)))
        .map(({ role, subjects }) => violation(role, `token.actions.githubusercontent.com:sub is ${JSON.stringify(subjects)}; name one repository (repo:owner/name:...) with no wildcard (except a trailing one after a literal branch or tag prefix, e.g. ref:refs/tags/v*).`)),
  },
  {
    id: "PLAT-IAM-005",
    severity: "critical",
    category: "iam",
    title: "Pull-request (plan) roles cannot read secret values",
    rationale: "Anyone who can push a branch runs as the plan role; ReadOnlyAccess includes ssm:GetParameter and secretsmanager:GetSecretValue, i.e. the database password.",
    anchors: {},
    check: (input) =>
      githubRoles(input)
        .filter(({ subjects }) => subjects.some((sub) => sub.endsWith(":pull_request")))
        .flatMap(({ role }): Violation[] => {
          const own = roleStatements(input, role);
          // Managed policies (ReadOnlyAccess) are not in the template: assume they allow the reads.
          const managed = resources(input, "aws_iam_role_policy_attachment").some((a) => a.stack === role.stack && references(a.values.role, role));
          const allowed = (action: string) => managed || own.some((s) => s.effect === "Allow" && coversAction(s, action));
          const denied = (action: string) => own.some((s) => s.effect === "Deny" && coversAction(s, action));
          const open = SECRET_READS.filter((action) => allowed(action) && !denied(action));
          return open.length > 0 ? [violation(role, `the plan role may call ${open.join(", ")}; deny them (or drop ReadOnlyAccess for a narrower read policy).`)] : [];
        }),
  },
  {
    id: "PLAT-IAM-006",
    severity: "high",
    category: "iam",
    title: "CI roles may lock only their own environment's state (dynamodb:LeadingKeys, S3 lock files under its prefix)",
    rationale: "A role that can write any lock item can wedge or break another environment's deploys.",
    anchors: {},
    check: (input) =>
      githubRoles(input).flatMap(({ role }) => {
        const allows = roleStatements(input, role).filter((s) => s.effect === "Allow");
        const dynamo = allows
          .filter((s) => LOCK_WRITES.some((a) => coversAction(s, a)))
          .filter((s) => !conditionKeys(s).includes("dynamodb:leadingkeys"))
          .map((s) => violation(role, `statement ${s.sid ?? "(no sid)"} writes lock items without a dynamodb:LeadingKeys condition.`));
        // S3 lock files (use_lockfile) live next to the state: writes must stay under the environment's prefix.
        const s3 = allows
          .filter((s) => ["s3:PutObject", "s3:DeleteObject"].some((a) => coversAction(s, a)))
          .filter((s) => s.resources.some((r) => r === "*" || /:::[^/]+\/\*$/.test(r)))
          .map((s) => violation(role, `statement ${s.sid ?? "(no sid)"} writes objects anywhere in the bucket; keep it under the environment's state prefix.`));
        return [...dynamo, ...s3];
      }),
  },
  {
    id: "PLAT-IAM-007",
    severity: "critical",
    category: "iam",
    title: "A non-production apply role in a shared account runs under a permissions boundary",
    rationale: "In an account shared with production, an unbounded staging apply role is an administrator over production.",
    anchors: {},
    check: (input) => {
      if (input.environment.production || sharesAccount(input).length === 0) return [];
      return githubRoles(input)
        .filter(({ subjects }) => subjects.some((sub) => sub.includes(":environment:")))
        .filter(({ role }) => typeof role.values.permissions_boundary !== "string")
        .map(({ role }) => violation(role, `the apply role shares the account with ${sharesAccount(input).join(", ")} and has no permissions_boundary.`));
    },
  },
];
