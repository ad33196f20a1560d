/**
 * The task sizes Fargate offers (Linux, platform 1.4.0+): for each CPU value (CPU units,
 * 1024 = 1 vCPU) the memory values (MiB) it accepts. Anything else fails at RegisterTaskDefinition,
 * i.e. during `apply`, so it is checked at synth instead.
 * Source: "Task CPU and memory" in the Amazon ECS developer guide.
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** CPU values Fargate accepts, ascending. */
export const FARGATE_CPU_VALUES: readonly number[] = Object.keys(FARGATE_TASK_SIZES).map(Number);

/** Memory values (MiB) Fargate accepts for a CPU value; empty when the CPU value itself is not offered. */
export function fargateMemoryOptions(cpu: number): readonly number[] {
  return FARGATE_TASK_SIZES[cpu] ?? [];
}

export function isValidFargateSize(cpu: number, memoryMiB: number): boolean {
  return fargateMemoryOptions(cpu).includes(memoryMiB);
}

/** Describes the memory values of a CPU value compactly, e.g. "2048, 3072, …, 8192". */
export function describeMemoryOptions(cpu: number): string {
  const options = fargateMemoryOptions(cpu);
  if (options.length <= 8) return options.join(", ");
  return `${options[0]}, ${options[1]}, …, ${options[options.length - 1]} (steps of ${options[1]! - options[0]!})`;
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
