export * from "./backup-vault-key";
export * from "./allowlist-variable";
export * from "./egress";
export * from "./secrets-key";
export * from "./security-groups";
export * from "./task-execution-role";
export * from "./task-role";
export { ANYWHERE_CIDRS } from "./validation";
