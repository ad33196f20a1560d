import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ARN_SHAPES, CI_IAM_PATH, CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, checkArn, isKnown } from "@platform/core";
import { Construct } from "constructs";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "./github-oidc-provider";
import { subjectClaim, subjectProblems, type GithubRepository, type GithubSubject } from "./subjects";

/** Path of every role made for GitHub Actions, so a policy can protect them all at once. */
export const GITHUB_ROLE_PATH = CI_IAM_PATH;

export interface GithubActionsRoleProps {
  /** ARN of the account's GitHub OIDC provider (GithubOidcProvider.arn, or an existing one). */
  readonly providerArn: string;
  /** The only repository whose workflows may assume the role. */
  readonly repository: GithubRepository;
  /** Which of its workflow runs may: pull requests, a branch, a GitHub environment. */
  readonly subjects: readonly GithubSubject[];
  /** Role name, at most 64 characters, e.g. `myapp-staging-github-plan`. */
  readonly roleName: string;
  /**
   * IAM path of the role.
   * @default "/github-actions/" (GITHUB_ROLE_PATH)
   */
  readonly path?: string;
  /** What the role is for, shown in the console. @default none */
  readonly description?: string;
  /**
   * Managed policies to attach, keyed by a stable name that becomes the construct ID
   * (`{ "read-only": "arn:aws:iam::aws:policy/ReadOnlyAccess" }`).
   * @default none
   */
  readonly managedPolicyArns?: Readonly<Record<string, string>>;
  /**
   * Inline permissions, as policy document statements (an `effect: "Deny"` statement
   * overrides any managed policy).
   * @default none
   */
  readonly statements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Longest session a workflow can ask for (`role-duration-seconds`), 3600 to 43200.
   * @default 3600
   */
  readonly maxSessionSeconds?: number;
  /**
   * ARN of a managed policy that caps the role's permissions (IAM permissions boundary).
   * @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * An IAM role that GitHub Actions assumes with its OIDC token (no stored keys). The trust
 * policy requires the `sts.amazonaws.com` audience and a `sub` of exactly this repository and
 * the given subjects (StringEquals, or StringLike only when a subject has a wildcard).
 */
export class GithubActionsRole extends Construct {
  readonly role: IamRole;
  /** ARN of the role, for `role-to-assume`. */
  readonly arn: string;
  readonly trustPolicy: DataAwsIamPolicyDocument;
  /** The `sub` values the role trusts. */
  readonly subjectClaims: readonly string[];

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    const maxSession = props.maxSessionSeconds ?? 3600;
    const path = props.path ?? GITHUB_ROLE_PATH;
    const v = new Validator(this.node.path);
    for (const [field, value, fix] of subjectProblems(props.repository, props.subjects)) v.check(false, field, value, fix);
    if (isKnown(props.roleName)) {
      v.check(
        /^[A-Za-z0-9+=,.@_-]{1,64}$/.test(props.roleName) && props.roleName.length <= NAME_LIMITS.iamRoleName,
        "roleName",
        props.roleName,
        "must be 1-64 characters of letters, digits and +=,.@_- (an IAM role name).",
      );
    }
    v.check(/^\/(?:[\x21-\x7e]+\/)?$/.test(path) && path.length <= 512, "path", path, "must start and end with '/', e.g. \"/github-actions/\".");
    v.check(Number.isInteger(maxSession) && maxSession >= 3600 && maxSession <= 43200, "maxSessionSeconds", maxSession, "must be a whole number of seconds from 3600 to 43200 (IAM's range).");
    for (const key of Object.keys(props.managedPolicyArns ?? {})) {
      v.check(CONSTRUCT_KEY_PATTERN.test(key), `managedPolicyArns.${key}`, key, "key must be lower-case letters, digits and hyphens (it becomes the construct ID).");
    }
    for (const [key, arn] of Object.entries(props.managedPolicyArns ?? {})) {
      checkArn(v, `managedPolicyArns.${key}`, arn, ARN_SHAPES.iamPolicy);
    }
    v.throwIfAny();

    this.subjectClaims = props.subjects.map((s) => subjectClaim(props.repository, s));
    const wildcard = this.subjectClaims.some((c) => c.includes("*"));
    this.trustPolicy = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "GithubActionsOidc",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.providerArn] }],
          condition: [
            { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: [STS_AUDIENCE] },
            { test: wildcard ? "StringLike" : "StringEquals", variable: `${GITHUB_OIDC_HOST}:sub`, values: [...this.subjectClaims] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      path,
      description: props.description,
      assumeRolePolicy: this.trustPolicy.json,
      maxSessionDuration: maxSession,
      permissionsBoundary: props.permissionsBoundaryArn,
      tags: { Name: props.roleName },
    });
    this.arn = this.role.arn;

    for (const [key, arn] of Object.entries(props.managedPolicyArns ?? {})) {
      new IamRolePolicyAttachment(this, `managed-${key}`, { role: this.role.name, policyArn: arn });
    }
    if ((props.statements ?? []).length > 0) {
      const permissions = new DataAwsIamPolicyDocument(this, "permissions", { statement: [...props.statements!] });
      new IamRolePolicy(this, "policy", { name: "permissions", role: this.role.id, policy: permissions.json });
    }
  }
}
