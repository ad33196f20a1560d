import { describe, expect, it } from "vitest";
import { FARGATE_CPU_VALUES, describeMemoryOptions, fargateMemoryOptions, isValidFargateSize } from "../src/fargate-sizes";

describe("Fargate task sizes", () => {
  it("matches the ECS table of CPU and memory pairs", () => {
    expect(FARGATE_CPU_VALUES).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    expect(fargateMemoryOptions(256)).toEqual([512, 1024, 2048]);
    expect(fargateMemoryOptions(512)).toEqual([1024, 2048, 3072, 4096]);
    expect(fargateMemoryOptions(1024)).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(fargateMemoryOptions(2048)).toHaveLength(13);
    expect(fargateMemoryOptions(4096)).toEqual(expect.arrayContaining([8192, 30720]));
    expect(fargateMemoryOptions(4096)).toHaveLength(23);
    expect(fargateMemoryOptions(8192)).toEqual([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
    expect(fargateMemoryOptions(16384)[0]).toBe(32768);
    expect(fargateMemoryOptions(16384).at(-1)).toBe(122880);
  });

  it("accepts the seeds' sizes and rejects neighbours Fargate does not offer", () => {
    for (const [cpu, memory] of [[256, 512], [512, 1024], [1024, 2048]] as const) expect(isValidFargateSize(cpu, memory)).toBe(true);
    expect(isValidFargateSize(256, 4096)).toBe(false);
    expect(isValidFargateSize(1024, 1024)).toBe(false);
    expect(isValidFargateSize(8192, 18432)).toBe(false);
    expect(isValidFargateSize(300, 512)).toBe(false);
  });

  it("lists short option sets in full and long ones as a range with its step", () => {
    expect(describeMemoryOptions(512)).toBe("1024, 2048, 3072, 4096");
    expect(describeMemoryOptions(4096)).toBe("8192, 9216, …, 30720 (steps of 1024)");
  });
});
