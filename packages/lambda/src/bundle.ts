import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
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

/** Bumped when the cache's layout or record changes meaning (old entries are then never read). */
const CACHE_FORMAT = 2;

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
 * Bundles `entry`, reusing the on-disk cache while every input file is unchanged: esbuild over
 * the AWS SDK and the level-9 zip are the slowest parts of a synth. The cache keeps the zip and
 * its hash, in a folder named by that hash, so an unchanged handler is neither rebuilt nor
 * re-zipped nor copied. `fresh` ignores the cache and writes into a new folder of its own.
 */
export function bundleFromDisk(entry: string, fresh = false): Bundle {
  return (!fresh && readBundleCache(entry)) || buildAndCache(entry, fresh);
}

interface CacheRecord {
  readonly format: typeof CACHE_FORMAT;
  /** Absolute path of every input file → SHA-256 of its content. */
  readonly inputs: Record<string, string>;
  /** {@link statStamp} of the inputs when their content last matched `inputs`. */
  readonly stamp: string;
  /** Base64 SHA-256 of `lambda.zip` (the codeHash). */
  readonly zipHash: string;
  /** Hex SHA-256 of `index.js`. */
  readonly codeFileHash: string;
}

/** `PLATFORM_BUNDLE_CACHE` moves the cache (a CI cache folder, or a test's own). */
function cacheRoot(): string {
  return process.env.PLATFORM_BUNDLE_CACHE ?? join(tmpdir(), "platform-bundles", "cache");
}

function recordPath(entry: string): string {
  const key = createHash("sha256").update(JSON.stringify([CACHE_FORMAT, esbuildVersion, BUILD_OPTIONS, entry])).digest("hex");
  return join(cacheRoot(), `${key.slice(0, 24)}.json`);
}

/** The cached output folder of a zip: named by the zip's hash, so its content never changes. */
function outputDirectory(zipHash: string): string {
  return join(cacheRoot(), "out", Buffer.from(zipHash, "base64").toString("hex"));
}

const sha256Hex = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const sha256Base64 = (data: Uint8Array) => createHash("sha256").update(data).digest("base64");

/**
 * One fingerprint of the inputs' file metadata (inode, size, modification and change times in
 * nanoseconds). Any write to a file changes its ctime, so an equal stamp means unchanged files
 * without reading them; an unequal one only means "compare contents".
 */
function statStamp(paths: readonly string[]): string {
  const hash = createHash("sha256");
  for (const path of paths) hash.update(`${statKey(path)}\n`);
  return hash.digest("hex");
}

/** A file's path and metadata (inode, size, modification and change times) as one key. */
function statKey(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${path}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}`;
}

/** Content hashes per process, keyed by path and metadata: handlers share most inputs (the AWS SDK). */
const contentHashes = new Map<string, string>();

function contentHash(path: string): string {
  const key = statKey(path);
  let hash = contentHashes.get(key);
  if (hash === undefined) {
    hash = sha256Hex(readFileSync(path));
    contentHashes.set(key, hash);
  }
  return hash;
}

function readBundleCache(entry: string): Bundle | undefined {
  try {
    const file = recordPath(entry);
    const record = JSON.parse(readFileSync(file, "utf8")) as CacheRecord;
    if (record.format !== CACHE_FORMAT) return undefined;
    const paths = Object.keys(record.inputs);
    const stamp = statStamp(paths);
    if (stamp !== record.stamp) {
      // Touched (a checkout, a save without edits) but maybe not changed: compare contents.
      if (!paths.every((p) => contentHash(p) === record.inputs[p])) return undefined;
      writeAtomically(file, JSON.stringify({ ...record, stamp } satisfies CacheRecord));
    }
    return verifiedOutput(record.zipHash, record.codeFileHash);
  } catch {
    return undefined; // missing, unreadable or corrupt: rebuild
  }
}

/** The cached output of a zip if both of its files still hold the bytes they were written with. */
function verifiedOutput(zipHash: string, codeFileHash: string): Bundle | undefined {
  const directory = outputDirectory(zipHash);
  const zipPath = join(directory, "lambda.zip");
  try {
    if (sha256Base64(readFileSync(zipPath)) !== zipHash) return undefined;
    if (sha256Hex(readFileSync(join(directory, "index.js"))) !== codeFileHash) return undefined;
  } catch {
    return undefined;
  }
  return { directory, zipPath, codeHash: zipHash };
}

let esbuildRuns = 0;

/** How many esbuild builds this process ran (a cache hit runs none); for tests of the cache. */
export function esbuildRunCount(): number {
  return esbuildRuns;
}

function buildAndCache(entry: string, fresh: boolean): Bundle {
  esbuildRuns++;
  const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], metafile: true });
  const code = result.outputFiles[0]!.contents;
  const zip = zipSingleFile("index.js", code);
  const zipHash = sha256Base64(zip);
  const codeFileHash = sha256Hex(code);
  const output = fresh ? writeFreshOutput(code, zip, zipHash) : writeCachedOutput(code, zip, zipHash, codeFileHash);
  try {
    const paths = Object.keys(result.metafile.inputs).map((p) => resolve(p));
    const inputs = Object.fromEntries(paths.map((p) => [p, contentHash(p)]));
    const record: CacheRecord = { format: CACHE_FORMAT, inputs, stamp: statStamp(paths), zipHash, codeFileHash };
    writeAtomically(recordPath(entry), JSON.stringify(record));
  } catch {
    // A cache that cannot be written only costs the next synth a rebuild.
  }
  return output;
}

/** A new folder of its own, as a build without cache promises. */
function writeFreshOutput(code: Uint8Array, zip: Uint8Array, zipHash: string): Bundle {
  const root = join(tmpdir(), "platform-bundles");
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, "fn-"));
  writeFileSync(join(directory, "index.js"), code);
  const zipPath = join(directory, "lambda.zip");
  writeFileSync(zipPath, zip);
  return { directory, zipPath, codeHash: zipHash };
}

/** The zip's hash-named cache folder, written whole then renamed so no reader sees half of it. */
function writeCachedOutput(code: Uint8Array, zip: Uint8Array, zipHash: string, codeFileHash: string): Bundle {
  const existing = verifiedOutput(zipHash, codeFileHash);
  if (existing) return existing;
  const directory = outputDirectory(zipHash);
  const temp = `${directory}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  writeFileSync(join(temp, "index.js"), code);
  writeFileSync(join(temp, "lambda.zip"), zip);
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(temp, directory);
      return { directory, zipPath: join(directory, "lambda.zip"), codeHash: zipHash };
    } catch (error) {
      // Another synth wrote the same folder first: its bytes are the same.
      const written = verifiedOutput(zipHash, codeFileHash);
      if (written || attempt > 0) rmSync(temp, { recursive: true, force: true });
      if (written) return written;
      if (attempt > 0) throw error;
      rmSync(directory, { recursive: true, force: true }); // a damaged copy: replace it
    }
  }
}

/** Write then rename, so a parallel synth never reads half a file. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
