export * from "./aws";
export * from "./define";
export * from "./json-environment";
