import { ARN_SHAPES, Validator, checkArn } from "@platform/core";
import { Construct } from "constructs";
import { GithubActionsRole } from "./github-actions-role";
import { subjectProblems, type GithubRepository, type GithubSubject } from "./subjects";

/** What `docker push` (and a retag with `aws ecr put-image`) needs on a repository, and nothing else. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
  "ecr:BatchGetImage",
  "ecr:DescribeImages",
] as const;

export interface ImagePushRoleProps {
  /** ARN of the account's GitHub OIDC provider. */
  readonly providerArn: string;
  /** The application repository whose workflows build and push the images. */
  readonly repository: GithubRepository;
  /**
   * Which of its workflow runs may push, e.g. `[{ tag: "v*" }, { branch: "main" }]`: its
   * release tags and its main branch's CI builds.
   */
  readonly subjects: readonly GithubSubject[];
  /** Role name, at most 64 characters, e.g. `acme-app-github-ecr-push`. */
  readonly roleName: string;
  /** ARNs of the ECR repositories it may push to, keyed by a readable name (`staging/web`). */
  readonly repositoryArns: Readonly<Record<string, string>>;
}

/**
 * The role an application repository's CI assumes (GitHub OIDC, audience `sts.amazonaws.com`)
 * to push images: `ecr:GetAuthorizationToken` (which takes no resource) and the push actions on
 * the named repositories only. It can neither pull from nor push to any other repository, and
 * changes nothing else: deploying is the release pull request's job.
 */
export class ImagePushRole extends Construct {
  readonly role: GithubActionsRole;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ImagePushRoleProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const arns = Object.entries(props.repositoryArns);
    v.check(arns.length > 0, "repositoryArns", props.repositoryArns, "must name at least one ECR repository to push to.");
    for (const [key, arn] of arns) {
      checkArn(v, `repositoryArns.${key}`, arn, ARN_SHAPES.ecrRepository, "without wildcards");
      v.check(!arn.includes("*"), `repositoryArns.${key}`, arn, "must name one repository, without wildcards.");
    }
    for (const [field, value, fix] of subjectProblems(props.repository, props.subjects)) v.check(false, field, value, fix);
    for (const [i, s] of props.subjects.entries()) {
      v.check(!("pullRequest" in s), `subjects[${i}]`, s, "must not be pull requests: anyone who opens one would push images. Trust release tags or a protected branch.");
    }
    v.throwIfAny();

    this.role = new GithubActionsRole(this, "role", {
      providerArn: props.providerArn,
      repository: props.repository,
      subjects: props.subjects,
      roleName: props.roleName,
      description: `Image push from ${props.repository.owner}/${props.repository.name} to ${arns.map(([k]) => k).join(", ")}`,
      statements: [
        // GetAuthorizationToken is account-wide by design: IAM accepts no narrower resource.
        { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        { sid: "PushToOwnRepositories", actions: [...ECR_PUSH_ACTIONS], resources: arns.map(([, arn]) => arn) },
      ],
    });
    this.arn = this.role.arn;
  }
}
