export * from "./config";
export * from "./environments";
export * from "./main";
