import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { buildSync, version as esbuildVersion } from "esbuild";
import { zipSingleFile } from "./zip";

/** A bundled handler: `index.js` and a deterministic `lambda.zip` of it in `directory`. */
export interface Bundle {
  readonly directory: string;
  readonly zipPath: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256. */
  readonly codeHash: string;
}

const BUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  legalComments: "none",
  charset: "utf8",
  write: false,
  logLevel: "silent",
} as const;

const bundles = new Map<string, Bundle>();

/**
 * Bundles `entry` once per process (every function using the same handler shares it).
 * `fresh` rebuilds without any cache (tests prove builds are reproducible).
 */
export function bundle(entry: string, fresh = false): Bundle {
  const cached = bundles.get(entry);
  if (cached && !fresh) return cached;
  const built = bundleFromDisk(entry, fresh);
  bundles.set(entry, built);
  return built;
}

/**
 * Bundles `entry` into a fresh directory, reusing the on-disk cache when the content of every
 * input file is unchanged (esbuild over the AWS SDK is the slowest part of a synth).
 */
export function bundleFromDisk(entry: string, fresh = false): Bundle {
  const code = (!fresh && readBundleCache(entry)) || buildAndCache(entry);
  const zip = zipSingleFile("index.js", code);
  const root = join(tmpdir(), "platform-bundles");
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, "fn-"));
  writeFileSync(join(directory, "index.js"), code);
  const zipPath = join(directory, "lambda.zip");
  writeFileSync(zipPath, zip);
  return { directory, zipPath, codeHash: createHash("sha256").update(zip).digest("base64") };
}

interface CacheRecord {
  /** Absolute path of every input file → SHA-256 of its content. */
  readonly inputs: Record<string, string>;
}

function cacheBase(entry: string): string {
  const key = createHash("sha256").update(JSON.stringify([esbuildVersion, BUILD_OPTIONS, entry])).digest("hex");
  return join(tmpdir(), "platform-bundles", "cache", key.slice(0, 24));
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function readBundleCache(entry: string): Uint8Array | undefined {
  const base = cacheBase(entry);
  try {
    const record = JSON.parse(readFileSync(`${base}.json`, "utf8")) as CacheRecord;
    for (const [path, hash] of Object.entries(record.inputs)) {
      if (sha256(path) !== hash) return undefined;
    }
    return readFileSync(`${base}.js`);
  } catch {
    return undefined;
  }
}

function buildAndCache(entry: string): Uint8Array {
  const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], metafile: true });
  const code = result.outputFiles[0]!.contents;
  try {
    const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((p) => [resolve(p), sha256(resolve(p))]));
    const base = cacheBase(entry);
    mkdirSync(dirname(base), { recursive: true });
    // Write then rename, so a parallel synth never reads half a file.
    const suffix = `.${process.pid}.tmp`;
    writeFileSync(`${base}.js${suffix}`, code);
    writeFileSync(`${base}.json${suffix}`, JSON.stringify({ inputs } satisfies CacheRecord));
    renameSync(`${base}.js${suffix}`, `${base}.js`);
    renameSync(`${base}.json${suffix}`, `${base}.json`);
  } catch {
    // A cache that cannot be written only costs the next synth a rebuild.
  }
  return code;
}
