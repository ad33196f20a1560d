export * from "./state-store";
