import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, Validator, boundedName, checkKmsKeyArn, isKnown, checkNamePrefix, mapRecord } from "@platform/core";
import { Construct } from "constructs";
import { renderLifecyclePolicy, retentionPolicy } from "./lifecycle-policy";

/** How ECR encrypts image layers at rest. Changing it replaces the repository (and deletes its images). */
export type RepositoryEncryption =
  /** SSE with S3-managed keys: no key policy to manage, no KMS request cost. */
  | { readonly type: "AES256" }
  /** SSE-KMS with a customer managed key; the key policy must let ECR and the pulling roles use it. */
  | { readonly type: "KMS"; readonly kmsKeyArn: string };

export type ImageTagMutability = "IMMUTABLE" | "MUTABLE";

/** Per-repository settings; anything left out takes the construct-level value. */
export interface ContainerRepositoryOptions {
  /**
   * The repository name, for adopting a live repository another tool named (a name cannot
   * change without a replace, which deletes every image).
   * @default `<namePrefix>-<key>`
   */
  readonly name?: string;
  /**
   * Newest CI builds kept per CI tag prefix; older ones expire.
   * @default the construct's `keepLastImages`
   */
  readonly keepLastImages?: number;
  /**
   * Newest release images kept per release tag prefix.
   * @default the construct's `keepReleaseImages`
   */
  readonly keepReleaseImages?: number;
  /**
   * Days after push before an untagged image expires.
   * @default the construct's `untaggedImageExpiryDays`
   */
  readonly untaggedImageExpiryDays?: number;
  /**
   * Whether a tag, once pushed, may be moved to another image.
   * @default the construct's `imageTagMutability`
   */
  readonly imageTagMutability?: ImageTagMutability;
  /**
   * Basic vulnerability scan of every pushed image.
   * @default the construct's `scanOnPush`
   */
  readonly scanOnPush?: boolean;
}

export interface ContainerRepositoriesProps {
  /** Prefix of every repository name, e.g. `acme-staging`; repository `web` becomes `acme-staging-web`. */
  readonly namePrefix: string;
  /**
   * One repository per key. The key is the construct ID (stable Terraform address) and the
   * repository name suffix, e.g. `{ web: {}, api: {} }`.
   */
  readonly repositories: Readonly<Record<string, ContainerRepositoryOptions>>;
  /**
   * Newest CI builds kept per repository and CI tag prefix (`sha-*`, `ci-*`, see image-tags.ts),
   * 1-1000; older CI builds expire. Release images (`v*`, `release-*`), which environments run,
   * are not counted here (`keepReleaseImages`), and images with other tags never expire.
   * @default 30
   */
  readonly keepLastImages?: number;
  /**
   * Newest release images kept per repository and release tag prefix, 1-9999. High by default so
   * that no image an environment still runs (or may roll back to) ever expires.
   * @default 9999
   */
  readonly keepReleaseImages?: number;
  /**
   * Days after push before an untagged image expires (1-3650).
   * @default 7
   */
  readonly untaggedImageExpiryDays?: number;
  /**
   * `IMMUTABLE` refuses to move a pushed tag, so `:v1.2.3` (or a git SHA) always names the
   * image that was reviewed and deployed. Pipelines that re-push `:latest` must tag uniquely,
   * or opt out here with `MUTABLE`.
   * @default "IMMUTABLE"
   */
  readonly imageTagMutability?: ImageTagMutability;
  /**
   * Run ECR basic scanning on every push.
   * @default true
   */
  readonly scanOnPush?: boolean;
  /**
   * Encryption at rest. Changing it replaces every repository.
   * @default { type: "AES256" }
   */
  readonly encryption?: RepositoryEncryption;
  /**
   * Let `terraform destroy` delete repositories that still hold images.
   * @default false (destroy fails while images exist, so images are never lost by accident)
   */
  readonly forceDelete?: boolean;
}

/** What other stacks need from the registry, keyed like `repositories`. */
export interface RegistryRef {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, for image references. */
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /** Repository ARNs, for IAM pull/push statements. */
  readonly repositoryArns: Readonly<Record<string, string>>;
  readonly repositoryNames: Readonly<Record<string, string>>;
}

export const DEFAULT_KEEP_LAST_IMAGES = 30;
export const DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS = 7;
export const DEFAULT_KEEP_RELEASE_IMAGES = 9999;
const KEEP_LAST_IMAGES_RANGE = [1, 1000] as const;
const KEEP_RELEASE_IMAGES_RANGE = [1, 9999] as const;
const UNTAGGED_EXPIRY_RANGE = [1, 3650] as const;
const MUTABILITY: readonly string[] = ["IMMUTABLE", "MUTABLE"];

/**
 * The name a repository gets without an explicit `name`: `<namePrefix>-<key>`, shortened with a
 * hash past ECR's limit. Bootstrap (push roles) and `pnpm release` name repositories with it too.
 */
export function defaultRepositoryName(namePrefix: string, key: string): string {
  return boundedName([namePrefix, key], NAME_LIMITS.ecrRepositoryName);
}

/**
 * ECR repositories for an application's images, each with scan-on-push, encryption at rest
 * and a lifecycle policy that keeps release images, the newest N CI builds, and untagged
 * images for N days (lifecycle-policy.ts).
 */
export class ContainerRepositories extends Construct {
  readonly repositories: Readonly<Record<string, EcrRepository>>;
  readonly lifecyclePolicies: Readonly<Record<string, EcrLifecyclePolicy>>;
  readonly ref: RegistryRef;

  constructor(scope: Construct, id: string, props: ContainerRepositoriesProps) {
    super(scope, id);
    validate(new Validator(this.node.path), props);

    const encryption = props.encryption ?? { type: "AES256" };
    const repositories: Record<string, EcrRepository> = {};
    const lifecyclePolicies: Record<string, EcrLifecyclePolicy> = {};

    for (const [key, options] of Object.entries(props.repositories)) {
      const group = new Construct(this, key);
      const repository = new EcrRepository(group, "repository", {
        name: options.name ?? defaultRepositoryName(props.namePrefix, key),
        imageTagMutability: options.imageTagMutability ?? props.imageTagMutability ?? "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: options.scanOnPush ?? props.scanOnPush ?? true },
        encryptionConfiguration: [
          encryption.type === "KMS" ? { encryptionType: "KMS", kmsKey: encryption.kmsKeyArn } : { encryptionType: "AES256" },
        ],
        forceDelete: props.forceDelete ?? false,
      });
      repositories[key] = repository;
      lifecyclePolicies[key] = new EcrLifecyclePolicy(group, "lifecycle-policy", {
        repository: repository.name,
        policy: renderLifecyclePolicy(
          retentionPolicy({
            keepLastImages: options.keepLastImages ?? props.keepLastImages ?? DEFAULT_KEEP_LAST_IMAGES,
            keepReleaseImages: options.keepReleaseImages ?? props.keepReleaseImages ?? DEFAULT_KEEP_RELEASE_IMAGES,
            untaggedImageExpiryDays:
              options.untaggedImageExpiryDays ?? props.untaggedImageExpiryDays ?? DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS,
          }),
        ),
      });
    }

    this.repositories = repositories;
    this.lifecyclePolicies = lifecyclePolicies;
    this.ref = {
      repositoryUrls: mapRecord(repositories, (r) => r.repositoryUrl),
      repositoryArns: mapRecord(repositories, (r) => r.arn),
      repositoryNames: mapRecord(repositories, (r) => r.name),
    };
  }
}

function validate(v: Validator, props: ContainerRepositoriesProps): void {
  checkNamePrefix(v, props.namePrefix);
  const keys = Object.keys(props.repositories ?? {});
  v.check(keys.length > 0, "repositories", props.repositories, "must name at least one repository, e.g. { web: {}, api: {} }.");
  for (const key of keys) {
    v.check(
      CONSTRUCT_KEY_PATTERN.test(key),
      `repositories.${key}`,
      key,
      "key must be 1-31 lower-case letters, digits or hyphens starting with a letter (it becomes the construct ID and the repository name suffix).",
    );
  }

  checkRetention(v, "", props);
  for (const [key, options] of Object.entries(props.repositories ?? {})) {
    checkRetention(v, `repositories.${key}.`, options);
  }

  if (props.encryption !== undefined) {
    const type = (props.encryption as { type?: unknown }).type;
    if (v.check(type === "AES256" || type === "KMS", "encryption.type", type, 'must be "AES256" or "KMS".') && props.encryption.type === "KMS") {
      // ECR keeps the key with the repository: the key itself, not an alias.
      checkKmsKeyArn(v, "encryption.kmsKeyArn", props.encryption.kmsKeyArn, { aliases: false });
    }
  }
  v.throwIfAny();
}

/** Checks the settings shared by the construct and each repository entry. */
function checkRetention(v: Validator, path: string, o: ContainerRepositoryOptions): void {
  checkIntegerRange(v, `${path}keepLastImages`, o.keepLastImages, KEEP_LAST_IMAGES_RANGE, "images");
  checkIntegerRange(v, `${path}keepReleaseImages`, o.keepReleaseImages, KEEP_RELEASE_IMAGES_RANGE, "images");
  checkIntegerRange(v, `${path}untaggedImageExpiryDays`, o.untaggedImageExpiryDays, UNTAGGED_EXPIRY_RANGE, "days");
  if (o.imageTagMutability !== undefined) {
    v.check(
      MUTABILITY.includes(o.imageTagMutability),
      `${path}imageTagMutability`,
      o.imageTagMutability,
      'must be "IMMUTABLE" (recommended: push a unique tag per build) or "MUTABLE".',
    );
  }
}

/**
 * The lifecycle policy is rendered to JSON at synth time, so its numbers must be literals:
 * a Terraform token would be serialised as a meaningless number.
 */
function checkIntegerRange(
  v: Validator,
  field: string,
  value: number | undefined,
  [min, max]: readonly [number, number],
  unit: string,
): void {
  if (value === undefined) return;
  if (!v.check(isKnown(value), field, value, "must be a literal number: it is written into the lifecycle policy at synth time.")) return;
  v.check(
    Number.isInteger(value) && value >= min && value <= max,
    field,
    value,
    `must be a whole number of ${unit} from ${min} to ${max}.`,
  );
}
