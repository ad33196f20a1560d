import { describe, expect, it } from "vitest";
import { onConfigPath } from "../src/config/construct-paths";

const at = (field: string) => onConfigPath({ field, value: 1, fix: "is wrong." }, "staging", ["web", "api"]).field;

describe("construct issues on the config path", () => {
  it("maps a prop the config sets under the same name to its config field", () => {
    expect(at("staging-network/network.flowLogs.kmsKeyArn")).toBe("staging.network.flowLogs.kmsKeyArn");
    expect(at("staging-database/postgres.identifier")).toBe("staging.database.identifier");
    expect(at("staging-network/network.publicSubnetCidrs[1]")).toBe("staging.network.publicSubnetCidrs[1]");
  });

  it("maps props the layer stacks rename, and a service's construct to compute.services.<key>", () => {
    expect(at("staging-database/aurora.scaling.minAcu")).toBe("staging.database.minAcu");
    expect(at("staging-storage/assets.bucketName")).toBe("staging.storage.assetsBucketName");
    expect(at("staging-storage/alb-logs.logRetentionDays")).toBe("staging.storage.albAccessLogs.retentionDays");
    expect(at("staging-compute/api.containers.app.readonlyRootFilesystem")).toBe("staging.compute.services.api.readonlyRootFilesystem");
    expect(at("staging-compute/web.containers.app.environment.API_TOKEN")).toBe("staging.compute.services.web.environment.API_TOKEN");
    expect(at("staging-compute/web.desiredCount")).toBe("staging.compute.services.web.desiredCount");
  });

  it("keeps the construct path for values the layer computed, other environments and unknown constructs", () => {
    expect(at("staging-database/postgres.namePrefix")).toBe("staging-database/postgres.namePrefix");
    expect(at("staging-compute/load-balancer.deletionProtection")).toBe("staging-compute/load-balancer.deletionProtection");
    expect(at("prod-database/postgres.identifier")).toBe("prod-database/postgres.identifier");
    expect(at("staging.database.identifier")).toBe("staging.database.identifier");
  });
});
