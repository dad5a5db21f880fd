/**
 * Which Outposts get a service-link alarm, and the synth warnings about who hears of them
 * (config/derived.ts), read back from the synthesized network stack and its annotations.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { disconnectAlarmOutposts, monitoringWarnings } from "../../config";
import { exampleWith, loadExample, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

async function networkOf(blueprint: ReturnType<typeof loadExample>): Promise<{ stack: Json; warnings: string[] }> {
  const synth = await synthBlueprint(blueprint);
  try {
    const manifest = JSON.parse(readFileSync(path.join(synth.outdir, "manifest.json"), "utf8"));
    const warnings = (manifest.stacks.network.annotations as Json[]).filter((a) => a.level === "@cdktf/warn").map((a) => a.message as string);
    return { stack: synth.json("network"), warnings };
  } finally {
    synth.dispose();
  }
}

describe("disconnect alarms", () => {
  it("racks only: a server gets no alarm on a metric AWS documents for racks, and a warning says so", async () => {
    const servers = loadExample("extended-servers-lni.yaml");
    expect(servers.outposts.every((outpost) => outpost.formFactor === "server")).toBe(true);
    expect(servers.monitoring.disconnectAlarms).toBe(true);
    expect(disconnectAlarmOutposts(servers)).toEqual([]);
    const { stack, warnings } = await networkOf(servers);
    expect(resourcesOf(stack, "aws_cloudwatch_metric_alarm")).toEqual({});
    expect(resourcesOf(stack, "aws_sns_topic")).toEqual({});
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^No service-link alarm for the Outposts server\(s\) /)]));
  });

  it("warns when the alarms notify nobody, and not once someone is subscribed", async () => {
    const racks = loadExample("extended-racks.yaml");
    expect(monitoringWarnings(racks)).toEqual([expect.stringMatching(/^monitoring\.notify is empty/)]);
    const notified = exampleWith("extended-racks.yaml", (raw) => (raw.monitoring = { ...raw.monitoring, notify: { emails: ["oncall@example.com"] } }));
    expect(monitoringWarnings(notified)).toEqual([]);
    const { stack, warnings } = await networkOf(notified);
    expect((Object.values(resourcesOf(stack, "aws_sns_topic_subscription")) as Json[]).map((s) => [s.protocol, s.endpoint])).toEqual([["email", "oncall@example.com"]]);
    expect(warnings.filter((warning) => warning.startsWith("monitoring.notify"))).toEqual([]);
    expect(Object.keys(resourcesOf(stack, "aws_cloudwatch_metric_alarm"))).toHaveLength(racks.outposts.length);
  });

  it("refuses a notify entry that is not an email, an HTTPS URL or an SNS topic ARN, naming the field", () => {
    for (const [field, value] of [
      ["emails", "not-an-email"],
      ["httpsEndpoints", "http://pager.example.com"],
      ["topicArns", "arn:aws:sqs:us-west-2:111122223333:q"],
    ] as const) {
      expect(() => exampleWith("extended-racks.yaml", (raw) => (raw.monitoring = { notify: { [field]: [value] } }))).toThrow(new RegExp(`monitoring\\.notify\\.${field}\\[0\\]`));
    }
  });
});
