export { assertValidEnvironments, crossEnvironmentIssues, environmentConfigIssues, schemaIssues } from "./validate";
export { environmentConfigSchema, type EnvironmentConfigInput } from "./schema";
export { ECS_MAX_TASKS_PER_SERVICE, POSTGRES_MAJORS } from "./aws-tables";
export { ALLOWLIST_MIN_PREFIX } from "./network-ranges";
export { credentialInValue, isSecretName } from "./secrets";
