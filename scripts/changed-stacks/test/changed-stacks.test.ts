import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { changedStacks, diffOutdirs, linkDependencies, normalizeStackJson, synthesizeRef, zipEntries } from "../changed-stacks";

/** A stored (uncompressed) zip with one DOS timestamp for every entry, like cdktf's archives. */
function makeZip(entries: Record<string, string>, dosTime: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

interface FakeStack {
  readonly json: Record<string, unknown>;
  readonly dependencies?: string[];
  readonly assets?: Record<string, Buffer>;
}

/** A synth output folder with a manifest, as cdktf writes it. */
function outdir(stacks: Record<string, FakeStack>): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-synth-"));
  const manifest: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(stacks)) {
    const stackDir = join(dir, "stacks", name);
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(s.json));
    for (const [path, bytes] of Object.entries(s.assets ?? {})) {
      mkdirSync(join(stackDir, path, ".."), { recursive: true });
      writeFileSync(join(stackDir, path), bytes);
    }
    manifest[name] = { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: s.dependencies ?? [] };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ stacks: manifest }));
  return dir;
}

const s3 = { terraform: { backend: { s3: { bucket: "b", key: "k" } } } };
const lambda = (hash: string) => ({
  ...s3,
  resource: { aws_lambda_function: { fn: { filename: `assets/fn_code_1234ABCD/${hash}/archive.zip`, "//": { metadata: { path: "x" } } } } },
});
const HASH_A = "155977E74BF765D1F5424E98E76A3CCA";
const HASH_B = "EFDD0230A01DCC3D35502AF21928B04F";

describe("stack comparison", () => {
  it("ignores cdktf's // metadata at every level", () => {
    const a = normalizeStackJson({ "//": { metadata: { version: "0.21.0" } }, resource: { x: { y: { "//": { path: "a" }, v: 1 } } } }, "/none");
    const b = normalizeStackJson({ "//": { metadata: { version: "0.20.0" } }, resource: { x: { y: { "//": { path: "b" }, v: 1 } } } }, "/none");
    expect(a).toEqual(b);
  });

  it("reads a zip by its entries: equal content with another timestamp is equal, other content is not", () => {
    expect(zipEntries(makeZip({ "index.js": "exports.handler=1" }, 0x6000))).toBe(zipEntries(makeZip({ "index.js": "exports.handler=1" }, 0x7000)));
    expect(zipEntries(makeZip({ "index.js": "exports.handler=1" }, 0x6000))).not.toBe(zipEntries(makeZip({ "index.js": "exports.handler=2" }, 0x6000)));
  });

  it("treats an asset path hash as equal only when the asset content is equal", () => {
    const zip = (code: string, time: number) => makeZip({ "index.js": code }, time);
    const base = outdir({ "staging-scheduler": { json: lambda(HASH_A), assets: { [`assets/fn_code_1234ABCD/${HASH_A}/archive.zip`]: zip("v1", 0x6000) } } });
    const sameContent = outdir({ "staging-scheduler": { json: lambda(HASH_B), assets: { [`assets/fn_code_1234ABCD/${HASH_B}/archive.zip`]: zip("v1", 0x7000) } } });
    const newCode = outdir({ "staging-scheduler": { json: lambda(HASH_B), assets: { [`assets/fn_code_1234ABCD/${HASH_B}/archive.zip`]: zip("v2", 0x6000) } } });
    expect(diffOutdirs(base, sameContent)).toEqual({ modified: [], added: [], removed: [], unchanged: ["staging-scheduler"] });
    expect(diffOutdirs(base, newCode).modified).toEqual(["staging-scheduler"]);
  });

  it("finds modified, added and removed stacks", () => {
    const base = outdir({ "staging-network": { json: { ...s3, v: 1 } }, "staging-legacy": { json: s3 }, "prod-network": { json: s3 } });
    const head = outdir({ "staging-network": { json: { ...s3, v: 2 } }, "staging-compute": { json: s3 }, "prod-network": { json: s3 } });
    expect(diffOutdirs(base, head)).toEqual({
      modified: ["staging-network"],
      added: ["staging-compute"],
      removed: ["staging-legacy"],
      unchanged: ["prod-network"],
    });
  });
});

describe("changed stacks", () => {
  const graph = (networkVersion: number, bootstrapVersion = 1): Record<string, FakeStack> => ({
    bootstrap: { json: { terraform: { backend: { local: { path: "x" } } }, v: bootstrapVersion } },
    "staging-network": { json: { ...s3, v: networkVersion } },
    "staging-security": { json: s3, dependencies: ["staging-network"] },
    "staging-compute": { json: s3, dependencies: ["staging-network", "staging-security"] },
    "staging-registry": { json: s3 },
    "prod-network": { json: s3 },
  });

  it("adds every stack that reads from a changed one, in deploy waves, per environment", () => {
    const result = changedStacks("main", outdir(graph(1)), outdir(graph(2)));
    expect(result.modified).toEqual(["staging-network"]);
    expect(result.dependents).toEqual(["staging-compute", "staging-security"]);
    expect(result.stacks).toEqual(["staging-compute", "staging-network", "staging-security"]);
    expect(result.waves).toEqual([["staging-network"], ["staging-security"], ["staging-compute"]]);
    expect(result.unchanged).toEqual(["bootstrap", "staging-registry", "prod-network"]);
    expect(result.environments).toEqual([
      {
        environment: "staging",
        stacks: ["staging-compute", "staging-network", "staging-security"],
        waves: [["staging-network"], ["staging-security"], ["staging-compute"]],
        stackList: "staging-compute,staging-network,staging-security",
        variableSuffix: "STAGING",
      },
    ]);
  });

  it("leaves stacks on local state (bootstrap) to be applied by hand", () => {
    const result = changedStacks("main", outdir(graph(1, 1)), outdir(graph(1, 2)));
    expect(result.stacks).toEqual(["bootstrap"]);
    expect(result.manual).toEqual(["bootstrap"]);
    expect(result.environments).toEqual([]);
  });

  it("selects every stack with replanAll (the label `replan`), although nothing changed", () => {
    const same = changedStacks("main", outdir(graph(1)), outdir(graph(1)));
    expect(same.stacks).toEqual([]);
    const all = changedStacks("main", outdir(graph(1)), outdir(graph(1)), { replanAll: true });
    expect(all.replanAll).toBe(true);
    expect(all.environments.flatMap((e) => e.stacks).sort()).toEqual(["prod-network", "staging-compute", "staging-network", "staging-registry", "staging-security"]);
    expect(all.manual).toEqual(["bootstrap"]);
  });

  it("counts every stack as changed without a base", () => {
    const result = changedStacks("", undefined, outdir(graph(1)), { baseError: "no base commit" });
    expect(result.stacks).toHaveLength(6);
    expect(result.environments.map((e) => e.environment)).toEqual(["staging", "prod"]);
    expect(result.baseError).toBe("no base commit");
  });
});

describe("synthesizing the base commit", () => {
  it("links third-party packages to ours and @platform packages to the other checkout", () => {
    const checkout = mkdtempSync(join(tmpdir(), "fake-checkout-"));
    mkdirSync(join(checkout, "packages", "core"), { recursive: true });
    writeFileSync(join(checkout, "packages", "core", "package.json"), JSON.stringify({ name: "@platform/core" }));
    linkDependencies(process.cwd(), checkout);
    expect(realpathSync(join(checkout, "node_modules", "@platform", "core"))).toBe(realpathSync(join(checkout, "packages", "core")));
    expect(realpathSync(join(checkout, "node_modules", "cdktf"))).toBe(realpathSync("node_modules/cdktf"));
    expect(realpathSync(join(checkout, "node_modules", "@cdktf", "provider-aws"))).toBe(realpathSync("node_modules/@cdktf/provider-aws"));
  });

  it("synthesizes HEAD from a worktree with our node_modules, and removes the worktree", () => {
    const out = join(mkdtempSync(join(tmpdir(), "base-synth-")), "out");
    const commit = synthesizeRef("HEAD", process.cwd(), out);
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toContain("bootstrap");
    const worktrees = spawnSync("git", ["worktree", "list"], { encoding: "utf8" }).stdout;
    expect(worktrees).not.toContain("platform-base-");
  }, 120_000);

  it("fails clearly on an unknown ref", () => {
    expect(() => synthesizeRef("no-such-ref-4711", process.cwd(), join(tmpdir(), "never"))).toThrow(/rev-parse --verify no-such-ref-4711/);
  });
});
