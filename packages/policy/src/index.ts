export * from "./types";
export * from "./evaluate";
export * from "./gate";
export * from "./report";
export { RULES } from "./rules";
