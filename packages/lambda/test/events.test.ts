import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  EventShapeError,
  defineEvent,
  defineJsonEnvironment,
  parameterStoreChange,
  scheduledEvent,
  secretRotationSucceeded,
} from "../src/events/index";

/** As SSM sends it (EventBridge envelope fields included). */
const ssmChange = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "Parameter Store Change",
  source: "aws.ssm",
  account: "123456789012",
  time: "2026-03-02T03:00:00Z",
  region: "ap-northeast-1",
  resources: ["arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/staging/DATABASE_URL"],
  detail: { name: "/acme/staging/DATABASE_URL", type: "SecureString", operation: "Update" },
};

const rotation = {
  source: "aws.secretsmanager",
  "detail-type": "AWS Service Event via CloudTrail",
  time: "2026-03-02T03:00:00Z",
  detail: {
    eventSource: "secretsmanager.amazonaws.com",
    eventName: "RotationSucceeded",
    additionalEventData: { SecretId: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1" },
  },
};

describe("AWS event definitions", () => {
  it("parse the events AWS sends, keeping fields they do not name", () => {
    const parsed = parameterStoreChange.parse(ssmChange);
    expect(parsed.detail).toEqual(ssmChange.detail);
    expect(parsed.time).toBe("2026-03-02T03:00:00Z");
    expect(secretRotationSucceeded.parse(rotation).detail.additionalEventData.SecretId).toContain("rds!db-1");
    expect(scheduledEvent.matches({ source: "aws.events", "detail-type": "Scheduled Event", detail: {} })).toBe(true);
  });

  it("build the pattern of the same source and detail-type, fixed detail fields first", () => {
    expect(secretRotationSucceeded.pattern({ additionalEventData: { SecretId: ["arn:x"] } })).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["AWS Service Event via CloudTrail"],
      detail: {
        eventSource: ["secretsmanager.amazonaws.com"],
        eventName: ["RotationSucceeded"],
        additionalEventData: { SecretId: ["arn:x"] },
      },
    });
    expect(parameterStoreChange.pattern()).toEqual({ source: ["aws.ssm"], "detail-type": ["Parameter Store Change"] });
  });

  it("accept exactly the events their own pattern describes", () => {
    const pattern = parameterStoreChange.pattern({ name: ["/acme/staging/DATABASE_URL"] });
    expect(pattern.source).toEqual([ssmChange.source]);
    expect(pattern["detail-type"]).toEqual([ssmChange["detail-type"]]);
    expect(parameterStoreChange.matches({ ...ssmChange, source: "aws.secretsmanager" })).toBe(false);
  });

  it("reject a malformed event with every problem, its path and the event", () => {
    const bad = { ...ssmChange, "detail-type": "Parameter Store Chnage", detail: { name: 42 } };
    const parse = () => parameterStoreChange.parse(bad);
    expect(parse).toThrow(EventShapeError);
    expect(parse).toThrow(
      /^Invalid aws\.ssm "Parameter Store Change" event \{.*"detail-type":"Parameter Store Chnage".*: detail-type: Invalid literal value, expected "Parameter Store Change"; detail\.name: Expected string, received number; detail\.operation: Required\.$/,
    );
    try {
      parse();
    } catch (e) {
      expect((e as EventShapeError).problems).toHaveLength(3);
      expect((e as EventShapeError).name).toBe("EventShapeError");
    }
  });

  it("shorten a large event in the message", () => {
    const message = (() => {
      try {
        scheduledEvent.parse({ blob: "x".repeat(5000) });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(message).toContain("...");
    expect(message.length).toBeLessThan(500);
  });
});

describe("defineEvent", () => {
  const ping = defineEvent("ping payload", z.object({ ping: z.literal(true) }).strict(), 'expected {"ping":true}');

  it("returns the typed payload or names each problem and the fix", () => {
    expect(ping.parse({ ping: true })).toEqual({ ping: true });
    expect(() => ping.parse({ ping: true, extra: 1 })).toThrow(
      /Invalid ping payload \{"ping":true,"extra":1\}: \(event\): Unrecognized key\(s\) in object: 'extra'; expected \{"ping":true\}\./,
    );
    expect(() => ping.parse(undefined)).toThrow(/Invalid ping payload undefined: \(event\): Required/);
  });
});

describe("defineJsonEnvironment", () => {
  const config = defineJsonEnvironment("APP_CONFIG", z.object({ services: z.record(z.string().min(1)) }).strict(), "AppConstruct");

  it("round-trips what the construct writes", () => {
    const value = { services: { web: "acme-web" } };
    expect(config.parse(config.serialize(value))).toEqual(value);
  });

  it("names the variable, each problem and the construct to redeploy through", () => {
    expect(() => config.parse(undefined)).toThrow("environment variable APP_CONFIG is not set; deploy the function through the AppConstruct construct.");
    expect(() => config.parse("{oops")).toThrow("environment variable APP_CONFIG is not JSON: {oops");
    expect(() => config.parse('{"services":{"web":""},"x":1}')).toThrow(
      "environment variable APP_CONFIG is invalid: services.web: String must contain at least 1 character(s); (event): Unrecognized key(s) in object: 'x'; redeploy it through the AppConstruct construct.",
    );
  });
});
