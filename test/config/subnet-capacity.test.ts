/**
 * Field review of issue 31: the Outpost subnet's demand model (config/rules/subnet-capacity.ts) counts
 * a local cluster's control plane, a server node's LNI and the CNI's next interface, and warns where
 * it cannot count; the network stack raises its warnings at synth.
 */
import { AnnotationMetadataEntryType, App } from "cdktf";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { interfaceLimitsOf } from "../../config/eni-limits";
import { RuleContext } from "../../config/rules/context";
import { outpostSubnetCapacityWarnings, outpostSubnetDemands } from "../../config/rules/subnet-capacity";
import { NetworkStack } from "../../stacks/network-stack";
import { broken, problemsOf } from "../helpers/problems";
import { exampleWith, rawExample } from "../helpers/synth";

const demandsOf = (raw: unknown) => outpostSubnetDemands(new RuleContext(raw).root);
const warningsOf = (raw: unknown) => outpostSubnetCapacityWarnings(new RuleContext(raw).root);

describe("Outpost subnet demand", () => {
  it("a local cluster's control plane sits in its Outpost's subnet: 3 instances, 6 with instance-store etcd", () => {
    expect(demandsOf(rawExample("local-cluster.yaml"))[0]).toMatchObject({ controlPlaneInstances: 3, lniPerNode: 0 });
    expect(demandsOf(rawExample("local-instance-store.yaml"))[0]).toMatchObject({ controlPlaneInstances: 6 });
    for (const subnet of demandsOf(rawExample("extended-racks.yaml"))) expect(subnet.controlPlaneInstances).toBe(0);
  });

  it("a server node's LNI takes one address of the subnet per node; a server without LNI none", () => {
    const [lni] = demandsOf(rawExample("extended-servers-lni.yaml"));
    expect(lni.lniPerNode).toBe(1);
    expect(lni.minimum).toBe(lni.nodes * 2);
    const [plain] = demandsOf(broken("extended-servers-lni.yaml", (r) => delete r.outposts[0].lniDeviceIndex));
    expect(plain.lniPerNode).toBe(0);
    expect(lni.atRest - plain.atRest).toBe(lni.nodes);
  });

  it("warns, without refusing, when the nodes' next interface (WARM_ENI_TARGET) does not fit", () => {
    // extended-racks: 4 m5.xlarge (4 × 15) at rest hold 60; with their next interface 120.
    const raw = broken("extended-racks.yaml", (r) => ((r.outposts[0].subnet.cidr = "10.0.3.0/25"), (r.addons.vpcCni.warmEniTarget = 1)));
    expect(problemsOf(raw).filter((p) => p.path === "outposts[0].subnet.cidr")).toEqual([]);
    const [subnet] = demandsOf(raw);
    expect(subnet).toMatchObject({ usable: 123, atRest: 60, withWarmInterface: 120 });
    expect(warningsOf(raw)).toEqual([]);
    const tight = broken("extended-racks.yaml", (r) => ((r.outposts[0].subnet.cidr = "10.0.3.0/25"), (r.nodeGroups[0].maxSize = 5)));
    expect(problemsOf(tight).filter((p) => p.path === "outposts[0].subnet.cidr")).toEqual([]);
    expect(warningsOf(tight)).toContainEqual(expect.stringMatching(/outposts\[0\]\.subnet\.cidr \(10\.0\.3\.0\/25\) has 123 usable addresses: enough for its nodes at rest \(\d+\), but .* hold 1\d\d: .*\/24 or larger/));
  });

  it("an instance type the table does not know is counted at one address per node and named in a warning", () => {
    const raw = broken("extended-racks.yaml", (r) => (r.nodeGroups[0].instanceType = "m9z.xlarge"));
    const [subnet] = demandsOf(raw);
    expect(subnet.unknownTypes).toEqual([{ group: raw.nodeGroups[0].name, instanceType: "m9z.xlarge" }]);
    expect(warningsOf(raw)).toContainEqual(expect.stringMatching(/nodeGroups\[.*\]\.instanceType m9z\.xlarge: its network interface limits are not in config\/eni-limits\.ts/));
    expect(warningsOf(rawExample("extended-racks.yaml"))).toEqual([]);
  });

  it("knows the 7th generation Intel metal sizes (15 interfaces of 50 addresses)", () => {
    for (const family of ["c7i", "m7i", "r7i"]) {
      for (const size of ["metal-24xl", "metal-48xl"]) expect(interfaceLimitsOf(`${family}.${size}`)).toEqual({ interfaces: 15, ipv4PerInterface: 50 });
    }
  });

  it("the network stack raises the warnings at synth", () => {
    const blueprint = exampleWith("extended-racks.yaml", (r) => (r.nodeGroups[0].instanceType = "m9z.xlarge"));
    const outdir = mkdtempSync(path.join(tmpdir(), "subnet-capacity-"));
    const stack = new NetworkStack(new App({ outdir }), blueprint);
    rmSync(outdir, { recursive: true, force: true });
    const warnings = stack.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
    expect(warnings).toContainEqual(expect.stringMatching(/m9z\.xlarge: its network interface limits are not in config\/eni-limits\.ts/));
  });
});
