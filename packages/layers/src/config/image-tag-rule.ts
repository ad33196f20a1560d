import type { Validator } from "@platform/core";
import { CI_TAG_PREFIXES, IMAGE_DIGEST_PATTERN, IMAGE_TAG_PATTERN, isCiTag, isMovingTag } from "@platform/registry";
import { isString } from "./raw";

/** An image tag a service may run: pinned, not moving, not a CI build the registry expires. */
export function checkImageTag(v: Validator, field: string, tag: unknown): void {
  if (!isString(tag)) return;
  if (!v.check(tag.trim() !== "", field, tag, 'is required: pin a version or commit SHA (e.g. "v1.4.2" or "3f9c2e1").')) return;
  if (!v.check(IMAGE_TAG_PATTERN.test(tag) || IMAGE_DIGEST_PATTERN.test(tag), field, tag, "is not a Docker tag (1-128 of letters, digits, _ . -, not starting with . or -) nor a sha256: digest.")) return;
  v.check(!isMovingTag(tag), field, tag, 'is a moving tag that points at different code over time; pin a version or commit SHA (e.g. "v1.4.2" or "3f9c2e1").');
  v.check(
    !isCiTag(tag),
    field,
    tag,
    `is a CI build tag (${CI_TAG_PREFIXES.map((p) => `${p}*`).join(", ")}): the registry's lifecycle expires it once newer builds exist, while this service still runs it. Release a version tag (e.g. "v1.4.2") with \`pnpm release\`.`,
  );
}
