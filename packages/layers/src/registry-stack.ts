import { EnvironmentStack, type Environment } from "@platform/core";
import { ContainerRepositories, type RegistryRef } from "@platform/registry";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { RegistryConfig } from "./environment-config";

/** `<env>-registry`: one ECR repository per service. */
export class RegistryStack extends EnvironmentStack {
  readonly repositories: ContainerRepositories;
  readonly ref: RegistryRef;

  /** `teardownAllowed`: repositories are deleted with their images (`teardown: "allowed"`). */
  constructor(scope: Construct, environment: Environment, config: RegistryConfig, options: { readonly teardownAllowed?: boolean } = {}) {
    super(scope, { environment, layer: "registry" });
    this.repositories = new ContainerRepositories(this, "repositories", {
      namePrefix: `${environment.project}-${environment.name}`,
      repositories: Object.fromEntries(config.repositories.map((name) => [name, config.repositoryNames?.[name] ? { name: config.repositoryNames[name] } : {}])),
      keepLastImages: config.keepLastImages,
      imageTagMutability: config.imageTagMutability,
      forceDelete: config.forceDelete ?? options.teardownAllowed ?? false,
    });
    this.ref = this.repositories.ref;
    new TerraformOutput(this, "repository_urls", {
      value: this.ref.repositoryUrls,
      description: "Push images here: docker push <url>:<tag>",
    });
  }
}
