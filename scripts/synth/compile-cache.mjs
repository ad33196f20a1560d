// Plain JavaScript, like main.mjs (run by node without tsx). Types: compile-cache.d.mts.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { fileStamp } from "./file-stamp.mjs";

/**
 * V8 code cache for every CommonJS file the synth loads (the app bundle, cdktf, the AWS
 * provider's classes): compiling them was a third of a synth. Node 22 has this built in
 * (`module.enableCompileCache`); Node 20, which this repository supports, does not. Each file's
 * cache is keyed by its path and its metadata (inode, size, modification and change times), so
 * an edited file is compiled afresh; V8 rejects data from another V8 version or other flags, and
 * a rejected or missing entry is written again when the process exits (after the synth ran, so
 * the functions it compiled lazily are in the cache too). Only how code is compiled changes: each
 * module still runs once, with the same `require`, `module`, `exports` and paths.
 *
 * @param {string} cacheDir
 * @returns {{ stats: () => { hits: number, misses: number } }}
 */
export function enableCompileCache(cacheDir) {
  // V8 rejects code cached under other flags: one folder per Node version and flag set.
  const flags = createHash("sha256").update(`${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`).digest("hex");
  const dir = join(cacheDir, `${process.version}-${process.arch}-${flags.slice(0, 8)}`);
  const originalCompile = Module.prototype._compile;
  /** @type {{ file: string, stamp: string, script: vm.Script }[]} */
  const pending = [];
  let hits = 0;
  let misses = 0;

  Module.prototype._compile = function compile(content, filename, format) {
    const passOn = () => originalCompile.call(this, content, filename, format);
    // ES modules, hashbang scripts and other loaders' files take Node's own path.
    if ((format && format !== "commonjs") || content.startsWith("#!") || !/\.c?js$/.test(filename)) return passOn();
    const stamp = fileStamp(filename);
    if (!stamp) return passOn();
    const file = join(dir, `${createHash("sha256").update(filename).digest("hex").slice(0, 32)}.bin`);
    const cachedData = readEntry(file, stamp);
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      return passOn(); // e.g. ES module syntax in a .js file: Node detects and loads it
    }
    if (cachedData && !script.cachedDataRejected) hits++;
    else {
      misses++;
      pending.push({ file, stamp, script });
    }
    const run = script.runInThisContext({ displayErrors: true });
    return run.call(this.exports, this.exports, makeRequire(this), this, filename, dirname(filename));
  };

  process.once("exit", () => {
    if (pending.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true });
      for (const { file, stamp, script } of pending) writeEntry(file, stamp, script.createCachedData());
    } catch {
      // A cache that cannot be written only costs the next synth the compile.
    }
  });
  return { stats: () => ({ hits, misses }) };
}

/** `require` as Node gives a CommonJS module. */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Entry layout: stamp length (uint16), stamp (utf8), V8 cached data. */
function readEntry(file, stamp) {
  try {
    const bytes = readFileSync(file);
    const length = bytes.readUInt16LE(0);
    if (bytes.subarray(2, 2 + length).toString("utf8") !== stamp) return undefined;
    return bytes.subarray(2 + length);
  } catch {
    return undefined; // missing or shorter than its header
  }
}

function writeEntry(file, stamp, data) {
  const header = Buffer.alloc(2);
  const stampBytes = Buffer.from(stamp, "utf8");
  header.writeUInt16LE(stampBytes.length, 0);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat([header, stampBytes, data]));
  renameSync(temp, file);
}
