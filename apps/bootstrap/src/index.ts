export * from "./config";

export * from "./main";
export * from "./config-schema";
