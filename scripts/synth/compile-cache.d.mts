/** Caches V8's compiled code of every CommonJS file loaded after this call, in `cacheDir`. */
export function enableCompileCache(cacheDir: string): {
  /** Files compiled from the cache (hits) and compiled afresh (misses) so far. */
  stats(): { hits: number; misses: number };
};
