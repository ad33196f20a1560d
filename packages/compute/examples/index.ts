export * from "./single-container";
export * from "./two-backends";
export * from "./web-and-api";
