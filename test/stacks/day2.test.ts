/**
 * Day 2 on fixed capacity: pinned AMI releases, instance refreshes that fit the Outpost, the
 * upgrade order checked at plan time, service-link alarms, and the capacity report's arithmetic.
 */
import { Blueprint } from "../../config";
import { CONNECTED_STATUS_METRIC } from "../../modules/outpost-monitoring";
import { eksOptimizedAmiParameter } from "../../modules/outpost-node-group";
import { capacityLines, capacityReport } from "../../cli/capacity";
import { byPath, dataSourcesOf, EKS_EXAMPLES, exampleWith, loadExample, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

async function stacksOf(blueprint: Blueprint): Promise<Record<string, Json>> {
  const synth = await synthBlueprint(blueprint);
  try {
    return Object.fromEntries(synth.stackNames.map((name) => [name, synth.json(name)]));
  } finally {
    synth.dispose();
  }
}

describe("AMI releases", () => {
  it.each([
    ["al2023", "x86_64", undefined, "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id"],
    ["al2023", "arm64", "v20251103", "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/amazon-eks-node-al2023-arm64-standard-1.33-v20251103/image_id"],
    ["al2", "x86_64", "v20251103", "/aws/service/eks/optimized-ami/1.33/amazon-linux-2/amazon-eks-node-1.33-v20251103/image_id"],
    ["al2", "arm64", "v20251103", "/aws/service/eks/optimized-ami/1.33/amazon-linux-2-arm64/amazon-eks-arm64-node-1.33-v20251103/image_id"],
    ["bottlerocket", "x86_64", undefined, "/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id"],
    ["bottlerocket", "arm64", "1.49.0", "/aws/service/bottlerocket/aws-k8s-1.33/arm64/1.49.0/image_id"],
  ] as const)("%s %s release %s: %s", (family, architecture, release, parameter) => {
    expect(eksOptimizedAmiParameter("1.33", family, architecture, release)).toBe(parameter);
  });

  it("pins the blueprint's release on every node group, a group's own release first", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.workers = { amiRelease: "v20251103" };
      raw.nodeGroups[1].ami = { family: "al2023", release: "v20251020" };
    });
    const parameters = Object.values(dataSourcesOf((await stacksOf(blueprint)).workers, "aws_ssm_parameter")).map((p: any) => p.name);
    expect(parameters).toEqual([
      "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20251103/image_id",
      "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20251020/image_id",
    ]);
  });
});

describe.each(EKS_EXAMPLES)("rollouts and alarms of %s", (example) => {
  let blueprint: Blueprint;
  let stacks: Record<string, Json>;
  beforeAll(async () => {
    blueprint = loadExample(example);
    stacks = await stacksOf(blueprint);
  });

  it("refreshes every node group one node at a time, terminating first, when its launch template changes", () => {
    const groups = byPath(resourcesOf(stacks.workers, "aws_autoscaling_group"));
    expect(Object.keys(groups)).toHaveLength(blueprint.nodeGroups.length);
    for (const nodeGroup of blueprint.nodeGroups) {
      const group = groups[`node-group-${nodeGroup.name}/auto-scaling-group`];
      // Below 100 % the refresh terminates first; the largest percentage that keeps all but one node
      // (capacity rounded up) replaces one at a time. Max 100 keeps it from launching first.
      const desired = (nodeGroup.desiredSize ?? nodeGroup.minSize) + nodeGroup.spareNodes;
      const oneAtATime = desired <= 1 ? 0 : Math.floor((100 * (desired - 1)) / desired);
      expect(Math.ceil((oneAtATime * desired) / 100)).toBe(Math.max(desired - 1, 0));
      expect(group.instance_refresh).toEqual({
        strategy: "Rolling",
        preferences: { min_healthy_percentage: oneAtATime, max_healthy_percentage: 100, instance_warmup: "300", skip_matching: true },
      });
      expect(group.launch_template.version).toMatch(/latest_version\}$/);
    }
  });

  it("refuses at plan time a node version ahead of the control plane", () => {
    for (const group of Object.values(resourcesOf(stacks.workers, "aws_autoscaling_group")) as Json[]) {
      expect(group.lifecycle.precondition[0].condition).toMatch(
        /^\$\{\(tonumber\(element\(split\("\.", data\.terraform_remote_state\.control-plane\.outputs\.kubernetes_version\), 1\)\) >= \d+\)\}$/,
      );
    }
  });

  it("alarms on each rack's service link, into one topic (servers: none, AWS documents the metric for racks)", () => {
    const alarms = byPath(resourcesOf(stacks.network, "aws_cloudwatch_metric_alarm"));
    const racks = blueprint.outposts.filter((outpost) => outpost.formFactor === "rack");
    expect(Object.keys(alarms)).toHaveLength(racks.length);
    for (const outpost of racks) {
      const alarm = alarms[`disconnect-alarms/disconnected-${outpost.name}`];
      expect(alarm).toMatchObject({
        namespace: CONNECTED_STATUS_METRIC.namespace,
        metric_name: "ConnectedStatus",
        dimensions: { OutpostId: outpost.arn.split("/")[1] },
        statistic: "Average",
        threshold: 1,
        comparison_operator: "LessThanThreshold",
        treat_missing_data: "breaching",
        evaluation_periods: 5,
        period: 60,
      });
      expect(alarm.alarm_name).toBe(`${blueprint.name}-${outpost.name}-service-link`);
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.disconnect-alarms_topic_\w+\.arn\}$/)]);
    }
    // The outputs tell the operator where the alarms go.
    const topicOutput = racks.length > 0 ? expect.stringMatching(/^\$\{aws_sns_topic\.disconnect-alarms_topic_\w+\.arn\}$/) : "";
    expect(stacks.network.output.disconnect_alarm_topic_arn.value).toEqual(topicOutput);
    expect(Object.keys(stacks.network.output.disconnect_alarm_names.value)).toEqual(racks.map((outpost) => outpost.name));
  });
});

describe("fixed capacity", () => {
  it("checks the cluster is not updating before a local cluster's nodes change", async () => {
    const groups = Object.values(resourcesOf((await stacksOf(loadExample("local-cluster.yaml"))).workers, "aws_autoscaling_group")) as Json[];
    for (const group of groups) {
      expect(group.lifecycle.precondition[1]).toEqual({
        condition: '${(data.aws_eks_cluster.cluster-status.status != "UPDATING")}',
        error_message: expect.stringContaining("control-plane instances are being replaced one at a time"),
      });
    }
  });

  it("turns a surge covered by spare nodes into a maximum healthy percentage over the desired count", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.nodeGroups[0].spareNodes = 1;
      raw.nodeGroups[0].rollout = { maxSurge: 1, minHealthyPercentage: 100 };
    });
    const groups = byPath(resourcesOf((await stacksOf(blueprint)).workers, "aws_autoscaling_group"));
    // desired = minSize 2 + 1 spare = 3; one extra node = ceil(100 / 3) = 34 % over.
    expect(groups["node-group-rack-a-general/auto-scaling-group"].instance_refresh.preferences).toEqual({
      min_healthy_percentage: 100,
      max_healthy_percentage: 134,
      instance_warmup: "300",
      skip_matching: true,
    });
  });

  it("sends the alarms to an existing topic when given, creating none", async () => {
    const topic = "arn:aws:sns:us-west-2:111122223333:oncall";
    const network = (await stacksOf(exampleWith("extended-racks.yaml", (raw) => (raw.monitoring = { alarmTopicArn: topic })))).network;
    expect(resourcesOf(network, "aws_sns_topic")).toEqual({});
    for (const alarm of Object.values(resourcesOf(network, "aws_cloudwatch_metric_alarm")) as Json[]) expect(alarm.alarm_actions).toEqual([topic]);
  });

  it("reports capacity per Outpost: nodes at max, the refresh surge and the local control plane", () => {
    const local = exampleWith("local-cluster.yaml", (raw) => {
      raw.outposts[0].nodeSlots = 12;
      raw.nodeGroups[0].spareNodes = 1;
      raw.nodeGroups[0].rollout = { maxSurge: 1 };
    });
    const [rack] = capacityReport(local);
    expect(rack).toMatchObject({ outpost: "rack-1", nodesAtMax: 7, refreshSurge: 1, controlPlaneInstances: 3, peak: 11, nodeSlots: 12 });
    expect(capacityLines([rack])).toEqual([
      "rack-1: 11 instances at peak of 12 slots, 1 free",
      "  rack-1-workers: 7 at max (1 spare), +1 during a refresh",
      "  local control plane: 3 instances",
      "  = 7 nodes at max + 1 surge + 3 control plane",
    ]);
  });
});
