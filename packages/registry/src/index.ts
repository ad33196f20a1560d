export * from "./container-repositories";
export * from "./lifecycle-policy";
