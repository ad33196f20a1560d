/**
 * The region table: every region of the `aws` partition, with the availability zone letters
 * an account created today sees (some older accounts see different sets). Synth checks region
 * names and AZ counts against it, so a typo fails before a plan does (Terraform's offline
 * checks skip region validation). Regions whose letters are not listed here get a, b, c.
 * China and GovCloud regions are left out on purpose: ARNs are built and checked in every
 * partition (aws-shapes.ts), but nothing else (AZ letters, endpoints, ELB log accounts, the
 * offline checks) has been verified there.
 */
export const REGION_AZ_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["a", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "ca-west-1": ["a", "b", "c"],
  "mx-central-1": ["a", "b", "c"],
  "sa-east-1": ["a", "b", "c"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "eu-central-2": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "eu-south-1": ["a", "b", "c"],
  "eu-south-2": ["a", "b", "c"],
  "il-central-1": ["a", "b", "c"],
  "me-south-1": ["a", "b", "c"],
  "me-central-1": ["a", "b", "c"],
  "af-south-1": ["a", "b", "c"],
  "ap-east-1": ["a", "b", "c"],
  "ap-east-2": ["a", "b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": ["a", "b", "c", "d"],
  "ap-northeast-3": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-southeast-3": ["a", "b", "c"],
  "ap-southeast-4": ["a", "b", "c"],
  "ap-southeast-5": ["a", "b", "c"],
  "ap-southeast-6": ["a", "b", "c"],
  "ap-southeast-7": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "ap-south-2": ["a", "b", "c"],
};

/** Every region name of the table, sorted, for messages. */
export const REGION_NAMES: readonly string[] = Object.keys(REGION_AZ_LETTERS).sort();

/** True for a region of the table (a region of the `aws` partition). */
export function isRegionName(region: string): boolean {
  return typeof region === "string" && Object.hasOwn(REGION_AZ_LETTERS, region);
}

/** The message part that tells what to write instead of a region that is not in the table. */
export function regionFix(region: unknown): string {
  if (typeof region === "string" && /^(cn|us-gov)-/.test(region)) {
    return "is in the China or GovCloud partition, which this platform has not been verified in (AZ letters, endpoints, log delivery accounts); use a region of the aws partition.";
  }
  const close = typeof region === "string" ? REGION_NAMES.filter((r) => editDistance(r, region) <= 2) : [];
  return close.length > 0
    ? `is not an AWS region; did you mean ${close.map((r) => `"${r}"`).join(" or ")}?`
    : `is not an AWS region; use one like "ap-northeast-1" (known: ${REGION_NAMES.join(", ")}).`;
}

/** AZ names usable in a region, in a stable order (e.g. ap-northeast-1a, ap-northeast-1c, …). */
export function availabilityZones(region: string): string[] {
  return (REGION_AZ_LETTERS[region] ?? ["a", "b", "c"]).map((letter) => `${region}${letter}`);
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
