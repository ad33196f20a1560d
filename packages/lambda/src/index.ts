// Synth side: constructs and bundling. Handlers import `@platform/lambda/runtime` instead.
export * from "./bundle";
export * from "./bundled-function";
export * from "./environment-limit";
export * from "./event-rule-trigger";
export * from "./events/index";
export * from "./function-ref";
export * from "./schedule-trigger";
export * from "./zip";
