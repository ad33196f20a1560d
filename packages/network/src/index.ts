export * from "./network";
export * from "./network-props";
export * from "./network-ref";
export * from "./subnet-plan";
export * from "./vpc-endpoints";
export * from "./vpc-flow-logs";
export { planNetwork, type NetworkPlan } from "./network-plan";
