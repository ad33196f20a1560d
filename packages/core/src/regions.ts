/**
 * Availability zone letters per region for accounts created today (some older accounts
 * see different sets). Synth checks an AZ count against this table so a typo fails
 * before a plan does; regions missing here are allowed with up to three AZs.
 */
export const REGION_AZ_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["a", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": ["a", "b", "c", "d"],
  "ap-northeast-3": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "sa-east-1": ["a", "b", "c"],
};

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const DEFAULT_AZ_LETTERS = ["a", "b", "c"] as const;

export function isRegionName(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/** AZ names usable in a region, in a stable order (e.g. ap-northeast-1a, ap-northeast-1c, …). */
export function availabilityZones(region: string): string[] {
  return (REGION_AZ_LETTERS[region] ?? DEFAULT_AZ_LETTERS).map((letter) => `${region}${letter}`);
}
