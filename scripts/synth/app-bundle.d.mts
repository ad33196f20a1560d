export interface AppBundleOptions {
  /** App entry, relative to the repository. @default "apps/main.ts" */
  readonly entry?: string;
  /** @default node_modules/.cache/synth */
  readonly cacheDir?: string;
  readonly log?: (line: string) => void;
}
/** Builds (or reuses) the bundle of the app entry; `rebuilt` is false on a cache hit. */
export function appBundle(options?: AppBundleOptions): Promise<{ file: string; rebuilt: boolean }>;
/** The bundled app's exports (apps/main.ts by default). */
export function loadApp<T = typeof import("../../apps/main")>(options?: AppBundleOptions): Promise<T>;
