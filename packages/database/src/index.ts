export * from "./aurora-postgres-serverless";
export * from "./common";
export * from "./database-backup";
export * from "./database-ref";
export * from "./database-url-publisher";
export * from "./postgres-instance";
export * from "./redeploy-on-parameter-change";
export * from "./restore";
export { MIN_POSTGRES_MAJOR } from "./validation";
