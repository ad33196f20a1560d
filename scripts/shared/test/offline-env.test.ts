import { describe, expect, it } from "vitest";
import { OFFLINE_ENV, offlineGoRuntime } from "../terraform";

describe("the Go runtime of offline terraform runs", () => {
  it("turns the collector off up to a 1 GiB heap when the shell says nothing", () => {
    expect(offlineGoRuntime({})).toEqual({ GOGC: "off", GOMEMLIMIT: "1GiB" });
  });

  it("keeps what the shell sets", () => {
    expect(offlineGoRuntime({ GOGC: "100", GOMEMLIMIT: "512MiB" })).toEqual({ GOGC: "100", GOMEMLIMIT: "512MiB" });
    expect(offlineGoRuntime({ GOGC: "200" })).toEqual({ GOGC: "200", GOMEMLIMIT: "1GiB" });
  });

  it("is part of every offline run's environment, beside the dummy credentials", () => {
    expect(OFFLINE_ENV).toMatchObject({ GOGC: expect.any(String), GOMEMLIMIT: expect.any(String), AWS_ACCESS_KEY_ID: "mock-access-key" });
  });
});
