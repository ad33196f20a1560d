export * from "./estimate";
export * from "./prices";
export * from "./schedule";
export * from "./stacks";
export * from "./usage";
export * from "./render";
export * from "./delta";
export * from "./offer-file";
