import { describe, expect, it } from "vitest";
import {
  CI_TAG_PREFIXES,
  RELEASE_TAG_FORMS,
  RELEASE_TAG_PREFIXES,
  releaseTagProblem,
  renderLifecyclePolicy,
  retentionPolicy,
  type EcrLifecycleRule,
} from "../src/index";

const policy = retentionPolicy({ untaggedImageExpiryDays: 7, keepLastImages: 30, keepReleaseImages: 9999 });
const prefixesOf = (rule: EcrLifecycleRule) => rule.selection.tagPrefixList ?? [];

/**
 * What ECR does with a policy, reduced to the rules it documents: rules in priority order; an
 * image matched by a rule's tag selection cannot be expired by a lower-priority rule; a
 * tagPrefixList matches an image with a tag for every prefix; count rules expire the oldest
 * beyond N of the images they select. Returns the tags of the images that expire.
 */
function expired(doc: ReturnType<typeof retentionPolicy>, images: ReadonlyArray<{ tags: readonly string[]; ageDays: number }>): string[] {
  const matched = new Set<number>();
  const gone = new Set<number>();
  const rules = [...doc.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  for (const rule of rules) {
    const s = rule.selection;
    const selected = images
      .map((image, i) => ({ image, i }))
      .filter(({ image }) => {
        if (s.tagStatus === "untagged") return image.tags.length === 0;
        if (s.tagStatus === "any") return true;
        return image.tags.length > 0 && (s.tagPrefixList ?? []).every((p) => image.tags.some((t) => t.startsWith(p)));
      })
      .sort((a, b) => a.image.ageDays - b.image.ageDays);
    const victims = s.countType === "imageCountMoreThan" ? selected.slice(s.countNumber) : selected.filter(({ image }) => image.ageDays > s.countNumber);
    for (const { i } of victims) if (!matched.has(i)) gone.add(i);
    for (const { i } of selected) matched.add(i);
  }
  return [...gone].map((i) => images[i]!.tags.join("+") || "(untagged)").sort();
}

describe("retentionPolicy", () => {
  it("orders release rules, then CI rules, then the untagged rule, with unique ascending priorities", () => {
    expect(policy.rules.map((r) => [r.rulePriority, r.selection.tagStatus, prefixesOf(r)])).toEqual([
      [1, "tagged", ["v"]],
      [2, "tagged", ["release-"]],
      [3, "tagged", ["sha-"]],
      [4, "tagged", ["ci-"]],
      [5, "untagged", []],
    ]);
    expect(policy.rules.every((r) => r.action.type === "expire")).toBe(true);
  });

  it("counts releases and CI builds, and ages untagged images", () => {
    const byPrefix = Object.fromEntries(policy.rules.map((r) => [prefixesOf(r)[0] ?? "untagged", r.selection]));
    expect(byPrefix.v).toEqual({ tagStatus: "tagged", tagPrefixList: ["v"], countType: "imageCountMoreThan", countNumber: 9999 });
    expect(byPrefix["sha-"]).toEqual({ tagStatus: "tagged", tagPrefixList: ["sha-"], countType: "imageCountMoreThan", countNumber: 30 });
    expect(byPrefix.untagged).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 });
  });

  it("has no tagStatus any rule, which would count (and could expire) an image an environment runs", () => {
    expect(policy.rules.filter((r) => r.selection.tagStatus === "any")).toEqual([]);
  });

  it("gives each prefix its own rule (a tagPrefixList selects images carrying all its prefixes)", () => {
    expect(policy.rules.every((r) => prefixesOf(r).length <= 1)).toBe(true);
    const prefixes = policy.rules.flatMap(prefixesOf);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it("takes its prefixes from the release tag grammar, so every tag `pnpm release` accepts is kept", () => {
    const kept = policy.rules.filter((r) => r.rulePriority <= RELEASE_TAG_PREFIXES.length).flatMap(prefixesOf);
    expect(kept).toEqual([...RELEASE_TAG_PREFIXES]);
    for (const form of RELEASE_TAG_FORMS) {
      expect(releaseTagProblem(form.example)).toBeUndefined();
      expect(form.example.startsWith(form.prefix)).toBe(true);
    }
    // No CI prefix is a release prefix, or the same image would be both kept and expired.
    for (const ci of CI_TAG_PREFIXES) expect(RELEASE_TAG_PREFIXES.some((r) => ci.startsWith(r) || r.startsWith(ci))).toBe(false);
  });

  it("never expires a release image, even an old one also tagged as a CI build; expires old CI builds and untagged images", () => {
    const small = retentionPolicy({ untaggedImageExpiryDays: 7, keepLastImages: 2, keepReleaseImages: 9999 });
    const images = [
      { tags: ["v1.0.0", "sha-aaaaaaa"], ageDays: 400 }, // what an environment still runs
      { tags: ["release-2025.01.01"], ageDays: 300 },
      { tags: ["sha-bbbbbbb"], ageDays: 30 },
      { tags: ["sha-ccccccc"], ageDays: 20 },
      { tags: ["sha-ddddddd"], ageDays: 10 },
      { tags: ["ci-17"], ageDays: 5 },
      { tags: ["3f9c2e1"], ageDays: 500 }, // neither form: kept
      { tags: [], ageDays: 8 },
      { tags: [], ageDays: 1 },
    ];
    expect(expired(small, images)).toEqual(["(untagged)", "sha-bbbbbbb"]);
  });

  it("renders the JSON string ECR takes", () => {
    expect(JSON.parse(renderLifecyclePolicy(policy))).toEqual(JSON.parse(JSON.stringify(policy)));
  });
});

describe("releaseTagProblem", () => {
  it.each(["v1", "v1.4", "v1.4.2", "v1.4.2-rc.1", "release-2026.11.30", "release-42"])("accepts %s", (tag) => {
    expect(releaseTagProblem(tag)).toBeUndefined();
  });

  it.each([
    ["latest", /moving tag/],
    ["Main", /moving tag/],
    ["stable", /moving tag/],
    ["sha-3f9c2e1", /CI build tag .*expires/],
    ["ci-1234", /CI build tag/],
    ["3f9c2e1", /not a release tag; use v… \(e\.g\. "v1\.4\.2"\) or release-…/],
    ["v1.2.3.4", /not a release tag/],
    ["web:v1", /not an image tag/],
    [".v1", /not an image tag/],
    ["v".padEnd(129, "1"), /not an image tag/],
    ["", /is empty/],
  ])("refuses %s", (tag, message) => {
    expect(releaseTagProblem(tag)).toMatch(message);
  });
});
