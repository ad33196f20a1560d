export * from "./domain";
export * from "./public-zone";
export * from "./certificate";
export * from "./certificate-validation";
export * from "./alias-records";
export * from "./web-acl";
export * from "./edge-ref";
