import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { synthesizeApp } from "@platform/core";
import { buildEnvironment } from "@platform/layers";
import { withImports } from "../../../apps/adopt-imports";
import { staging } from "../../../apps/staging/src/config";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { prod } from "../../../apps/prod/src/config";
import { AdoptInputError, readLiveStates } from "../live-state";
import { matchResources, sameValue } from "../match";
import { readOurStacks } from "../ours";
import { adoptionCounts, adoptionJson, adoptionMarkdown } from "../report";
import { ADOPT_RULES, identityOf } from "../rules";
import { AdoptRefusedError, planAdoption, writeImports, writeMovedStates } from "../run";
import { newStackStates } from "../state-mv";
import { statefulReplacements } from "../guard";
import { keepLiveDatabase, LEGACY_PROD, LEGACY_STAGING, STAGING_PLACE, synthEnvironment } from "./adopt-support";

const scratch = mkdtempSync(join(tmpdir(), "adopt-test-"));
let stagingOut = "";
let keptOut = "";
/** Prod as configured: synthesized once for the two tests that read it (neither writes into it). */
let prodOut = "";

beforeAll(() => {
  stagingOut = synthEnvironment();
  keptOut = synthEnvironment(undefined, keepLiveDatabase);
  prodOut = synthEnvironment(prod);
});
afterAll(() => {
  for (const dir of [scratch, stagingOut, keptOut, prodOut]) rmSync(dir, { recursive: true, force: true });
});

/** A minimal state file in `dir`. */
function writeState(dir: string, file: string, body: unknown): string {
  const path = join(dir, file);
  writeFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
  return path;
}

const ecrState = (name: string, arnRegion = "ap-northeast-1", account = "123456789012") => ({
  version: 4,
  terraform_version: "1.9.0",
  serial: 3,
  lineage: "x",
  outputs: {},
  resources: [
    {
      mode: "managed",
      type: "aws_ecr_repository",
      name: "web",
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { id: name, name, arn: `arn:aws:ecr:${arnRegion}:${account}:repository/${name}` } }],
    },
  ],
});

describe("the rule table", () => {
  it("has a rule for every resource type the staging and prod stacks emit", () => {
    const types = new Set([...readOurStacks(stagingOut, "staging"), ...readOurStacks(prodOut, "prod")].flatMap((s) => s.resources.map((r) => r.type)));
    expect([...types].filter((t) => !ADOPT_RULES[t])).toEqual([]);
  });

  it("builds each type's import ID in the provider's documented form", () => {
    expect(ADOPT_RULES.aws_route_table_association!.importId!({ subnet_id: "subnet-1", route_table_id: "rtb-2" })).toBe("subnet-1/rtb-2");
    expect(ADOPT_RULES.aws_route!.importId!({ route_table_id: "rtb-2", destination_cidr_block: "0.0.0.0/0" })).toBe("rtb-2_0.0.0.0/0");
    expect(ADOPT_RULES.aws_ecs_service!.importId!({ cluster: "arn:aws:ecs:ap-northeast-1:1:cluster/c", name: "web" })).toBe("c/web");
    expect(ADOPT_RULES.aws_iam_role_policy!.importId!({ role: "r", name: "p" })).toBe("r:p");
    expect(ADOPT_RULES.aws_route53_record!.importId!({ zone_id: "Z1", name: "www.example.com", type: "A" })).toBe("Z1_www.example.com_A");
    expect(ADOPT_RULES.aws_db_instance!.importId!({ id: "db-ABC", identifier: "app-db" })).toBe("app-db");
    expect(ADOPT_RULES.aws_lambda_invocation!.importId).toBeUndefined();
  });

  it("compares identities without a trailing dot or case, and never on an unresolved reference", () => {
    expect(identityOf({ name: "Example.com." }, ["name"])).toBe(identityOf({ name: "example.com" }, ["name"]));
    expect(identityOf({ vpc_id: "${aws_vpc.x.id}", cidr_block: "10.0.0.0/24" }, ["vpc_id", "cidr_block"])).toBeUndefined();
    expect(identityOf({ tags: { Name: "a" } }, ["tags.Name"])).toBe("a");
  });

  it("treats a block as a one-element list, numbers as their text, JSON by meaning", () => {
    expect(sameValue({ scan_on_push: true }, [{ scan_on_push: true, extra: 1 }])).toBe(true);
    expect(sameValue(5432, "5432")).toBe(true);
    expect(sameValue('{"a":1,"b":2}', '{"b":2,"a":1}')).toBe(true);
    expect(sameValue(["a"], ["a", "b"])).toBe(false);
  });
});

describe("adopting the legacy staging fixture", () => {
  it("pairs by identity, lists what matches nothing and what is new, and counts", () => {
    const a = planAdoption({ place: STAGING_PLACE, from: LEGACY_STAGING, outdir: stagingOut });
    const by = (address: string) => a.matched.find((m) => m.ours.address.startsWith(address));
    expect(by("aws_vpc.network_vpc")?.by).toBe("cidr_block = 10.0.0.0/16");
    expect(by("aws_subnet.network_private-ap-northeast-1a")?.live.address).toBe("aws_subnet.priv_a");
    expect(by("aws_ecr_repository.repositories_web")?.importId).toBe("bookmark-manager-staging-web");
    expect(by("aws_s3_bucket.assets_bucket")?.importId).toBe("bookmark-manager-staging-assets-123456789012");
    expect(by("aws_route_table_association.network_public-ap-northeast-1a")?.importId).toMatch(/^subnet-[0-9a-f]+\/rtb-[0-9a-f]+$/);
    // The legacy database has another identifier: paired as the only one, flagged as a replace.
    const db = by("aws_db_instance.postgres_instance")!;
    expect(db.by).toBe("only aws_db_instance on both sides");
    expect(db.immutable).toEqual([
      { attribute: "identifier", live: "bookmark-manager-staging-postgres", ours: "bookmark-manager-staging-db", setting: "database.identifier" },
    ]);
    expect(db.changes.map((c) => c.attribute)).toContain("backup_retention_period");
    expect(a.unmatched.map((l) => `${l.unit}:${l.address}`)).toEqual(
      expect.arrayContaining([
        "database:aws_ssm_parameter.database_url",
        "security:aws_security_group.rds",
        "compute:aws_lb_target_group.web_tg",
        // Staging no longer runs interface endpoints (issue 14): the seed's three stay in the old state.
        "network:aws_vpc_endpoint.ecr_api",
        "network:aws_vpc_endpoint.ecr_dkr",
        "network:aws_vpc_endpoint.logs",
      ]),
    );
    expect(a.created.map((c) => c.ours.address)).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_kms_key\.secrets-key/)]));
    expect(adoptionCounts(a)).toEqual({ matched: 29, unmatched: 15, created: 78, changedAttributes: 29, immutableDifferences: 5 });
  });

  it("reports in Markdown and JSON, naming the setting that keeps the live identifier", () => {
    const a = planAdoption({ place: STAGING_PLACE, from: LEGACY_STAGING, outdir: stagingOut });
    const md = adoptionMarkdown(a);
    expect(md).toContain("| staging-database | `aws_db_instance.postgres_instance_919E2690` | identifier | `bookmark-manager-staging-postgres` | `bookmark-manager-staging-db` | `database.identifier` |");
    expect(md).toContain("- database: `aws_ssm_parameter.database_url`");
    const json = adoptionJson(a) as { counts: { matched: number }; matched: Array<{ address: string; importId: string | null }> };
    expect(json.counts.matched).toBe(29);
    expect(json.matched.find((m) => m.address.startsWith("aws_vpc."))?.importId).toMatch(/^vpc-/);
  });

  it("refuses to write imports while a stateful resource would be replaced, naming it and the setting", () => {
    const a = planAdoption({ place: STAGING_PLACE, from: LEGACY_STAGING, outdir: stagingOut });
    expect(() => writeImports(a, join(scratch, "refused"))).toThrow(AdoptRefusedError);
    expect(() => writeImports(a, join(scratch, "refused"))).toThrow(/aws_db_instance\.postgres_instance_919E2690.*set database\.identifier = "bookmark-manager-staging-postgres"/);
    expect(existsSync(join(scratch, "refused"))).toBe(false);
  });

  it("writes one import file per stack once the live identifier is kept", () => {
    const a = planAdoption({ place: STAGING_PLACE, from: LEGACY_STAGING, outdir: keptOut });
    expect(statefulReplacements(a)).toEqual([]);
    // What still differs where a change replaces is stateless (names of the DB subnet and parameter groups, ECR lifecycle policies).
    expect(a.matched.filter((m) => m.immutable.length > 0).map((m) => m.ours.type).sort()).toEqual([
      "aws_db_parameter_group",
      "aws_db_subnet_group",
      "aws_ecr_lifecycle_policy",
      "aws_ecr_lifecycle_policy",
    ]);
    const dir = join(scratch, "imports");
    const files = writeImports(a, dir).map((f) => f.slice(dir.length + 1)).sort();
    expect(files).toEqual([
      "staging-compute.json",
      "staging-database.json",
      "staging-network.json",
      "staging-registry.json",
      "staging-storage.json",
    ]);
    const database = JSON.parse(readFileSync(join(dir, "staging-database.json"), "utf8")) as Array<{ to: string; id: string }>;
    expect(database).toContainEqual({ to: "aws_db_instance.postgres_instance_919E2690", id: "bookmark-manager-staging-postgres" });
  });

  it("state-mv: backs the old states up, moves the matched resources to the new addresses, trims the old states", () => {
    const from = join(scratch, "pulled");
    cpSync(LEGACY_STAGING, from, { recursive: true });
    const a = planAdoption({ place: STAGING_PLACE, from, outdir: keptOut });
    const { backup, written } = writeMovedStates(a, from, join(scratch, "new-states"), "t1");
    expect(readdirSync(backup).sort()).toEqual(readdirSync(LEGACY_STAGING).sort());
    expect(readFileSync(join(backup, "database.tfstate"), "utf8")).toBe(readFileSync(join(LEGACY_STAGING, "database.tfstate"), "utf8"));
    expect(written).toContain(join(scratch, "new-states", "staging-database.tfstate"));
    const moved = JSON.parse(readFileSync(join(scratch, "new-states", "staging-database.tfstate"), "utf8")) as {
      version: number;
      resources: Array<{ type: string; name: string; instances: Array<{ attributes: { identifier?: string } }> }>;
    };
    expect(moved.version).toBe(4);
    expect(moved.resources.find((r) => r.type === "aws_db_instance")).toMatchObject({
      name: "postgres_instance_919E2690",
      instances: [{ attributes: { identifier: "bookmark-manager-staging-postgres" } }],
    });
    const left = JSON.parse(readFileSync(join(from, "database.tfstate"), "utf8")) as { resources: Array<{ type: string }> };
    expect(left.resources.map((r) => r.type)).toEqual(["aws_ssm_parameter"]);
    expect(() => writeMovedStates(a, from, join(scratch, "new-states"), "t1")).toThrow(/exists already/);
  });

  it("state-mv keeps every moved resource's attributes and schema version as the old state held them", () => {
    const a = planAdoption({ place: STAGING_PLACE, from: LEGACY_STAGING, outdir: keptOut });
    const states = newStackStates(a);
    const total = [...states.values()].reduce((n, text) => n + (JSON.parse(text) as { resources: unknown[] }).resources.length, 0);
    expect(total).toBe(a.matched.length);
  });
});

describe("adopting the legacy prod fixture (seed 003: Aurora, NAT, zone)", () => {
  const prodPlace = { name: prod.environment.name, region: prod.environment.region, accountId: prod.environment.accountId };
  const keepLiveCluster = (p: typeof prod): typeof prod =>
    p.database.kind !== "aurora-serverless-v2"
      ? p
      : {
          ...p,
          database: {
            ...p.database,
            identifier: "bookmark-manager-prod-aurora-cluster",
            instanceIdentifiers: { writer: "bookmark-manager-prod-aurora-cluster-one", reader: "bookmark-manager-prod-aurora-cluster-two" },
          },
        };

  it("names the settings that keep the live cluster and instance identifiers, and counts", () => {
    const a = planAdoption({ place: prodPlace, from: LEGACY_PROD, outdir: prodOut });
    expect(adoptionCounts(a)).toEqual({ matched: 33, unmatched: 5, created: 152, changedAttributes: 36, immutableDifferences: 5 });
    expect(statefulReplacements(a).map((r) => r.split(" (")[0])).toEqual([
      "prod-database aws_rds_cluster.aurora_cluster_059EF40F",
      "prod-database aws_rds_cluster_instance.aurora_reader_4D5CB5F2",
      "prod-database aws_rds_cluster_instance.aurora_writer_E7281974",
    ]);
    const settings = a.matched.flatMap((m) => m.immutable.map((i) => i.setting)).filter((x) => x.startsWith("database."));
    expect(settings.sort()).toEqual(["database.identifier", "database.instanceIdentifiers.reader", "database.instanceIdentifiers.writer"]);
    // The instances carry other names: found by their cluster and zone.
    expect(a.matched.find((m) => m.ours.address.startsWith("aws_rds_cluster_instance.aurora_writer"))?.live.address).toBe("aws_rds_cluster_instance.one");
    expect(a.matched.find((m) => m.ours.type === "aws_route53_zone")?.by).toBe("name = tidilyspace.app");
  });

  it("has nothing stateful left to replace once the identifiers are kept", () => {
    const out = synthEnvironment(prod, keepLiveCluster);
    try {
      const a = planAdoption({ place: prodPlace, from: LEGACY_PROD, outdir: out });
      expect(statefulReplacements(a)).toEqual([]);
      expect(adoptionCounts(a)).toMatchObject({ matched: 33, immutableDifferences: 2 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("import files carried into synth", () => {
  const synthWith = (files: Record<string, string>) => {
    const appsDir = mkdtempSync(join(scratch, "apps-"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(appsDir, "staging", "imports"), { recursive: true });
      writeFileSync(join(appsDir, "staging", "imports", name), text);
    }
    const outdir = mkdtempSync(join(scratch, "out-"));
    synthesizeApp((app) => {
      buildEnvironment(app, staging);
      withImports(app, appsDir);
    }, { outdir });
    return (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { import?: unknown };
  };

  it("adds top-level import blocks to the stacks with a file, and nothing elsewhere", () => {
    const read = synthWith({ "staging-registry.json": JSON.stringify([{ to: "aws_ecr_repository.x", id: "repo" }]) });
    expect(read("staging-registry").import).toEqual([{ to: "aws_ecr_repository.x", id: "repo" }]);
    expect(read("staging-network").import).toBeUndefined();
  });

  it("fails on a file that is not a list of { to, id }, naming it", () => {
    expect(() => synthWith({ "staging-storage.json": JSON.stringify([{ to: "aws_s3_bucket.x" }]) })).toThrow(/staging-storage\.json: expected a list of/);
  });
});

describe("bad input names the file", () => {
  const place = STAGING_PLACE;
  const dir = (name: string) => {
    const d = join(scratch, name);
    cpSync(LEGACY_STAGING, d, { recursive: true, filter: () => true });
    return d;
  };

  it("fails on a file that is not a state, and on a state format it does not read, listing both", () => {
    const d = join(scratch, "bad");
    cpSync(LEGACY_STAGING, d, { recursive: true });
    writeState(d, "notes.json", "not json at all");
    writeState(d, "old.tfstate", { version: 3, serial: 1, lineage: "l", modules: [] });
    writeState(d, "plan.json", { format_version: "1.2", resource_changes: [] });
    let error: AdoptInputError | undefined;
    try {
      readLiveStates(d, place);
    } catch (e) {
      error = e as AdoptInputError;
    }
    expect(error).toBeInstanceOf(AdoptInputError);
    expect(error!.problems).toHaveLength(3);
    expect(error!.problems.join("\n")).toMatch(/notes\.json: not a Terraform state file \(not JSON\)/);
    expect(error!.problems.join("\n")).toMatch(/old\.tfstate: state format version 3; adopt reads version 4 only/);
    expect(error!.problems.join("\n")).toMatch(/plan\.json: not a Terraform state file \(no "version" and "resources"\)/);
  });

  it("fails on a unit from another region or another account", () => {
    const d = join(scratch, "elsewhere");
    cpSync(LEGACY_STAGING, d, { recursive: true });
    writeState(d, "virginia.tfstate", ecrState("x", "us-east-1"));
    writeState(d, "other-account.tfstate", ecrState("y", "ap-northeast-1", "210987654321"));
    expect(() => readLiveStates(d, place)).toThrow(/virginia\.tfstate: unit "virginia" is from region us-east-1, but staging runs in region ap-northeast-1/);
    expect(() => readLiveStates(d, place)).toThrow(/other-account\.tfstate: unit "other-account" is from account 210987654321/);
  });

  it("fails when two live resources match one of ours", () => {
    const d = dir("twice");
    writeState(d, "ecr-copy.tfstate", ecrState("bookmark-manager-staging-web"));
    expect(() => planAdoption({ place, from: d, outdir: stagingOut })).toThrow(
      /aws_ecr_repository\.repositories_web_repository_B9E31F47: 2 live resources match by name = bookmark-manager-staging-web: aws_ecr_repository\.web in .*ecr-copy\.tfstate; aws_ecr_repository\.web in .*ecr\.tfstate/,
    );
  });

  it("reads a single state file as one unit", () => {
    const units = readLiveStates(join(LEGACY_STAGING, "ecr.tfstate"), place);
    expect(units.map((u) => [u.unit, u.resources.length])).toEqual([["ecr", 4]]);
    const a = matchResources("staging", readOurStacks(stagingOut, "staging"), units);
    expect(a.matched.map((m) => m.ours.stack)).toEqual(["staging-registry", "staging-registry", "staging-registry", "staging-registry"]);
  });
});
