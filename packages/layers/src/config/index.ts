export { assertValidEnvironments, crossEnvironmentIssues, environmentPlanIssues, schemaIssues } from "./validate";
export { environmentPlanSchema, type EnvironmentPlanInput } from "./schema";
export { ECS_MAX_TASKS_PER_SERVICE, POSTGRES_MAJORS } from "./aws-tables";
export { ALLOWLIST_MIN_PREFIX } from "./network-ranges";
export { credentialInValue, isSecretName } from "./secrets";
