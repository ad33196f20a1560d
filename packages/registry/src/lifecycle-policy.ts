/**
 * ECR lifecycle policy documents as typed values. ECR takes the policy as a JSON string,
 * so we build a typed structure and serialise it once: no hand-written JSON, and the
 * shape is checked at compile time.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */

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
  /** Only the newest N images (any tag status) are kept. */
  readonly keepLastImages: number;
}

/**
 * Two rules: expire untagged images after N days, then keep only the newest N images.
 * The "any" rule must come last (ECR rejects a policy where it does not have the highest priority).
 */
export function retentionPolicy(rules: RetentionRules): EcrLifecyclePolicyDocument {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${rules.untaggedImageExpiryDays} days after push`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: rules.untaggedImageExpiryDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep only the newest ${rules.keepLastImages} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: rules.keepLastImages },
        action: { type: "expire" },
      },
    ],
  };
}

/** The JSON string ECR's `policy` argument takes. */
export function renderLifecyclePolicy(doc: EcrLifecyclePolicyDocument): string {
  return JSON.stringify(doc);
}
