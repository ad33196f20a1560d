/**
 * The terraform tier of `pnpm adopt` on the legacy prod fixture (seed 003: Aurora whose cluster
 * and instances carry other identifiers, NAT, hosted zone, certificate, versioned bucket), the
 * stacks that hold state: each stack's state is built from the matched legacy resources at the
 * new addresses (what an import records) and planned with `-refresh=false`. With the live
 * identifiers kept in config (what the report asks for), no stateful resource is destroyed or
 * replaced. See adopt.test.ts for staging and the import blocks.
 */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prod } from "../../apps/prod/src/config";
import type { EnvironmentLayersConfig } from "@platform/layers";
import { refusals } from "../../scripts/adopt/guard";
import type { Adoption } from "../../scripts/adopt/match";
import { adoptionCounts } from "../../scripts/adopt/report";
import { planAdoption } from "../../scripts/adopt/run";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import { readPlan } from "../../scripts/shared/plan-json";
import { findTerraform } from "../../scripts/shared/terraform";
import { LEGACY_PROD, synthEnvironment } from "../../scripts/adopt/test/adopt-support";
import { planOnAdoptedStates } from "./adopt-tier";

const terraform = findTerraform();
const inCi = process.env.CI === "true";
const WORK_ROOT = resolve(".tf-test-adopt-prod");
const PLANNED = ["prod-database", "prod-dns", "prod-registry", "prod-storage"];

/** Prod as it adopts the fixture: the live cluster and instance identifiers kept. */
function keepLiveCluster(p: EnvironmentLayersConfig): EnvironmentLayersConfig {
  if (p.database.kind !== "aurora-serverless-v2") throw new Error("prod runs Aurora");
  return {
    ...p,
    database: {
      ...p.database,
      identifier: "bookmark-manager-prod-aurora-cluster",
      instanceIdentifiers: { writer: "bookmark-manager-prod-aurora-cluster-one", reader: "bookmark-manager-prod-aurora-cluster-two" },
    },
  };
}

describe.skipIf(!terraform && !inCi)("adopting the legacy prod fixture, offline", () => {
  let outdir = "";
  let adoption: Adoption;
  let checks: StackCheck[];
  let plans = new Map<string, string>();

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    outdir = synthEnvironment(prod, keepLiveCluster);
    const e = prod.environment;
    adoption = planAdoption({ place: { name: e.name, region: e.region, accountId: e.accountId }, from: LEGACY_PROD, outdir });
    rmSync(WORK_ROOT, { recursive: true, force: true });
    ({ checks, plans } = await planOnAdoptedStates(adoption, outdir, WORK_ROOT, PLANNED));
  }, 300_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("plans every adopted stack offline", () => {
    expect(checks.filter((c) => !c.ok).map((c) => `${c.stack}: ${c.error}`)).toEqual([]);
  });

  it("destroys and replaces no stateful resource: the cluster, its instances, the zone, the repositories and the bucket stay", () => {
    expect(refusals(plans).map((r) => `${r.stack} ${r.address}: ${r.why}`)).toEqual([]);
    const actions = new Map<string, string>();
    for (const [, file] of plans) for (const rc of readPlan(file).resource_changes ?? []) actions.set(rc.address, rc.change.actions.join("+"));
    const kept = adoption.matched.filter((m) =>
      ["aws_rds_cluster", "aws_rds_cluster_instance", "aws_route53_zone", "aws_ecr_repository", "aws_s3_bucket"].includes(m.ours.type),
    );
    expect(kept).toHaveLength(7);
    for (const m of kept) expect(["no-op", "update"], m.ours.address).toContain(actions.get(m.ours.address) ?? "no-op");
  });

  it("replaces only stateless resources whose values differ, as the report said", () => {
    const replaced = [...plans].flatMap(([, file]) =>
      (readPlan(file).resource_changes ?? []).filter((rc) => rc.change.actions.includes("delete")).map((rc) => rc.address),
    );
    const reported = adoption.matched.filter((m) => m.immutable.length > 0 && PLANNED.includes(m.ours.stack)).map((m) => m.ours.address);
    expect(replaced.sort()).toEqual(reported.sort());
  });

  it("counts the prod migration", () => {
    expect(adoptionCounts(adoption)).toEqual({ matched: 33, unmatched: 5, created: 152, changedAttributes: 36, immutableDifferences: 2 });
  });
});
