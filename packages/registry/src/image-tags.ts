/**
 * The image tag grammar, in one place: what `pnpm release` may deploy, what the config refuses,
 * and which tag prefixes the ECR lifecycle policy keeps or expires (lifecycle-policy.ts).
 *
 * - **Release tags** (`v1.4.2`, `v1.4.2-rc.1`, `release-2026.11.30`) are what environments run.
 *   The lifecycle policy protects every image carrying one, so an image an environment still
 *   runs is never expired.
 * - **CI tags** (`sha-3f9c2e1`, `ci-1234`) are per-build tags an application's CI pushes; only
 *   the newest N per prefix are kept. They are never deployed: a release retags the image.
 * - **Moving tags** (`latest`, `main`, `stable`, …) point at different code over time and are
 *   refused everywhere.
 */

/** One accepted release tag form: its ECR lifecycle prefix, the full grammar and an example. */
export interface ReleaseTagForm {
  /** What the lifecycle policy matches (`tagPrefixList`); every tag of the form starts with it. */
  readonly prefix: string;
  readonly pattern: RegExp;
  readonly example: string;
}

/** The release tag forms. Adding one here keeps its images in every repository's lifecycle too. */
export const RELEASE_TAG_FORMS: readonly ReleaseTagForm[] = [
  { prefix: "v", pattern: /^v\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z][0-9A-Za-z.]*)?$/, example: "v1.4.2" },
  { prefix: "release-", pattern: /^release-[0-9A-Za-z][0-9A-Za-z._-]*$/, example: "release-2026.11.30" },
];

/** Prefixes of the release tags, kept by the lifecycle policy. */
export const RELEASE_TAG_PREFIXES: readonly string[] = RELEASE_TAG_FORMS.map((f) => f.prefix);

/** Prefixes of per-build CI tags, of which the lifecycle policy keeps only the newest N each. */
export const CI_TAG_PREFIXES: readonly string[] = ["sha-", "ci-"];

/** Tags that point at different code over time (compared lower-cased). */
export const MOVING_TAGS: ReadonlySet<string> = new Set([
  "latest", "main", "master", "stable", "dev", "develop", "development", "edge", "nightly", "head", "trunk",
  "current", "next", "canary", "unstable", "snapshot", "release", "prod", "production", "staging", "live", "beta", "alpha",
]);

/** A Docker/ECR image tag: 1-128 of letters, digits, `_ . -`, not starting with `.` or `-`. */
export const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A pinned image digest. */
export const IMAGE_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** True for a tag in one of the CI forms (expired by the lifecycle once N newer builds exist). */
export function isCiTag(tag: string): boolean {
  return CI_TAG_PREFIXES.some((p) => tag.startsWith(p));
}

/** True for a tag that points at different code over time. */
export function isMovingTag(tag: string): boolean {
  return MOVING_TAGS.has(tag.toLowerCase());
}

const RELEASE_EXAMPLES = RELEASE_TAG_FORMS.map((f) => `"${f.example}"`).join(" or ");

/**
 * Why `tag` cannot be released, or undefined when it can. The message is the fix, to follow
 * `<field>: "<tag>" `.
 */
export function releaseTagProblem(tag: string): string | undefined {
  if (tag.trim() === "") return `is empty; give the release tag the image was pushed with, e.g. ${RELEASE_EXAMPLES}.`;
  if (!IMAGE_TAG_PATTERN.test(tag)) {
    return "is not an image tag (1-128 of letters, digits, _ . -, not starting with . or -).";
  }
  if (isMovingTag(tag)) {
    return `is a moving tag that points at different code over time; release an immutable tag such as ${RELEASE_EXAMPLES}.`;
  }
  if (isCiTag(tag)) {
    return `is a CI build tag (${CI_TAG_PREFIXES.map((p) => `${p}*`).join(", ")}), which the registry expires once newer builds exist; tag the image as a release (${RELEASE_EXAMPLES}) and release that.`;
  }
  if (!RELEASE_TAG_FORMS.some((f) => f.pattern.test(tag))) {
    return `is not a release tag; use ${RELEASE_TAG_FORMS.map((f) => `${f.prefix}… (e.g. "${f.example}")`).join(" or ")}: only those are kept by the registry's lifecycle policy.`;
  }
  return undefined;
}
