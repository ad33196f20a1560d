export * from "./config";
export * from "./main";
