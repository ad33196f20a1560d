// The Lambda handler (src/handler.ts) is deliberately not re-exported: it imports the AWS
// SDK, which synth does not need. esbuild bundles it from SCHEDULER_HANDLER_ENTRY.
export * from "./schedule-expression";
export * from "./service-scheduler";
export * from "./targets";
