/**
 * One planner for many processes that each plan small batches. Every terraform run costs the
 * provider schema's load in `plan` and again in `show` (about 4 CPU-s on 2 cores), whatever it
 * plans. Batches asked for while the planner's runs are busy wait, and then run together: one
 * generated root for all of them, as planBatch already does for the stacks of one batch
 * (test/terraform/plan-batch.test.ts proves the cut on a merged run). The terraform test tier
 * serves one from vitest's main process (test/terraform/global-setup.ts); its workers hand their
 * batches to it over HTTP (test/terraform/setup-shared-planner.ts, through `delegateBatches`).
 *
 * Each caller gets exactly what its own planBatch would have answered: job ids are qualified in
 * the merged run and unqualified in the answer; a merged run that fails (terraform stops at the
 * first error, whoever's it is) runs each batch again on its own, so each gets its own result.
 */
import { request as httpRequest, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { producerOf, type StackConfigJson } from "../shared/planned-outputs";
import type { TerraformSetup } from "../shared/terraform";
import { jobStackJson, planBatchHere, type BatchJob, type BatchOptions, type BatchResult } from "./plan-batch";

/** A job as it travels: its producers' state files listed, not computed by a function. */
interface WireJob extends Omit<BatchJob, "remoteState"> {
  readonly remoteStates: Readonly<Record<string, string>>;
}

interface WireRequest {
  readonly jobs: readonly WireJob[];
  readonly options: Omit<BatchOptions, "workDir">;
}

interface Queued {
  readonly jobs: readonly BatchJob[];
  readonly options: Omit<BatchOptions, "workDir">;
  readonly resolve: (results: Map<string, BatchResult>) => void;
  readonly reject: (error: unknown) => void;
}

export interface SharedPlannerLimits {
  /** Terraform runs at once: one can load its schema while another plans. @default 2 */
  readonly runs?: number;
  /** Jobs in one merged run (each starts its provider twice: memory and time grow with it). @default 24 */
  readonly jobs?: number;
  /** How long a batch that finds a run free waits for others asked at about the same moment. @default 500 ms (the tier alone: 23 runs, against 29 with 150 ms) */
  readonly gatherMs?: number;
}

/** Runs one (possibly merged) batch: {@link planBatchHere}, or a stand-in in tests. */
export type RunBatch = typeof planBatchHere;

export class SharedPlanner {
  private readonly queue: Queued[] = [];
  private running = 0;
  private runs = 0;
  private merged = 0;
  private rerun = 0;
  private readonly sizes: number[] = [];
  private gathering: NodeJS.Timeout | undefined;
  private readonly limits: Required<SharedPlannerLimits>;

  constructor(
    private readonly setup: TerraformSetup,
    private readonly workRoot: string,
    limits: SharedPlannerLimits = {},
    private readonly runBatch: RunBatch = planBatchHere,
  ) {
    this.limits = { runs: limits.runs ?? 2, jobs: limits.jobs ?? 24, gatherMs: limits.gatherMs ?? 500 };
  }

  /** What planBatch answers for `jobs`, planned with whatever else is waiting. */
  plan(jobs: readonly BatchJob[], options: Omit<BatchOptions, "workDir">): Promise<Map<string, BatchResult>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ jobs, options, resolve, reject });
      this.gathering ??= setTimeout(() => {
        this.gathering = undefined;
        this.pump();
      }, this.limits.gatherMs);
    });
  }

  /** Terraform runs made, and how many of them merged more than one batch. */
  stats(): { readonly runs: number; readonly merged: number; readonly rerun: number; readonly sizes: readonly number[] } {
    return { runs: this.runs, merged: this.merged, rerun: this.rerun, sizes: this.sizes };
  }

  private pump(): void {
    while (this.running < this.limits.runs && this.queue.length > 0) {
      const first = this.queue.shift()!;
      const group = [first];
      let jobs = first.options.mayFail ? this.limits.jobs : first.jobs.length;
      for (let i = 0; i < this.queue.length; ) {
        const next = this.queue[i]!;
        const fits = !next.options.mayFail && jobs + next.jobs.length <= this.limits.jobs;
        if (fits && Boolean(next.options.destroy) === Boolean(first.options.destroy)) {
          group.push(next);
          jobs += next.jobs.length;
          this.queue.splice(i, 1);
        } else i++;
      }
      this.running++;
      void this.run(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(group: readonly Queued[]): Promise<void> {
    if (group.length > 1) {
      this.merged++;
      const jobs = group.flatMap((q, i) => q.jobs.map((job) => ({ ...job, id: `q${i}_${job.id}` })));
      const diagnostics = group.some((q) => q.options.diagnostics);
      let results: Map<string, BatchResult> | undefined;
      try {
        results = await this.here(jobs, { destroy: group[0]!.options.destroy, diagnostics });
      } catch {
        // Planned again below, one batch at a time, where the error reaches its own caller.
      }
      if (results && [...results.values()].every((r) => r.ok)) {
        group.forEach((q, i) =>
          q.resolve(
            new Map(
              q.jobs.map((job) => {
                const result = results.get(`q${i}_${job.id}`)!;
                return [job.id, result.ok && !q.options.diagnostics ? { ...result, diagnostics: [] } : result];
              }),
            ),
          ),
        );
        return;
      }
      this.rerun++;
    }
    for (const q of group) {
      try {
        q.resolve(await this.here(q.jobs, q.options));
      } catch (error) {
        q.reject(error);
      }
    }
  }

  private async here(jobs: readonly BatchJob[], options: Omit<BatchOptions, "workDir">): Promise<Map<string, BatchResult>> {
    const workDir = join(this.workRoot, `run-${++this.runs}`);
    this.sizes.push(jobs.length);
    try {
      return await this.runBatch(this.setup, jobs, { ...options, workDir });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}

/** Serves `planner` on a free localhost port; resolves to its URL and a way to stop it. */
export async function servePlanner(planner: SharedPlanner): Promise<{ readonly url: string; readonly close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const wire = JSON.parse(Buffer.concat(chunks).toString("utf8")) as WireRequest;
      const jobs = wire.jobs.map(({ remoteStates, ...job }) => ({ ...job, remoteState: (producer: string) => stateOf(remoteStates, producer, job.id) }));
      planner.plan(jobs, wire.options).then(
        (results) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify([...results]));
        },
        (error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(error instanceof Error ? error.message : String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function stateOf(remoteStates: Readonly<Record<string, string>>, producer: string, job: string): string {
  const path = remoteStates[producer];
  if (!path) throw new Error(`batch job ${job}: no state file for producer ${producer}`);
  return path;
}

/** A planBatch runner that asks the planner at `url` (a worker's side of {@link servePlanner}). */
export function remotePlanner(url: string): (jobs: readonly BatchJob[], options: BatchOptions) => Promise<Map<string, BatchResult>> {
  return async (jobs, options) => {
    const { workDir: _workDir, ...rest } = options;
    const wire: WireRequest = { jobs: jobs.map(toWire), options: rest };
    const text = await post(url, JSON.stringify(wire));
    return new Map(JSON.parse(text) as Array<[string, BatchResult]>);
  };
}

function toWire(job: BatchJob): WireJob {
  const { remoteState, ...rest } = job;
  const remote = Object.values((jobStackJson(job) as StackConfigJson).data?.terraform_remote_state ?? {});
  return { ...rest, remoteStates: Object.fromEntries(remote.map((ds) => producerOf(ds.config)).map((producer) => [producer, remoteState(producer)])) };
}

/** A POST without fetch's 5-minute header timeout: a batch may wait its turn that long on a busy machine. */
function post(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`shared planner: ${text}`));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
