export * from "./aurora-postgres-serverless";
export * from "./common";
export * from "./database-ref";
export * from "./database-url-publisher";
export * from "./postgres-instance";
export * from "./redeploy-on-parameter-change";
export { MIN_POSTGRES_MAJOR } from "./validation";
