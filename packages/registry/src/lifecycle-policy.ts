/**
 * ECR lifecycle policy documents as typed values. ECR takes the policy as a JSON string,
 * so we build a typed structure and serialise it once: no hand-written JSON, and the
 * shape is checked at compile time.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
import { CI_TAG_PREFIXES, RELEASE_TAG_PREFIXES } from "./image-tags";

export type EcrTagStatus = "tagged" | "untagged" | "any";

export type EcrLifecycleSelection =
  | {
      readonly tagStatus: EcrTagStatus;
      readonly tagPrefixList?: readonly string[];
      readonly countType: "imageCountMoreThan";
      readonly countNumber: number;
    }
  | {
      readonly tagStatus: EcrTagStatus;
      readonly tagPrefixList?: readonly string[];
      readonly countType: "sinceImagePushed";
      readonly countUnit: "days";
      readonly countNumber: number;
    };

export interface EcrLifecycleRule {
  /** Unique, ascending; ECR requires a rule with `tagStatus: "any"` to have the highest number. */
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: EcrLifecycleSelection;
  readonly action: { readonly type: "expire" };
}

export interface EcrLifecyclePolicyDocument {
  readonly rules: readonly EcrLifecycleRule[];
}

export interface RetentionRules {
  /** Untagged images (build leftovers, superseded layers) expire this many days after push. */
  readonly untaggedImageExpiryDays: number;
  /** Newest CI-tagged images kept per CI prefix (`sha-*`, `ci-*`); older CI builds expire. */
  readonly keepLastImages: number;
  /**
   * Newest release-tagged images kept per release prefix (`v*`, `release-*`). Set high: an
   * environment may run an old release, and its image must never expire.
   */
  readonly keepReleaseImages: number;
}

/**
 * Release images first (one rule per release prefix, each keeping `keepReleaseImages`), then one
 * rule per CI prefix keeping the newest `keepLastImages`, then untagged images after N days.
 *
 * Why this order and shape (ECR's evaluation rules):
 * - an image matched by a rule can never be expired by a rule of lower priority, so an image
 *   tagged both `sha-3f9c2e1` and `v1.4.2` is held by the release rule and the CI rule cannot
 *   expire it;
 * - a `tagPrefixList` selects images carrying *all* its prefixes, so each prefix gets its own rule;
 * - there is deliberately no `tagStatus: "any"` rule: it would count every image and could
 *   expire one an environment runs under a tag of neither form; such images are kept.
 * The prefixes come from image-tags.ts, the grammar `pnpm release` accepts.
 *
 * A changed policy replaces `aws_ecr_lifecycle_policy` (AWS provider 5.100.0: `policy` forces a
 * new resource): the old policy is deleted, then the new one put. No image is touched by that.
 */
export function retentionPolicy(rules: RetentionRules): EcrLifecyclePolicyDocument {
  const release = RELEASE_TAG_PREFIXES.map((prefix) => ({
    description: `Keep the newest ${rules.keepReleaseImages} release images tagged ${prefix}* (environments run these)`,
    selection: { tagStatus: "tagged", tagPrefixList: [prefix], countType: "imageCountMoreThan", countNumber: rules.keepReleaseImages } as const,
  }));
  const ci = CI_TAG_PREFIXES.map((prefix) => ({
    description: `Keep only the newest ${rules.keepLastImages} CI builds tagged ${prefix}*`,
    selection: { tagStatus: "tagged", tagPrefixList: [prefix], countType: "imageCountMoreThan", countNumber: rules.keepLastImages } as const,
  }));
  const untagged = {
    description: `Expire untagged images ${rules.untaggedImageExpiryDays} days after push`,
    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: rules.untaggedImageExpiryDays } as const,
  };
  return {
    rules: [...release, ...ci, untagged].map((rule, i) => ({ rulePriority: i + 1, ...rule, action: { type: "expire" } })),
  };
}

/** The JSON string ECR's `policy` argument takes. */
export function renderLifecyclePolicy(doc: EcrLifecyclePolicyDocument): string {
  return JSON.stringify(doc);
}
