// Plain JavaScript, like main.mjs (run by node without tsx).
import { statSync } from "node:fs";

/**
 * A file's metadata as one string: inode, size, modification and change times in nanoseconds.
 * Any write to a file changes its ctime, so an equal stamp means the same content without reading
 * it; an unequal one only means "look again". Undefined when the file is gone.
 *
 * @param {string} path
 * @returns {string | undefined}
 */
export function fileStamp(path) {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s && `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}
