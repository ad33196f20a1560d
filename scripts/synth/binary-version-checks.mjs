// Plain JavaScript, like main.mjs (run by node without tsx). Types: binary-version-checks.d.mts.
import childProcess from "node:child_process";
import { createRequire } from "node:module";

/**
 * cdktf checks `terraform version` in every stack that holds a `moved` block (its
 * ValidateBinaryVersion, run by stack validation): one child process per stack, each on the
 * synth's critical path, each asking the same binary the same question. This runs the
 * command once, in the background while the app loads, and answers each check from that output.
 * The check's own logic (version pattern, semver range, messages) still runs unchanged; only
 * the command's output is shared. A command that has not finished or that failed runs
 * synchronously as cdktf would run it, so a failure reads exactly as cdktf reports it.
 *
 * @param {string} from a file whose package resolves `cdktf` as the app does
 * @param {{ prefetch?: boolean, execSync?: typeof childProcess.execSync }} [options]
 * @returns {{ runs: () => number, prefetched: Promise<void>, restore: () => void }}
 *   commands run synchronously so far; settles when the background run ended; undoes the sharing
 */
export function shareBinaryVersionChecks(from, options = {}) {
  const require = createRequire(from);
  const { ValidateBinaryVersion } = require("cdktf/lib/validations/validate-binary-version.js");
  const { ValidateTerraformVersion } = require("cdktf/lib/validations/validate-terraform-version.js");
  const realExecSync = options.execSync ?? childProcess.execSync;
  /** @type {Map<string, Buffer>} command → its standard output */
  const outputs = new Map();
  let runs = 0;

  /** @type {Promise<void>} */
  let prefetched = Promise.resolve();
  if (options.prefetch ?? true) {
    const command = new ValidateTerraformVersion(">=0").versionCommand;
    prefetched = new Promise((settle) => {
      childProcess.exec(command, { encoding: "buffer" }, (error, stdout) => {
        if (!error && !outputs.has(command)) outputs.set(command, stdout);
        settle();
      });
    });
  }

  const original = ValidateBinaryVersion.prototype.validate;
  ValidateBinaryVersion.prototype.validate = function validate() {
    const shared = (/** @type {string} */ command, /** @type {object} */ execOptions) => {
      const known = outputs.get(command);
      if (known) return known;
      runs++;
      const stdout = realExecSync(command, execOptions);
      outputs.set(command, stdout);
      return stdout;
    };
    // cdktf calls `child_process.execSync` through the module object at call time.
    const before = childProcess.execSync;
    childProcess.execSync = /** @type {typeof childProcess.execSync} */ (shared);
    try {
      return original.call(this);
    } finally {
      childProcess.execSync = before;
    }
  };
  return {
    runs: () => runs,
    prefetched,
    restore: () => {
      ValidateBinaryVersion.prototype.validate = original;
    },
  };
}
