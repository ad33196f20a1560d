import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { movedFrom } from "../src/index";
import { synth, testStack } from "../src/testing";

describe("movedFrom", () => {
  it("emits a moved block from the address cdktf gave the former construct path", () => {
    // Before: topic "alerts" directly under "alarms". After: under "alarms/notify".
    const before = testStack("moved");
    new SnsTopic(new Construct(before, "alarms"), "alerts", { name: "t" });
    const [formerName] = Object.keys(synth(before).resource!.aws_sns_topic!);

    const after = testStack("moved");
    const parent = new Construct(after, "alarms");
    const topic = new SnsTopic(new Construct(parent, "notify"), "topic", { name: "t" });
    movedFrom(topic, parent, "alerts");
    const json = synth(after);
    const [name] = Object.keys(json.resource!.aws_sns_topic!);
    expect(name).not.toBe(formerName);
    expect(json.moved).toEqual([{ from: `aws_sns_topic.${formerName}`, to: `aws_sns_topic.${name}` }]);
  });

  it("emits nothing when the address did not change", () => {
    const stack = testStack("moved");
    const parent = new Construct(stack, "alarms");
    const topic = new SnsTopic(parent, "alerts", { name: "t" });
    movedFrom(topic, parent, "alerts");
    expect(synth(stack).moved).toBeUndefined();
  });
});
