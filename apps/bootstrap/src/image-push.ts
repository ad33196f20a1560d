import { NAME_LIMITS, Validator, arn, awsContextOf, boundedName, type EnvironmentConfig } from "@platform/core";
import { ImagePushRole } from "@platform/github-oidc";
import type { RegistryConfig } from "@platform/layers";
import { defaultRepositoryName } from "@platform/registry";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ApplicationRepository } from "./config";

/**
 * One image push role per application repository in an account's bootstrap stack, scoped to the
 * ECR repositories of that account's environments the config names. Repository names are the
 * registry layer's (`defaultRepositoryName`, or the adopted `registry.repositoryNames`), so the
 * ARNs are known here without reading the registry stacks, which deploy after bootstrap. The
 * app (apps/main.ts) passes every environment's registry config, so a repository the environment
 * does not have is a config error; without it (bootstrap alone) the default names are used.
 */
export function addImagePushRoles(
  stack: Construct,
  providerArn: string,
  group: readonly EnvironmentConfig[],
  applications: Readonly<Record<string, ApplicationRepository>>,
  registries: Readonly<Record<string, RegistryConfig>>,
): Record<string, ImagePushRole> {
  const v = new Validator("bootstrap.github.applicationRepositories");
  const roles: Record<string, ImagePushRole> = {};
  const plans: Array<{ key: string; app: ApplicationRepository; arns: Record<string, string> }> = [];
  for (const [key, app] of Object.entries(applications)) {
    const arns: Record<string, string> = {};
    for (const environment of group) {
      const wanted = app.ecrRepositories[environment.name] ?? [];
      const registry = registries[environment.name];
      for (const repository of wanted) {
        if (registry && !v.check(registry.repositories.includes(repository), `${key}.ecrRepositories.${environment.name}`, repository, `is not an image repository of ${environment.name} (${registry.repositories.join(", ")}); add it to registry.repositories there or remove it here.`)) continue;
        const name = registry?.repositoryNames?.[repository] ?? defaultRepositoryName(`${environment.project}-${environment.name}`, repository);
        arns[`${environment.name}/${repository}`] = arn(awsContextOf(environment), { service: "ecr", resource: `repository/${name}` });
      }
    }
    if (Object.keys(arns).length > 0) plans.push({ key, app, arns });
  }
  v.throwIfAny();

  const project = group[0]!.project;
  for (const { key, app, arns } of plans) {
    roles[key] = new ImagePushRole(stack, `app-repository-${key}`, {
      providerArn,
      repository: { owner: app.owner, name: app.repository },
      subjects: app.pushFrom,
      roleName: boundedName([project, key, "github-ecr-push"], NAME_LIMITS.iamRoleName),
      repositoryArns: arns,
    });
  }
  if (plans.length > 0) {
    new TerraformOutput(stack, "application_push_roles", {
      value: Object.fromEntries(Object.entries(roles).map(([key, role]) => [key, role.arn])),
      description: "Per application repository: the role its CI assumes to push images (set it as AWS_ECR_PUSH_ROLE_ARN there)",
    });
  }
  return roles;
}
