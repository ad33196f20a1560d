export * from "./build-environment";
export * from "./network-stack";
export * from "./plan";
