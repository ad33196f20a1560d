export * from "./config";
export * from "./environments";
export * from "./main";
export * from "./config-schema";
