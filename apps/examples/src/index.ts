export * from "./config";
export * from "./foundation";
export * from "./main";
export * from "./single-container-stack";
export * from "./two-backends-stack";
export * from "./seed-environments";
