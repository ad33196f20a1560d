import { resourcesOf, synth, testStack, type SynthesizedStack } from "@platform/core/testing";
import { ConfigError } from "@platform/core";
import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { ContainerRepositories, type ContainerRepositoriesProps } from "../src/index";

const KMS_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function build(props: ContainerRepositoriesProps): { json: SynthesizedStack; construct: ContainerRepositories } {
  const stack = testStack("registry");
  const construct = new ContainerRepositories(stack, "registry", props);
  return { json: synth(stack), construct };
}

/** Repository attributes keyed by repository name, so tests do not depend on logical IDs. */
function repositoriesByName(json: SynthesizedStack): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.values(resourcesOf(json, "aws_ecr_repository")).map((r) => [r.name as string, r]));
}

function lifecyclePolicies(json: SynthesizedStack): Record<string, { rules: Record<string, unknown>[] }> {
  const repoAddress = Object.fromEntries(
    Object.entries(resourcesOf(json, "aws_ecr_repository")).map(([logicalId, r]) => [
      `\${aws_ecr_repository.${logicalId}.name}`,
      r.name as string,
    ]),
  );
  return Object.fromEntries(
    Object.values(resourcesOf(json, "aws_ecr_lifecycle_policy")).map((p) => [
      repoAddress[p.repository as string] ?? `unmatched:${String(p.repository)}`,
      JSON.parse(p.policy as string),
    ]),
  );
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("ContainerRepositories with defaults (prod-like)", () => {
  const { json, construct } = build({ namePrefix: "bookmark-manager-prod", repositories: { web: {}, api: {} } });
  const repos = repositoriesByName(json);

  it("creates one repository per key named <namePrefix>-<key>", () => {
    expect(Object.keys(repos).sort()).toEqual(["bookmark-manager-prod-api", "bookmark-manager-prod-web"]);
  });

  it("is immutable, scanned on push, AES256-encrypted and protected from force deletion", () => {
    for (const repo of Object.values(repos)) {
      expect(repo.image_tag_mutability).toBe("IMMUTABLE");
      expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
      expect(repo.encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
      expect(repo.force_delete).toBe(false);
    }
  });

  it("keeps release images, the newest 30 CI builds per prefix, and untagged images for 7 days", () => {
    const policy = lifecyclePolicies(json)["bookmark-manager-prod-web"];
    expect(policy?.rules.map((r) => [r.rulePriority, r.selection])).toEqual([
      [1, { tagStatus: "tagged", tagPrefixList: ["v"], countType: "imageCountMoreThan", countNumber: 9999 }],
      [2, { tagStatus: "tagged", tagPrefixList: ["release-"], countType: "imageCountMoreThan", countNumber: 9999 }],
      [3, { tagStatus: "tagged", tagPrefixList: ["sha-"], countType: "imageCountMoreThan", countNumber: 30 }],
      [4, { tagStatus: "tagged", tagPrefixList: ["ci-"], countType: "imageCountMoreThan", countNumber: 30 }],
      [5, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }],
    ]);
    expect(Object.keys(lifecyclePolicies(json)).sort()).toEqual(["bookmark-manager-prod-api", "bookmark-manager-prod-web"]);
  });

  it("exposes a ref keyed like the input whose values reference the repositories", () => {
    const stack = testStack("registry");
    const registry = new ContainerRepositories(stack, "registry", { namePrefix: "acme-test", repositories: { web: {}, api: {} } });
    for (const key of ["web", "api"]) {
      new TerraformOutput(stack, `${key}-url`, { value: registry.ref.repositoryUrls[key] });
      new TerraformOutput(stack, `${key}-arn`, { value: registry.ref.repositoryArns[key] });
      new TerraformOutput(stack, `${key}-name`, { value: registry.ref.repositoryNames[key] });
    }
    const out = synth(stack).output ?? {};
    const webId = Object.keys(resourcesOf(json, "aws_ecr_repository")).find((k) => k.startsWith("registry_web_"));
    expect(out["web-url"]?.value).toBe(`\${aws_ecr_repository.${webId}.repository_url}`);
    expect(out["web-arn"]?.value).toBe(`\${aws_ecr_repository.${webId}.arn}`);
    expect(out["web-name"]?.value).toBe(`\${aws_ecr_repository.${webId}.name}`);
    expect(out["api-url"]?.value).toMatch(/^\$\{aws_ecr_repository\.registry_api_repository_[0-9A-F]{8}\.repository_url\}$/);
    expect(Object.keys(construct.ref.repositoryUrls).sort()).toEqual(["api", "web"]);
    expect(construct.repositories.web).toBeDefined();
    expect(construct.lifecyclePolicies.api).toBeDefined();
  });

  it("keeps stable, key-derived Terraform addresses", () => {
    expect(Object.keys(resourcesOf(json, "aws_ecr_repository")).sort()).toEqual([
      expect.stringMatching(/^registry_api_repository_[0-9A-F]{8}$/),
      expect.stringMatching(/^registry_web_repository_[0-9A-F]{8}$/),
    ]);
  });
});

describe("ContainerRepositories with explicit choices (staging-like)", () => {
  const { json } = build({
    namePrefix: "bookmark-manager-staging",
    repositories: { web: { keepLastImages: 5 }, api: { imageTagMutability: "IMMUTABLE", scanOnPush: true } },
    keepLastImages: 10,
    untaggedImageExpiryDays: 1,
    imageTagMutability: "MUTABLE",
    scanOnPush: false,
    encryption: { type: "KMS", kmsKeyArn: KMS_KEY },
    forceDelete: true,
  });
  const repos = repositoriesByName(json);
  const policies = lifecyclePolicies(json);

  it("applies construct-level settings and lets each repository override them", () => {
    expect(repos["bookmark-manager-staging-web"]?.image_tag_mutability).toBe("MUTABLE");
    expect(repos["bookmark-manager-staging-web"]?.image_scanning_configuration).toEqual({ scan_on_push: false });
    expect(repos["bookmark-manager-staging-api"]?.image_tag_mutability).toBe("IMMUTABLE");
    expect(repos["bookmark-manager-staging-api"]?.image_scanning_configuration).toEqual({ scan_on_push: true });
    const ciRule = (repo: string) => policies[repo]?.rules.find((r) => JSON.stringify(r.selection).includes('"sha-"'))?.selection;
    const untaggedRule = (repo: string) => policies[repo]?.rules.find((r) => (r.selection as { tagStatus: string }).tagStatus === "untagged")?.selection;
    expect(ciRule("bookmark-manager-staging-web")).toMatchObject({ countNumber: 5 });
    expect(ciRule("bookmark-manager-staging-api")).toMatchObject({ countNumber: 10 });
    expect(untaggedRule("bookmark-manager-staging-api")).toMatchObject({ countNumber: 1 });
  });

  it("encrypts with the given KMS key and allows force deletion when asked", () => {
    for (const repo of Object.values(repos)) {
      expect(repo.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: KMS_KEY }]);
      expect(repo.force_delete).toBe(true);
    }
  });
});

describe("ContainerRepositories validation", () => {
  const ok: ContainerRepositoriesProps = { namePrefix: "acme-test", repositories: { web: {} } };

  it("fails when keepLastImages is 0 or above 1000, naming the prop, the value and the range", () => {
    const low = configError(() => build({ ...ok, keepLastImages: 0 }));
    expect(low.message).toMatch(/registry\.keepLastImages: 0 must be a whole number of images from 1 to 1000/);
    const high = configError(() => build({ ...ok, repositories: { web: { keepLastImages: 1001 } } }));
    expect(high.message).toMatch(/registry\.repositories\.web\.keepLastImages: 1001 must be a whole number of images from 1 to 1000/);
  });

  it("fails when keepReleaseImages is 0 or above 9999", () => {
    expect(() => build({ ...ok, keepReleaseImages: 0 })).toThrow(/keepReleaseImages: 0 must be a whole number of images from 1 to 9999/);
    expect(() => build({ ...ok, repositories: { web: { keepReleaseImages: 10000 } } })).toThrow(
      /repositories\.web\.keepReleaseImages: 10000 must be a whole number of images from 1 to 9999/,
    );
  });

  it("fails when keepLastImages is not a whole number", () => {
    expect(() => build({ ...ok, keepLastImages: 2.5 })).toThrow(/keepLastImages: 2\.5 must be a whole number/);
  });

  it("fails when untaggedImageExpiryDays is 0", () => {
    expect(() => build({ ...ok, untaggedImageExpiryDays: 0 })).toThrow(
      /untaggedImageExpiryDays: 0 must be a whole number of days from 1 to 3650/,
    );
  });

  it("fails when a repository key is not a valid construct key", () => {
    expect(() => build({ ...ok, repositories: { Web_App: {} } })).toThrow(
      /repositories\.Web_App: "Web_App" key must be 1-31 lower-case letters/,
    );
  });

  it("fails when no repository is given", () => {
    expect(() => build({ ...ok, repositories: {} })).toThrow(/repositories: \{\} must name at least one repository/);
  });

  it("fails when namePrefix is empty or has upper-case letters", () => {
    expect(() => build({ ...ok, namePrefix: "" })).toThrow(/namePrefix: "" must be lower-case letters/);
    expect(() => build({ ...ok, namePrefix: "Acme-Staging" })).toThrow(/namePrefix: "Acme-Staging" must be lower-case/);
  });

  it("fails when the KMS key is an alias instead of a key ARN", () => {
    expect(() =>
      build({ ...ok, encryption: { type: "KMS", kmsKeyArn: "alias/ecr" } }),
    ).toThrow(/encryption\.kmsKeyArn: "alias\/ecr" must be a KMS key ARN \(arn:aws:kms:<region>:<account>:key\/<key-id>\), not an alias/);
  });

  it("fails when imageTagMutability is misspelt (untyped config)", () => {
    expect(() =>
      build({ ...ok, imageTagMutability: "immutable" as unknown as "IMMUTABLE" }),
    ).toThrow(/imageTagMutability: "immutable" must be "IMMUTABLE"/);
  });

  it("fails listing every problem at once, before creating any resource", () => {
    const error = configError(() =>
      build({ namePrefix: "-bad", repositories: { WEB: { keepLastImages: 0 } }, untaggedImageExpiryDays: -1 }),
    );
    expect(error.issues.map((i) => i.field)).toEqual([
      "test-registry/registry.namePrefix",
      "test-registry/registry.repositories.WEB",
      "test-registry/registry.untaggedImageExpiryDays",
      "test-registry/registry.repositories.WEB.keepLastImages",
    ]);
  });
});
