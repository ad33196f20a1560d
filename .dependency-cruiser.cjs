/**
 * Package boundaries, checked by `pnpm lint:deps` (first step of `pnpm test`). knip (knip.json)
 * checks the other half: undeclared and unused dependencies, unused exports.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle between modules makes load order matter and blocks splitting packages.",
      from: {},
      to: { circular: true },
    },
    {
      name: "apps-not-to-other-apps",
      severity: "error",
      comment:
        "An app (apps/<name>/) never imports another app's sources or the root entry points; what two apps share " +
        "goes into a declared workspace package (the account and placements: @platform/accounts). apps/test-support " +
        "holds test helpers shared by the apps' tests, not an app.",
      from: { path: "^apps/([^/]+)/", pathNot: "^apps/test-support/" },
      to: { path: "^apps/", pathNot: "^apps/($1|test-support)/" },
    },
    {
      name: "packages-not-to-apps-scripts-tests",
      severity: "error",
      comment: "Packages are libraries: they never reach into apps/, scripts/ or test/.",
      from: { path: "^packages/" },
      to: { path: "^(apps|scripts|test)/" },
    },
    {
      name: "workspace-packages-by-name",
      severity: "error",
      comment:
        "Code reaches another workspace package only through its declared name (@platform/<name>), never by a " +
        "relative path into packages/<name>/, so package.json says what it depends on.",
      from: { path: "^(packages/([^/]+)/|apps/|scripts/|test/)" },
      // pnpm workspaces resolve @platform/<name> to packages/<name>/src as "undetermined"; a relative path is "local".
      to: { path: "^packages/", pathNot: "^packages/$2/", dependencyTypes: ["local"] },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "not-to-dev-dep",
      severity: "error",
      comment: "Sources (src/) use only runtime dependencies; devDependencies are for tests and tools.",
      from: { path: "^packages/[^/]+/src/", pathNot: "^packages/core/src/testing\\.ts$" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-non-package-json",
      severity: "error",
      comment: "An npm package imported without being declared in the nearest package.json.",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|cdktf\\.out|__snapshots__)/" },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
