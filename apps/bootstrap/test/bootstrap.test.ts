import { listResources, resourceAddresses, scrubVolatile, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { account } from "../src/config";
import { buildBootstrap } from "../src/main";

const stacks = synthAppStacks(buildBootstrap);
const bootstrap = stacks.bootstrap!;

describe("bootstrap", () => {
  it("is one account-wide stack on local state, kept outside cdktf.out", () => {
    expect(Object.keys(stacks)).toEqual(["bootstrap"]);
    expect((bootstrap.terraform as { backend: unknown }).backend).toEqual({
      local: { path: "../../../terraform.bootstrap.tfstate" },
    });
  });

  it("creates exactly the state bucket and lock table the environments use", () => {
    expect(listResources(bootstrap, "aws_s3_bucket").map((b) => b.bucket)).toEqual([account.state.bucket]);
    expect(listResources(bootstrap, "aws_dynamodb_table").map((t) => t.name)).toEqual([account.state.lockTable]);
  });

  it("matches the reviewed resource addresses and JSON", () => {
    expect(resourceAddresses(bootstrap)).toMatchSnapshot();
    expect(scrubVolatile(bootstrap)).toMatchSnapshot();
  });
});
