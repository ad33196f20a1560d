export * from "./architecture";
export * from "./tunnel";
export * from "./bastion";
