export * from "./network";
export * from "./network-props";
export * from "./network-ref";
export * from "./subnet-layout";
export * from "./vpc-endpoints";
export * from "./vpc-flow-logs";
export { resolveNetworkLayout, type NetworkLayout } from "./network-layout";
