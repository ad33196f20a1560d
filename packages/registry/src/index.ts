export * from "./container-repositories";
export * from "./lifecycle-policy";
export * from "./image-tags";
