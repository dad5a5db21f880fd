/** npm run openshift-fragments and npm run hypershift-infra: pure functions over the network stack's outputs (issue 23). */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { CREATE_INFRA_OUTPUT_FIELDS, hypershiftHandOff, hypershiftInfraJson } from "../../cli/hypershift-infra";
import { readNetworkOutputs } from "../../cli/network-state";
import { openshiftFragments, renderOpenshiftFragments } from "../../cli/openshift-fragments";
import { loadExample, synthBlueprint } from "../helpers/synth";

/** `terraform output -json` of the openshift-outposts example's network stack, with made-up IDs. */
const OPENSHIFT_OUTPUTS = {
  distribution: { value: "openshift" },
  region: { value: "us-west-2" },
  vpc_cidr: { value: "10.1.0.0/16" },
  regional_subnet_ids: { value: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"] },
  public_subnet_ids: { value: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"] },
  outpost_subnet_ids: { value: { "rack-a": "subnet-0ccccccccccccccc1" } },
  outpost_availability_zones: { value: { "rack-a": "us-west-2a" } },
  outpost_mtu: { value: 1300 },
  openshift_cluster_network_mtu: { value: 1200 },
  openshift_compute_instance_type: { value: "m5.xlarge" },
};
const values = (outputs: Record<string, { value: unknown }>) => Object.fromEntries(Object.entries(outputs).map(([name, entry]) => [name, entry.value]));

describe("openshiftFragments", () => {
  it("lists the regional subnets, private and public, in platform.aws.vpc.subnets with --vpc-subnets, and the machine network", () => {
    const config = parse(openshiftFragments(values(OPENSHIFT_OUTPUTS), { vpcSubnets: true }).installConfig);
    expect(config).toEqual({
      platform: {
        aws: {
          region: "us-west-2",
          vpc: { subnets: [{ id: "subnet-0aaaaaaaaaaaaaaa1" }, { id: "subnet-0aaaaaaaaaaaaaaa2" }, { id: "subnet-0bbbbbbbbbbbbbbb1" }, { id: "subnet-0bbbbbbbbbbbbbbb2" }] },
        },
      },
      networking: { networkType: "OVNKubernetes", machineNetwork: [{ cidr: "10.1.0.0/16" }] },
    });
  });

  it("writes platform.aws.subnets by default, which OpenShift 4.15's Outposts procedure documents and every 4.x installer reads", () => {
    expect(parse(openshiftFragments(values(OPENSHIFT_OUTPUTS)).installConfig).platform.aws.subnets).toHaveLength(4);
  });

  it("never lists the Outpost subnet in install-config: the installer's NLBs and control plane stay in the Region (seed 000)", () => {
    expect(openshiftFragments(values(OPENSHIFT_OUTPUTS)).installConfig).not.toContain("subnet-0ccccccccccccccc1");
  });

  it("sets the OVN-Kubernetes MTU to 1200: 1300 to the Region less 100 bytes", () => {
    expect(parse(openshiftFragments(values(OPENSHIFT_OUTPUTS)).networkManifest).spec.defaultNetwork.ovnKubernetesConfig.mtu).toBe(1200);
  });

  it("patches a MachineSet per Outpost with its subnet, AZ, the instance type and a gp2 root volume", () => {
    const patch = parse(openshiftFragments(values(OPENSHIFT_OUTPUTS)).machineSetPatches["rack-a"]);
    expect(patch.spec.template.spec.providerSpec.value).toEqual({
      instanceType: "m5.xlarge",
      placement: { region: "us-west-2", availabilityZone: "us-west-2a" },
      subnet: { id: "subnet-0ccccccccccccccc1" },
      blockDevices: [{ ebs: { volumeSize: 120, volumeType: "gp2", encrypted: true } }],
    });
  });

  it("takes --instance-type over the output, and requires one", () => {
    expect(parse(openshiftFragments(values(OPENSHIFT_OUTPUTS), { instanceType: "c5.2xlarge" }).machineSetPatches["rack-a"]).spec.template.spec.providerSpec.value.instanceType).toBe("c5.2xlarge");
    const without = values({ ...OPENSHIFT_OUTPUTS, openshift_compute_instance_type: { value: "" } });
    expect(() => openshiftFragments(without)).toThrow(/no instance type/);
  });

  it("refuses a HyperShift network, and outputs without the fields", () => {
    expect(() => openshiftFragments(values({ ...OPENSHIFT_OUTPUTS, distribution: { value: "hypershift" } }))).toThrow(/not openshift/);
    expect(() => openshiftFragments({ region: "us-west-2" })).toThrow(/regional_subnet_ids/);
  });

  it("renders YAML documents, each under a comment saying where it goes", () => {
    const documents = parseAllDocuments(renderOpenshiftFragments(openshiftFragments(values(OPENSHIFT_OUTPUTS))));
    expect(documents).toHaveLength(3);
    expect(documents.every((document) => document.errors.length === 0)).toBe(true);
  });
});

describe("readNetworkOutputs", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "fragments-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the local backend's network.tfstate, or a terraform output -json file", () => {
    const blueprint = loadExample("openshift-outposts.yaml");
    const local = { ...blueprint, backend: { type: "local" as const, stateDirectory: dir } };
    expect(() => readNetworkOutputs(local as typeof blueprint, undefined, "openshift-fragments")).toThrow(/deploy the network stack first/);
    writeFileSync(path.join(dir, "network.tfstate"), JSON.stringify({ version: 4, outputs: OPENSHIFT_OUTPUTS }));
    expect(readNetworkOutputs(local as typeof blueprint, undefined, "openshift-fragments").region).toBe("us-west-2");
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(OPENSHIFT_OUTPUTS));
    expect(readNetworkOutputs(blueprint, file, "openshift-fragments").vpc_cidr).toBe("10.1.0.0/16");
  });
});

describe("hypershiftInfraJson", () => {
  const infra = Object.fromEntries(CREATE_INFRA_OUTPUT_FIELDS.map((field) => [field, ""]));
  it("pretty-prints the output with every CreateInfraOutput field", () => {
    const json = hypershiftInfraJson({ hypershift_infra_json: JSON.stringify({ ...infra, zones: [{ name: "us-east-2a", subnetID: "subnet-0aaaaaaaaaaaaaaa1" }], publicOnly: false }) });
    expect(Object.keys(JSON.parse(json))).toEqual([...CREATE_INFRA_OUTPUT_FIELDS]);
  });
  it("refuses an output that lacks a field or zones", () => {
    expect(() => hypershiftInfraJson({})).toThrow(/no hypershift_infra_json/);
    expect(() => hypershiftInfraJson({ hypershift_infra_json: JSON.stringify({ region: "us-east-2" }) })).toThrow(/lacks zone, infraID/);
    expect(() => hypershiftInfraJson({ hypershift_infra_json: JSON.stringify({ ...infra, zones: [] }) })).toThrow(/no zones/);
  });
});

describe("hypershiftHandOff (issue 31)", () => {
  const blueprint = loadExample("hypershift-outposts.yaml");
  const text = hypershiftHandOff(blueprint, { outpost_subnet_ids: { "rack-a": "subnet-0bbbbbbbbbbbbbbb2" } }, "infra.json");
  /** The value of each --flag of the command that starts with `command`. */
  const flagsOf = (command: string): Record<string, string> => {
    const joined = text.replace(/ \\\n\s*/g, " ");
    const line = joined.split("\n").find((candidate) => candidate.startsWith(command));
    if (!line) throw new Error(`no ${command} in\n${text}`);
    return Object.fromEntries([...line.matchAll(/--([a-z-]+) ([^ ]+(?: [^-][^ ]*)*)/g)].map((m) => [m[1], m[2]]));
  };
  it("gives create cluster aws the name and Region the infra JSON does not carry, and the infra JSON", () => {
    expect(flagsOf("hypershift create cluster aws")).toMatchObject({ name: "hcp-edge", region: "us-east-2", "infra-json": "infra.json", "infra-id": "hcp-edge", "base-domain": "example.com" });
  });
  it("creates one NodePool per Outpost on its subnet with gp2 roots", () => {
    expect(flagsOf("hypershift create nodepool aws")).toMatchObject({ "cluster-name": "hcp-edge", name: "hcp-edge-rack-a", "subnet-id": "subnet-0bbbbbbbbbbbbbbb2", "root-volume-type": "gp2" });
  });
});

describe("the outputs the scripts read", () => {
  it.each([
    ["openshift-outposts.yaml", Object.keys(OPENSHIFT_OUTPUTS)],
    ["hypershift-outposts.yaml", ["region", "distribution", "hypershift_infra_json", "hypershift_worker_security_group_id", "outpost_subnet_ids"]],
  ])("are published by the network stack of %s", async (example, names) => {
    const synth = await synthBlueprint(loadExample(example));
    try {
      expect(Object.keys(synth.json("network").output)).toEqual(expect.arrayContaining(names));
    } finally {
      synth.dispose();
    }
  });
});
