import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { NAME_LIMITS, Validator, boundedName, checkAccountId } from "@platform/core";
import { Construct } from "constructs";
import { checkRoleNameParts, ecsTasksTrustPolicy } from "./ecs-task-trust";

export interface TaskRoleProps {
  /** Prefix of the role name, e.g. `acme-staging`. */
  readonly namePrefix: string;
  /** Service key, e.g. `web`; the role is `<namePrefix>-<name>-task` (shortened within 64). */
  readonly name: string;
  /**
   * Allow ECS Exec (`aws ecs execute-command`, also the DB port-forward path): the SSM agent in
   * the task opens its control and data channels. These `ssmmessages` actions have no resource
   * type in IAM, so they can only be granted on `*`; who may *start* a session is governed by the
   * caller's `ecs:ExecuteCommand` permission on the task, not by this role.
   * @default false
   */
  readonly ecsExec?: boolean;
  /**
   * What the application itself may do (S3 objects, queues, ...), scoped to exact resources.
   * @default none
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Account ID for the `aws:SourceAccount` trust condition.
   * @default no condition (the account is not known offline)
   */
  readonly accountId?: string;
}

/** The role the application code in a task runs as. Without statements or ECS Exec it has no permissions. */
export class TaskRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  /** The permissions document; absent when the role has no permissions. */
  readonly policyDocument?: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: TaskRoleProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    checkRoleNameParts(v, props.namePrefix, props.name);
    if (props.accountId !== undefined) checkAccountId(v, "accountId", props.accountId);
    (props.statements ?? []).forEach((s, i) => {
      const resources = s.resources ?? [];
      v.check(
        s.notResources !== undefined || resources.length > 0,
        `statements[${i}].resources`,
        resources,
        "is empty; IAM rejects a statement without resources: name the exact ARNs.",
      );
    });
    v.throwIfAny();

    const statements: DataAwsIamPolicyDocumentStatement[] = [];
    if (props.ecsExec) {
      statements.push({
        sid: "EcsExecSsmChannels",
        actions: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        // No resource-level permissions exist for these actions.
        resources: ["*"],
      });
    }
    statements.push(...(props.statements ?? []));

    const trust = ecsTasksTrustPolicy(this, "trust", props.accountId);
    const name = boundedName([props.namePrefix, props.name, "task"], NAME_LIMITS.iamRoleName);
    this.role = new IamRole(this, "role", {
      name,
      description: `ECS task role of ${props.namePrefix} ${props.name}: what the application may call`,
      assumeRolePolicy: trust.json,
    });
    this.arn = this.role.arn;
    if (statements.length > 0) {
      this.policyDocument = new DataAwsIamPolicyDocument(this, "permissions", { statement: statements });
      new IamRolePolicy(this, "policy", { name: "task", role: this.role.id, policy: this.policyDocument.json });
    }
  }
}
