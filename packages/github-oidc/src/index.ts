export * from "./github-oidc-provider";
export * from "./github-actions-role";
export * from "./subjects";
export * from "./terraform-ci-roles";
export * from "./apply-role-boundary";
export * from "./image-push-role";
