// Plain JavaScript on purpose: `pnpm synth` starts with `node`, not tsx, because loading the
// app's TypeScript through tsx cost more than the synth itself. Types: app-bundle.d.mts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fileStamp } from "./file-stamp.mjs";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CACHE_DIR = join(REPO, "node_modules", ".cache", "synth");
/** Bumped when the build options below change meaning. */
const FORMAT = 1;

/**
 * The app (apps/main.ts) as one CommonJS file, rebuilt only when one of its source files (or
 * the lockfile, or this file) changed. Workspace sources are bundled; every other package stays
 * external, required from where the importing package resolves it (pnpm gives each package its
 * own node_modules). `import.meta.url`/`dirname`/`filename` keep the value of the source file
 * they are written in, so handler entries and data files resolve as they do under tsx.
 *
 * @param {{ entry?: string, cacheDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ file: string, rebuilt: boolean }>}
 */
export async function appBundle(options = {}) {
  const entry = resolve(REPO, options.entry ?? "apps/main.ts");
  const cacheDir = options.cacheDir ?? CACHE_DIR;
  const name = createHash("sha256").update(entry).digest("hex").slice(0, 12);
  const stateFile = join(cacheDir, `${name}.inputs.json`);
  const key = buildKey();
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, "utf8"));
    if (state.key === key && existsSync(state.file)) {
      const stamp = statStamp(Object.keys(state.inputs));
      if (stamp !== undefined && stamp === state.stamp) return { file: state.file, rebuilt: false };
      if (unchanged(state.inputs)) {
        // Touched, not changed: remember the new metadata so the next run skips the contents.
        writeState(stateFile, { ...state, stamp });
        return { file: state.file, rebuilt: false };
      }
    }
  }

  const { build } = await import("esbuild");
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${name}.cjs`);
  const temp = `${file}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [entry],
    outfile: temp,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    metafile: true,
    logLevel: "error",
    plugins: [externalPackages(), sourceImportMeta()],
  });
  renameSync(temp, file);
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((p) => [p, hashFile(resolve(REPO, p))]));
  writeState(stateFile, { key, file, inputs, stamp: statStamp(Object.keys(inputs)) });
  options.log?.(`bundled ${relative(REPO, entry)} (${Object.keys(inputs).length} files) into ${relative(REPO, file)}`);
  return { file, rebuilt: true };
}

function buildKey() {
  const hash = createHash("sha256").update(String(FORMAT)).update(process.version);
  for (const f of ["pnpm-lock.yaml", "scripts/synth/app-bundle.mjs"]) {
    const p = join(REPO, f);
    if (existsSync(p)) hash.update(readFileSync(p));
  }
  return hash.digest("hex");
}

function hashFile(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * One fingerprint of the inputs' metadata ({@link fileStamp}): equal means unchanged inputs
 * without reading them; unequal only means "compare contents". Undefined when an input is gone.
 *
 * @param {string[]} paths relative to the repository
 */
function statStamp(paths) {
  const hash = createHash("sha256");
  for (const p of paths) {
    const stamp = fileStamp(resolve(REPO, p));
    if (!stamp) return undefined;
    hash.update(`${p}\0${stamp}\n`);
  }
  return hash.digest("hex");
}

/** Write then rename, so a parallel synth never reads half a state file. */
function writeState(stateFile, state) {
  const temp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state));
  renameSync(temp, stateFile);
}

/** @param {Record<string, string>} inputs */
function unchanged(inputs) {
  return Object.entries(inputs).every(([p, h]) => {
    const path = resolve(REPO, p);
    return existsSync(path) && hashFile(path) === h;
  });
}

/** Bare imports outside the workspace stay external, resolved from the importing file. */
function externalPackages() {
  return {
    name: "external-packages",
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@platform/") || args.kind === "entry-point") return undefined;
        if (args.path.startsWith("node:")) return { path: args.path, external: true };
        const from = args.importer ? dirname(args.importer) : REPO;
        try {
          return { path: createRequire(join(from, "noop.js")).resolve(args.path), external: true };
        } catch {
          return undefined; // a Node builtin without the node: prefix, or a real error esbuild reports
        }
      });
    },
  };
}

/** `import.meta.url` (and dirname/filename) of the source file, as tsx would give it. */
function sourceImportMeta() {
  return {
    name: "source-import-meta",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (args.path.includes(`${"/"}node_modules/`)) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta")) return { contents: text, loader: "ts" };
        const values = {
          url: JSON.stringify(pathToFileURL(args.path).href),
          dirname: JSON.stringify(dirname(args.path)),
          filename: JSON.stringify(args.path),
        };
        return { contents: text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, k) => values[k]), loader: "ts" };
      });
    },
  };
}

/** Loads the bundled app (building it if needed) and returns its exports. */
export async function loadApp(options = {}) {
  const { file } = await appBundle(options);
  return createRequire(import.meta.url)(file);
}
