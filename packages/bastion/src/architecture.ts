/** CPU architecture of an EC2 instance type, as AMI names and SSM parameters spell it. */
export type CpuArchitecture = "x86_64" | "arm64";

const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;

/** True when `instanceType` looks like an EC2 instance type (`t3.nano`, `m7gd.large`). */
export function isInstanceTypeName(instanceType: string): boolean {
  return INSTANCE_TYPE.test(instanceType);
}

/**
 * The architecture an instance type runs: Graviton families carry a `g` among the letters
 * after the generation (`t4g`, `m6gd`, `c7gn`, `is4gen`), and `a1` is the first Graviton;
 * everything else (including GPU families such as `g4dn`, where `g` is the family) is x86_64.
 */
export function instanceArchitecture(instanceType: string): CpuArchitecture {
  const match = INSTANCE_TYPE.exec(instanceType);
  if (!match) return "x86_64";
  const [, family, , attributes] = match;
  return family === "a" || attributes!.includes("g") ? "arm64" : "x86_64";
}

/** Burstable families (`t2`, `t3`, `t3a`, `t4g`) earn CPU credits; only they take a credit specification. */
export function isBurstable(instanceType: string): boolean {
  return /^t\d/.test(instanceType);
}

/**
 * Public SSM parameter holding the newest Amazon Linux 2023 AMI for an architecture. The
 * standard (not minimal) image ships the SSM agent the bastion needs.
 */
export function amazonLinux2023Parameter(architecture: CpuArchitecture): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}
