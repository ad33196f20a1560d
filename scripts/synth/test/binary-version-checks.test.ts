import childProcess from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { shareBinaryVersionChecks, type SharedBinaryVersionChecks } from "../binary-version-checks.mjs";

const from = resolve(import.meta.dirname, "../../../package.json");
const { ValidateTerraformVersion } = createRequire(from)("cdktf/lib/validations/validate-terraform-version.js") as {
  ValidateTerraformVersion: new (constraint: string, hint?: string) => { validate(): string[] };
};
const check = (constraint: string) => new ValidateTerraformVersion(constraint, "Please upgrade.").validate();

/** What cdktf's own check says when the command behaves like `fake`. */
function unshared(constraint: string, fake: typeof childProcess.execSync): string[] {
  const builtin = childProcess.execSync;
  childProcess.execSync = fake;
  try {
    return check(constraint);
  } finally {
    childProcess.execSync = builtin;
  }
}

const printing = (text: string) => vi.fn(() => Buffer.from(text)) as unknown as typeof childProcess.execSync;

describe("shareBinaryVersionChecks", () => {
  let shared: SharedBinaryVersionChecks | undefined;
  afterEach(() => shared?.restore());

  it("answers every stack's check from one run of the version command", () => {
    const execSync = printing("Terraform v1.11.4\non linux_amd64\n");
    shared = shareBinaryVersionChecks(from, { prefetch: false, execSync });
    expect([check(">=1.5"), check(">=1.5"), check(">=1.4")]).toEqual([[], [], []]);
    expect(execSync).toHaveBeenCalledTimes(1);
    expect(shared.runs()).toBe(1);
  });

  it("keeps cdktf's verdict and message for a binary that is too old", () => {
    const expected = unshared(">=1.5", printing("Terraform v1.4.0\n"));
    expect(expected[0]).toMatch(/terraform version 1\.4\.0 is lower than the required version >=1\.5/);
    shared = shareBinaryVersionChecks(from, { prefetch: false, execSync: printing("Terraform v1.4.0\n") });
    expect(check(">=1.5")).toEqual(expected);
    expect(check(">=1.5")).toEqual(expected);
  });

  it("runs a failing command again each time and reports it as cdktf does", () => {
    const fail = vi.fn(() => {
      throw new Error("terraform: not found");
    });
    const failing = fail as unknown as typeof childProcess.execSync;
    const expected = unshared(">=1.5", failing);
    expect(expected[0]).toMatch(/Could not determine version of terraform/);
    fail.mockClear();
    shared = shareBinaryVersionChecks(from, { prefetch: false, execSync: failing });
    expect([check(">=1.5"), check(">=1.5")]).toEqual([expected, expected]);
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it("answers from the background run without running the command again", async () => {
    const bin = mkdtempSync(join(tmpdir(), "fake-terraform-"));
    writeFileSync(join(bin, "terraform"), '#!/bin/sh\necho "Terraform v1.9.9"\n');
    chmodSync(join(bin, "terraform"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    const execSync = vi.fn(() => {
      throw new Error("ran synchronously");
    }) as unknown as typeof childProcess.execSync;
    try {
      shared = shareBinaryVersionChecks(from, { execSync });
      await shared.prefetched;
    } finally {
      process.env.PATH = path;
    }
    expect(check(">=1.5")).toEqual([]);
    expect(check(">=2")[0]).toMatch(/terraform version 1\.9\.9 is lower than the required version >=2/);
    expect(execSync).not.toHaveBeenCalled();
    expect(shared.runs()).toBe(0);
  });

  it("gives cdktf its own check back on restore", () => {
    const execSync = printing("Terraform v1.11.4\n");
    shared = shareBinaryVersionChecks(from, { prefetch: false, execSync });
    shared.restore();
    expect(unshared(">=1.5", printing("Terraform v1.0.0\n"))[0]).toMatch(/1\.0\.0 is lower/);
    expect(execSync).not.toHaveBeenCalled();
  });
});
