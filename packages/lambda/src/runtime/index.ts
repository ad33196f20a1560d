// What handlers import: no cdktf, no provider classes and no esbuild, so bundles stay small.
export * from "./handler-kit";
export * from "../events/index";
